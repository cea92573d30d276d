// Benchmark peer: the bench protocol (notes/bench-protocol.md) on crossws, the engine under the
// original nuxt-ws, with its Node adapter on a plain node:http server. Written the way a user of
// crossws would write the seed's chat (seed 003) without Nuxt: crossws pub/sub for topics, an
// async key-value store for the chat list, read-append-write like the seed.
import { createServer } from 'node:http'
import crossws from 'crossws/adapters/node'

const PORT = Number(process.env.PORT || 3000)
const ROUTE = '/_ws'

// The seed's useStorage('ws'): async getItem/setItem over an in-memory Map.
const store = new Map()
const storage = {
  async getItem(key) { return store.has(key) ? store.get(key) : null },
  async setItem(key, value) { store.set(key, value) },
}

// The state scenarios' list (docs/benchmarks.md): LIST_PREFILL entries to start with, each
// publish appended and the whole list published, as the seed's chat does with its lines.
const LIST = 'list'
const LIST_TEXT = 'x'.repeat(56)
store.set(LIST, Array.from({ length: Number(process.env.LIST_PREFILL || 0) }, (_, n) => ({ n, text: LIST_TEXT })))

const peers = new Set()

function sessionUpdate() {
  // crossws' adapter-level publish: every subscriber of the topic, the joining peer included.
  ws.publish('session', JSON.stringify({ topic: 'session', payload: { users: peers.size } }))
}

const ws = crossws({
  hooks: {
    open(peer) {
      peers.add(peer)
      peer.subscribe('session')
      sessionUpdate()
    },

    async message(peer, message) {
      const text = message.text()
      if (text === 'ping') {
        peer.send('pong')
        return
      }
      let m
      try {
        m = JSON.parse(text)
      }
      catch {
        return // not JSON: nothing in the protocol, dropped
      }
      if (!m || typeof m !== 'object' || typeof m.topic !== 'string') return

      switch (m.type) {
        case 'subscribe':
          peer.subscribe(m.topic)
          break
        case 'unsubscribe':
          if (m.topic !== 'session') peer.unsubscribe(m.topic)
          break
        case 'publish':
          if (m.topic === 'chat') {
            if (typeof m.payload?.text !== 'string') return
            // As the seed: read, append, write (not atomic), then send to the sender and publish.
            const chat = (await storage.getItem('chat')) || []
            const newChat = [...chat, { user: peer.id, text: m.payload.text }]
            await storage.setItem('chat', newChat)
            const out = JSON.stringify({ topic: 'chat', payload: newChat })
            peer.send(out)
            peer.publish('chat', out)
          }
          else if (m.topic === LIST) {
            if (m.payload === undefined) return
            const list = (await storage.getItem(LIST)) || []
            const newList = [...list, m.payload]
            await storage.setItem(LIST, newList)
            ws.publish(LIST, JSON.stringify({ topic: LIST, payload: newList }))
          }
          else {
            ws.publish(m.topic, JSON.stringify({ topic: m.topic, payload: m.payload ?? null }))
          }
          break
      }
    },

    close(peer) {
      peers.delete(peer)
      sessionUpdate()
    },
  },
})

const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' })
  res.end('crossws bench peer: WebSocket at ' + ROUTE + '\n')
})

server.on('upgrade', (req, socket, head) => {
  if (new URL(req.url, 'http://localhost').pathname !== ROUTE) {
    socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n')
    return
  }
  ws.handleUpgrade(req, socket, head)
})

server.listen(PORT, () => console.log(`crossws bench peer on :${PORT}${ROUTE}`))
