// Test support: a real WebSocket server (the `ws` package) on an ephemeral loopback port that
// plays the reactive-ws server's part, and waits that resolve on events, never on sleeps.
// Every test file runs with `--test-timeout`, which bounds every wait.
import { once } from 'node:events'
import { createServer } from 'node:http'
import { WebSocket, WebSocketServer } from 'ws'

/** JSON text becomes a value, other text stays a string, binary stays a Buffer. */
function parse(data, isBinary) {
  if (isBinary) return data
  const text = data.toString()
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** Something that changes and can be waited on: `until(predicate)` resolves once it holds. */
class Observable {
  #waiters = new Set()

  changed() {
    for (const waiter of [...this.#waiters]) waiter()
  }

  until(predicate) {
    return new Promise((resolve) => {
      const check = () => {
        const value = predicate()
        if (value) {
          this.#waiters.delete(check)
          resolve(value)
        }
      }
      this.#waiters.add(check)
      check()
    })
  }
}

/** One accepted connection, seen from the server. */
export class ServerPeer extends Observable {
  /** Messages received, in order: parsed JSON, plain strings, or Buffers for binary frames. */
  received = []
  /** The close code and reason, once the connection closed. */
  closeEvent = null

  constructor(server, socket, request) {
    super()
    this.socket = socket
    this.request = request
    socket.on('message', (data, isBinary) => {
      const message = parse(data, isBinary)
      if (message === 'ping' && !server.silent) socket.send('pong')
      this.received.push(message)
      this.changed()
    })
    socket.on('close', (code, reason) => {
      this.closeEvent = { code, reason: reason.toString() }
      this.changed()
    })
  }

  /** Sends a value as JSON, a string as it is. */
  send(value) {
    this.socket.send(typeof value === 'string' || Buffer.isBuffer(value) ? value : JSON.stringify(value))
  }

  /** Sends `{topic, payload}`, what the client takes as a state. */
  state(topic, payload) {
    this.send({ topic, payload })
  }

  /** Starts the closing handshake with a code. */
  close(code) {
    this.socket.close(code)
  }

  /** Resolves with the first `count` messages once that many arrived. */
  messages(count) {
    return this.until(() => this.received.length >= count && this.received.slice(0, count))
  }

  /** Resolves with every message up to and including the first one equal to `marker` (a string). */
  async through(marker) {
    await this.until(() => this.received.includes(marker))
    return this.received.slice(0, this.received.indexOf(marker) + 1)
  }

  /** Resolves with { code, reason } once the connection is closed. */
  closed() {
    return this.until(() => this.closeEvent)
  }
}

/**
 * An HTTP server that upgrades WebSocket requests on any path and answers plain HTTP with
 * `httpHandler` (404 by default).
 */
export class TestServer extends Observable {
  /** Accepted connections, oldest first. */
  peers = []
  /** Upgrade requests seen, accepted or refused. */
  attempts = 0
  /** While true, upgrades are refused with HTTP 503. */
  refuse = false
  /** While true, `ping` goes unanswered: a half-open server as the client sees it. */
  silent = false
  sockets = new Set()

  static async start(httpHandler) {
    const server = new TestServer(httpHandler)
    server.http.listen(0, '127.0.0.1')
    await once(server.http, 'listening')
    return server
  }

  constructor(httpHandler = (request, response) => response.writeHead(404).end()) {
    super()
    this.http = createServer(httpHandler)
    // Every TCP connection, upgraded or not, so that stop() can end them all at once.
    this.http.on('connection', (socket) => {
      this.sockets.add(socket)
      socket.on('close', () => this.sockets.delete(socket))
    })
    this.wss = new WebSocketServer({
      server: this.http,
      verifyClient: (info, accept) => {
        this.attempts++
        this.changed()
        if (this.refuse) accept(false, 503)
        else accept(true)
      },
      handleProtocols: (protocols) => protocols.values().next().value ?? false,
    })
    this.wss.on('connection', (socket, request) => {
      this.peers.push(new ServerPeer(this, socket, request))
      this.changed()
    })
  }

  get port() {
    return this.http.address().port
  }

  /** The WebSocket URL of a path on this server. */
  url(path = '/_ws') {
    return `ws://127.0.0.1:${this.port}${path}`
  }

  /** Resolves with the `index`th accepted connection (0 for the first) once it is there. */
  peer(index) {
    return this.until(() => this.peers[index])
  }

  async stop() {
    const closed = new Promise((resolve) => this.http.close(resolve))
    for (const socket of this.sockets) socket.destroy()
    this.wss.close()
    await closed
  }
}

/** Resolves with the client's snapshot once `predicate(snapshot)` holds. */
export function clientUntil(ws, predicate) {
  return new Promise((resolve) => {
    if (predicate(ws.getSnapshot())) {
      resolve(ws.getSnapshot())
      return
    }
    const stop = ws.subscribe((snapshot) => {
      if (predicate(snapshot)) {
        stop()
        resolve(snapshot)
      }
    })
  })
}

export const statusIs = (status) => (snapshot) => snapshot.status === status

/**
 * The browser's WebSocket, as `ws` provides it in node, keeping track of its instances so that
 * a test can end every connection it made, whatever state the client left them in.
 */
export class TrackedWebSocket extends WebSocket {
  static #instances = new Set()

  constructor(...args) {
    super(...args)
    TrackedWebSocket.#instances.add(this)
  }

  /** Ends every connection made since the last call; resolves once each has emitted its close event. */
  static async terminateAll() {
    const sockets = [...TrackedWebSocket.#instances]
    TrackedWebSocket.#instances.clear()
    await Promise.all(sockets.map((socket) => {
      if (socket.readyState === WebSocket.CLOSED) return null
      const closed = new Promise((resolve) => socket.once('close', resolve))
      // Ending a connection that is still being made reports an error: expected here.
      socket.on('error', () => {})
      socket.terminate()
      return closed
    }))
  }
}
