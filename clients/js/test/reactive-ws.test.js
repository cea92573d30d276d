// Unit tests for the browser client, run with `node --test test/`. The global WebSocket is
// replaced by FakeWebSocket, which records what the client sends and lets a test play the
// server's part (open, message, close) synchronously.
import { test, beforeEach, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import { useWS } from '../src/reactive-ws.js'

const CONNECTING = 0
const OPEN = 1
const CLOSED = 3

class FakeWebSocket {
  /** Every socket created during the current test, oldest first. */
  static instances = []

  constructor(url, protocols) {
    this.url = url
    this.protocols = protocols
    this.readyState = CONNECTING
    this.binaryType = 'blob'
    /** Frames the client wrote, in order. */
    this.sent = []
    /** Arguments of close(), or null. */
    this.closedWith = null
    FakeWebSocket.instances.push(this)
  }

  send(data) {
    // A real WebSocket throws while connecting; a client that buffers must never hit this.
    if (this.readyState === CONNECTING) throw new Error('InvalidStateError: still connecting')
    if (this.readyState === OPEN) this.sent.push(data)
  }

  close(code, reason) {
    this.closedWith = { code, reason }
    this.readyState = CLOSED
  }

  // --- the server's side ---

  serverOpen() {
    this.readyState = OPEN
    this.onopen?.({ type: 'open' })
  }

  serverSend(data) {
    this.onmessage?.({ type: 'message', data: typeof data === 'string' || data instanceof ArrayBuffer ? data : JSON.stringify(data) })
  }

  serverClose(code = 1006) {
    this.readyState = CLOSED
    this.onclose?.({ type: 'close', code })
  }

  /** The frames sent so far, JSON-parsed where they are JSON. */
  frames() {
    return this.sent.map((text) => {
      try {
        return JSON.parse(text)
      } catch {
        return text
      }
    })
  }
}

const WS_URL = 'ws://127.0.0.1:9/_ws'
const saved = {}

beforeEach(() => {
  FakeWebSocket.instances = []
  for (const name of ['WebSocket', 'fetch', 'location']) saved[name] = Object.getOwnPropertyDescriptor(globalThis, name)
  globalThis.WebSocket = FakeWebSocket
  // No test may reach the network: loading config without a stub is a failure.
  globalThis.fetch = () => {
    throw new Error('unexpected fetch')
  }
})

afterEach(() => {
  for (const [name, descriptor] of Object.entries(saved)) {
    if (descriptor) Object.defineProperty(globalThis, name, descriptor)
    else delete globalThis[name]
  }
})

/** A client that needs no config: url and internals are given. */
function connect(topics = [], options = {}) {
  const ws = useWS(topics, { url: WS_URL, internals: ['_internal'], defaults: ['session'], ...options })
  return { ws, socket: FakeWebSocket.instances.at(-1) }
}

const subscribe = (topic) => ({ type: 'subscribe', topic })
const unsubscribe = (topic) => ({ type: 'unsubscribe', topic })
const publish = (topic, payload) => ({ type: 'publish', topic, payload })

test('connects at once to the given url and reports CONNECTING, then OPEN', () => {
  const { ws, socket } = connect()
  assert.equal(FakeWebSocket.instances.length, 1)
  assert.equal(socket.url, WS_URL)
  assert.equal(ws.status, 'CONNECTING')
  socket.serverOpen()
  assert.equal(ws.status, 'OPEN')
})

test('immediate: false waits for open()', () => {
  const { ws } = connect([], { immediate: false })
  assert.equal(FakeWebSocket.instances.length, 0)
  assert.equal(ws.status, 'CLOSED')
  ws.open()
  assert.equal(FakeWebSocket.instances.length, 1)
  assert.equal(ws.status, 'CONNECTING')
  ws.open() // already connecting: no second socket
  assert.equal(FakeWebSocket.instances.length, 1)
})

test('messages sent before open are buffered and flushed in order, after the topic subscriptions', () => {
  const { ws, socket } = connect(['chat'])
  assert.equal(ws.send('publish', 'chat', { text: 'one' }), true)
  assert.equal(ws.send('hello'), true)
  assert.equal(ws.send({ kind: 'raw-object' }), true)
  assert.equal(ws.send('publish', 'chat', { text: 'two' }), true)
  assert.deepEqual(socket.sent, [])

  socket.serverOpen()
  assert.deepEqual(socket.frames(), [
    subscribe('chat'),
    publish('chat', { text: 'one' }),
    'hello',
    { kind: 'raw-object' },
    publish('chat', { text: 'two' }),
  ])

  // Once open, sends go straight out.
  assert.equal(ws.send('publish', 'chat', { text: 'three' }), true)
  assert.deepEqual(socket.frames().at(-1), publish('chat', { text: 'three' }))
})

test('the buffer is bounded: at the limit send refuses and returns false', () => {
  const { ws, socket } = connect([], { bufferLimit: 2 })
  assert.equal(ws.send('a'), true)
  assert.equal(ws.send('b'), true)
  assert.equal(ws.send('c'), false)
  socket.serverOpen()
  assert.deepEqual(socket.sent, ['a', 'b'])
})

test('a listener that sends when OPEN is announced does not overtake buffered messages', () => {
  const { ws, socket } = connect()
  ws.send('first')
  ws.subscribe((snapshot) => {
    if (snapshot.status === 'OPEN') ws.send('from-listener')
  })
  socket.serverOpen()
  assert.deepEqual(socket.sent, ['first', 'from-listener'])
})

test('subscribe, unsubscribe and publish to internal topics are refused client-side', () => {
  const { ws, socket } = connect(['chat', '_internal'])
  socket.serverOpen()
  assert.equal(ws.send('subscribe', '_internal'), false)
  assert.equal(ws.send('unsubscribe', '_internal'), false)
  assert.equal(ws.send('publish', '_internal', { x: 1 }), false)
  // Raw frames carrying the same operations obey the same rule.
  assert.equal(ws.send('{"type":"publish","topic":"_internal","payload":1}'), false)
  assert.equal(ws.send({ type: 'subscribe', topic: '_internal' }), false)
  assert.equal(ws.topics.add('_internal'), false)
  assert.equal(ws.topics.has('_internal'), false)
  // Only the non-internal topic was subscribed on open.
  assert.deepEqual(socket.frames(), [subscribe('chat')])
})

test('internal topics are refused while not open too, and never buffered', () => {
  const { ws, socket } = connect()
  assert.equal(ws.send('publish', '_internal', 1), false)
  socket.serverOpen()
  assert.deepEqual(socket.sent, [])
})

test('internal topics can still be listened to: the server publishes their state', () => {
  const { ws, socket } = connect()
  socket.serverOpen()
  socket.serverSend({ topic: '_internal', payload: { version: 2 } })
  assert.deepEqual(ws.states._internal, { version: 2 })
})

test('{topic, payload} messages update states; other messages go to data', () => {
  const { ws, socket } = connect(['chat'])
  socket.serverOpen()
  assert.deepEqual(ws.states, {})
  assert.equal(ws.data, null)

  socket.serverSend({ topic: 'chat', payload: [{ user: 'a', text: 'hi' }] })
  socket.serverSend({ topic: 'session', payload: { users: 2 } })
  assert.deepEqual(ws.states, { chat: [{ user: 'a', text: 'hi' }], session: { users: 2 } })
  assert.equal(ws.data, null)

  socket.serverSend({ topic: 'chat', payload: [] })
  assert.deepEqual(ws.states.chat, [])

  // A falsy payload is still a state.
  socket.serverSend({ topic: 'counter', payload: 0 })
  assert.equal(ws.states.counter, 0)

  const error = { type: 'error', code: 'invalid', message: 'bad message', issues: [{ path: 'payload.text', message: 'expected string' }] }
  socket.serverSend(error)
  assert.deepEqual(ws.data, error)

  socket.serverSend('plain text, not JSON')
  assert.equal(ws.data, 'plain text, not JSON')

  socket.serverSend('[1,2,3]')
  assert.deepEqual(ws.data, [1, 2, 3])

  // A topic without payload is not a state.
  socket.serverSend({ topic: 'chat' })
  assert.deepEqual(ws.data, { topic: 'chat' })

  const binary = new Uint8Array([1, 2, 3]).buffer
  socket.serverSend(binary)
  assert.equal(ws.data, binary)

  assert.deepEqual(ws.states.chat, [])
})

test('the heartbeat answer pong is neither state nor data and notifies nobody', () => {
  const { ws, socket } = connect()
  socket.serverOpen()
  socket.serverSend('"hello"')
  const before = ws.getSnapshot()
  let calls = 0
  ws.subscribe(() => calls++)
  socket.serverSend('pong')
  assert.equal(ws.data, 'hello')
  assert.equal(ws.getSnapshot(), before)
  assert.equal(calls, 0)
})

test('on open every current topic is subscribed, except the server-side defaults and internals', () => {
  const { socket } = connect(['chat', 'notifications', 'session', '_internal'])
  socket.serverOpen()
  assert.deepEqual(socket.frames(), [subscribe('chat'), subscribe('notifications')])
})

test('topics added or deleted after connect send subscribe / unsubscribe', () => {
  const { ws, socket } = connect(['chat'])
  socket.serverOpen()
  socket.sent.length = 0

  assert.equal(ws.topics.add('news'), true)
  assert.equal(ws.topics.add('news'), true) // already there: nothing sent twice
  assert.equal(ws.topics.delete('chat'), true)
  assert.equal(ws.topics.delete('chat'), false) // no longer there
  assert.deepEqual(socket.frames(), [subscribe('news'), unsubscribe('chat')])
  assert.deepEqual([...ws.topics], ['news'])
  assert.equal(ws.topics.size, 1)
  assert.equal(ws.topics.has('news'), true)

  socket.sent.length = 0
  ws.topics.replace(['news', 'weather', 'sport'])
  ws.topics.replace(['weather', 'sport'])
  assert.deepEqual(socket.frames(), [subscribe('weather'), subscribe('sport'), unsubscribe('news')])

  // send('subscribe'|'unsubscribe') keeps the set in step, too.
  socket.sent.length = 0
  assert.equal(ws.send('subscribe', 'extra'), true)
  assert.equal(ws.send('unsubscribe', 'sport'), true)
  assert.deepEqual(socket.frames(), [subscribe('extra'), unsubscribe('sport')])
  assert.deepEqual([...ws.topics].sort(), ['extra', 'weather'])
})

test('topic changes while not open only change the set, which is subscribed on the next open', () => {
  const { ws, socket } = connect(['chat'])
  assert.equal(ws.topics.add('news'), true)
  assert.equal(ws.topics.delete('chat'), true)
  assert.equal(ws.topics.add('weather'), true)
  socket.serverOpen()
  assert.deepEqual(socket.frames(), [subscribe('news'), subscribe('weather')])
})

test('after the connection drops, open() connects again and subscribes the current topics', () => {
  const { ws, socket } = connect(['chat'])
  socket.serverOpen()
  ws.topics.add('news')
  socket.serverClose()
  assert.equal(ws.status, 'CLOSED')

  assert.equal(ws.send('publish', 'chat', 'while down'), true)
  ws.topics.delete('chat')
  ws.open()
  const second = FakeWebSocket.instances.at(-1)
  assert.notEqual(second, socket)
  second.serverOpen()
  assert.deepEqual(second.frames(), [subscribe('news'), publish('chat', 'while down')])
})

test('close() closes the socket with 1000, keeps the buffer, and ignores the old socket afterwards', () => {
  const { ws, socket } = connect(['chat'])
  ws.send('queued')
  ws.close()
  assert.equal(ws.status, 'CLOSED')
  assert.deepEqual(socket.closedWith, { code: 1000, reason: undefined })

  // Late events from the closed socket change nothing.
  const before = ws.getSnapshot()
  socket.serverSend({ topic: 'chat', payload: ['stale'] })
  socket.serverClose()
  assert.equal(ws.getSnapshot(), before)

  ws.close() // closing twice is not a change
  assert.equal(ws.getSnapshot(), before)

  ws.open()
  const second = FakeWebSocket.instances.at(-1)
  // The old socket's close event may arrive after a new socket was made: it must not count.
  socket.serverClose()
  assert.equal(ws.status, 'CONNECTING')
  second.serverOpen()
  assert.equal(ws.status, 'OPEN')
  assert.deepEqual(second.frames(), [subscribe('chat'), 'queued'])
})

test('snapshots keep their identity until something changes', () => {
  const { ws, socket } = connect(['chat'])
  const snapshots = []
  const stop = ws.subscribe((snapshot) => snapshots.push(snapshot))

  const connecting = ws.getSnapshot()
  assert.equal(ws.getSnapshot(), connecting)
  assert.equal(Object.isFrozen(connecting), true)
  assert.equal(Object.isFrozen(connecting.states), true)

  ws.open() // no-op while connecting
  ws.send('buffered') // buffering is not a visible change
  assert.equal(ws.getSnapshot(), connecting)

  socket.serverOpen()
  const open = ws.getSnapshot()
  assert.notEqual(open, connecting)
  assert.equal(open.status, 'OPEN')
  assert.equal(open.states, connecting.states) // unchanged parts keep their identity too

  socket.serverSend({ topic: 'chat', payload: ['a'] })
  const withChat = ws.getSnapshot()
  assert.notEqual(withChat, open)
  assert.deepEqual(withChat.states, { chat: ['a'] })
  assert.equal(open.states.chat, undefined) // the older snapshot did not change

  socket.serverSend({ type: 'note' })
  const withData = ws.getSnapshot()
  assert.notEqual(withData, withChat)
  assert.equal(withData.states, withChat.states)

  assert.deepEqual(snapshots, [open, withChat, withData])
  assert.equal(ws.getSnapshot(), withData)

  stop()
  socket.serverSend({ topic: 'chat', payload: ['b'] })
  assert.equal(snapshots.length, 3)
  // The getters read the current snapshot.
  assert.equal(ws.states, ws.getSnapshot().states)
  assert.equal(ws.status, ws.getSnapshot().status)
  assert.equal(ws.data, ws.getSnapshot().data)
})

test('a throwing listener does not keep other listeners from being notified', (t) => {
  const errors = []
  t.mock.method(console, 'error', (error) => errors.push(error))
  if (typeof globalThis.reportError === 'function') t.mock.method(globalThis, 'reportError', (error) => errors.push(error))
  const { ws, socket } = connect()
  let heard = 0
  ws.subscribe(() => {
    throw new Error('boom')
  })
  ws.subscribe(() => heard++)
  socket.serverOpen()
  assert.equal(heard, 1)
  assert.deepEqual(errors.map((error) => error.message), ['boom'])
})

test('subscribe(listener) tells a caller who meant topics.add', () => {
  const { ws } = connect()
  assert.throws(() => ws.subscribe('chat'), /topics\.add/)
})

test('bad topics are rejected with a TypeError', () => {
  const { ws } = connect()
  assert.throws(() => ws.send('publish', '', 1), TypeError)
  assert.throws(() => ws.send('subscribe', 42), TypeError)
  assert.throws(() => ws.topics.add(null), TypeError)
  assert.throws(() => useWS([''], { url: WS_URL, internals: [] }), TypeError)
  assert.throws(() => ws.send(), TypeError)
  assert.throws(() => ws.send(() => {}), TypeError)
})

test('route and query are resolved against the page, http becomes ws', () => {
  globalThis.location = { href: 'https://example.test:8443/app/page?x=1' }
  connect([], {
    url: undefined,
    route: '/_ws',
    query: { token: 'a b', tag: ['x', 'y'], skipped: null, n: 3 },
    protocols: ['v1'],
  })
  const socket = FakeWebSocket.instances.at(-1)
  assert.equal(socket.url, 'wss://example.test:8443/_ws?token=a+b&tag=x&tag=y&n=3')
  assert.deepEqual(socket.protocols, ['v1'])
})

test('without route or url the route and internals come from config.json', async (t) => {
  globalThis.location = { href: 'http://example.test/chat' }
  const requested = []
  globalThis.fetch = async (url) => {
    requested.push(String(url))
    return {
      ok: true,
      status: 200,
      json: async () => ({ route: '/_live', topics: { defaults: ['session'], internals: ['_system'] } }),
    }
  }
  const ws = useWS(['chat', 'session', '_system'], { configUrl: '/_reactive-ws/config.json?case=ok' })
  assert.equal(ws.status, 'CONNECTING')
  assert.equal(FakeWebSocket.instances.length, 0)
  await waitUntil(() => FakeWebSocket.instances.length === 1)

  assert.deepEqual(requested, ['http://example.test/_reactive-ws/config.json?case=ok'])
  const socket = FakeWebSocket.instances[0]
  assert.equal(socket.url, 'ws://example.test/_live')
  socket.serverOpen()
  assert.deepEqual(socket.frames(), [subscribe('chat')])
  assert.equal(ws.send('publish', '_system', 1), false)
})

test('when config.json cannot be loaded the client falls back to /_ws', async (t) => {
  const warnings = []
  t.mock.method(console, 'warn', (...args) => warnings.push(args))
  globalThis.location = { href: 'http://example.test/' }
  globalThis.fetch = async () => ({ ok: false, status: 404, json: async () => ({}) })
  const ws = useWS(['chat'], { configUrl: '/_reactive-ws/config.json?case=missing' })
  await waitUntil(() => FakeWebSocket.instances.length === 1)
  assert.equal(FakeWebSocket.instances[0].url, 'ws://example.test/_ws')
  assert.equal(ws.status, 'CONNECTING')
  assert.equal(warnings.length, 1)
})

test('close() while the config is loading means no socket is ever opened', async () => {
  globalThis.location = { href: 'http://example.test/' }
  let release
  globalThis.fetch = () => new Promise((resolve) => {
    release = () => resolve({ ok: true, status: 200, json: async () => ({ route: '/_ws' }) })
  })
  const ws = useWS(['chat'], { configUrl: '/_reactive-ws/config.json?case=slow' })
  assert.equal(ws.status, 'CONNECTING')
  ws.close()
  assert.equal(ws.status, 'CLOSED')
  release()
  await new Promise((resolve) => setTimeout(resolve, 10))
  assert.equal(FakeWebSocket.instances.length, 0)
  assert.equal(ws.status, 'CLOSED')
})

test('a URL the WebSocket constructor rejects leaves the client CLOSED', (t) => {
  t.mock.method(console, 'error', () => {})
  // No location: a relative route cannot be resolved.
  delete globalThis.location
  const ws = useWS([], { route: '/_ws', internals: [] })
  assert.equal(ws.status, 'CLOSED')
  assert.equal(FakeWebSocket.instances.length, 0)
})

async function waitUntil(condition, timeoutMs = 1000) {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 1))
  }
}
