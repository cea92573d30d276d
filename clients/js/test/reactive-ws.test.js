// Unit tests for the browser client, run by `node --test`. The client talks to a real WebSocket
// server on a loopback port (testing/server.js), through the `ws` package's WebSocket, which stands
// in for the browser's. Reconnection and heartbeat timing run on node's mock timers, so delays
// are checked to the millisecond without waiting for them. (Long because it is a list of cases
// that each stand alone.)
import { test, beforeEach, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import { isDeepStrictEqual } from 'node:util'
import { useWS } from '../src/reactive-ws.js'
import { TestServer, TrackedWebSocket, clientUntil, statusIs } from '../testing/server.js'

const subscribe = (topic) => ({ type: 'subscribe', topic })
const unsubscribe = (topic) => ({ type: 'unsubscribe', topic })
const publish = (topic, payload) => ({ type: 'publish', topic, payload })

const GLOBALS = ['WebSocket', 'location', 'addEventListener', 'removeEventListener']
const saved = {}
/** The server of the current test. */
let server
/** Clients made by the current test, closed after it. */
let clients

beforeEach(async () => {
  for (const name of GLOBALS) saved[name] = Object.getOwnPropertyDescriptor(globalThis, name)
  globalThis.WebSocket = TrackedWebSocket
  clients = []
  server = await TestServer.start()
})

afterEach(async () => {
  for (const ws of clients) ws.close()
  await TrackedWebSocket.terminateAll()
  for (const [name, descriptor] of Object.entries(saved)) {
    if (descriptor) Object.defineProperty(globalThis, name, descriptor)
    else delete globalThis[name]
  }
  await server.stop()
})

/** A client of the test server that needs no config: url and internals are given. */
function connect(topics = [], options = {}) {
  const ws = useWS(topics, { url: server.url(), internals: ['_internal'], defaults: ['session'], ...options })
  clients.push(ws)
  return ws
}

/** A client whose connection is open, and its peer on the server. */
async function connected(topics = [], options = {}) {
  const ws = connect(topics, options)
  await clientUntil(ws, statusIs('OPEN'))
  return { ws, peer: await server.peer(server.peers.length - 1) }
}

// --- connecting ---

test('connects at once, reports CONNECTING, then OPEN', async () => {
  const ws = connect()
  assert.equal(ws.status, 'CONNECTING')
  await clientUntil(ws, statusIs('OPEN'))
  const peer = await server.peer(0)
  assert.equal(peer.request.url, '/_ws?rws=1')
  assert.equal(server.peers.length, 1)
})

test('immediate: false waits for open(); open() while connecting makes no second socket', async () => {
  const ws = connect(['chat'], { immediate: false })
  assert.equal(ws.status, 'CLOSED')
  ws.send('publish', 'chat', 'queued')
  ws.open()
  ws.open()
  assert.equal(ws.status, 'CONNECTING')
  await clientUntil(ws, statusIs('OPEN'))
  ws.open() // already open
  ws.send('marker')
  const peer = await server.peer(0)
  assert.deepEqual(await peer.through('marker'), [subscribe('chat'), publish('chat', 'queued'), 'marker'])
  assert.equal(server.attempts, 1)
})

test('route and query are resolved against the page, http becomes ws, protocols are offered', async () => {
  globalThis.location = { href: `http://127.0.0.1:${server.port}/app/page?x=1` }
  const ws = connect([], {
    url: undefined,
    route: '/_live',
    query: { token: 'a b', tag: ['x', 'y'], skipped: null, n: 3 },
    protocols: ['v1', 'v2'],
  })
  await clientUntil(ws, statusIs('OPEN'))
  const peer = await server.peer(0)
  assert.equal(peer.request.url, '/_live?token=a+b&tag=x&tag=y&n=3&rws=1')
  assert.equal(peer.socket.protocol, 'v1')

  const viaHttpUrl = connect([], { url: `http://127.0.0.1:${server.port}/_ws` })
  await clientUntil(viaHttpUrl, statusIs('OPEN'))
  assert.equal((await server.peer(1)).request.url, '/_ws?rws=1')
})

test('a URL the WebSocket constructor rejects leaves the client CLOSED and does not retry', (t) => {
  const errors = []
  t.mock.method(console, 'error', (error) => errors.push(error))
  if (typeof globalThis.reportError === 'function') t.mock.method(globalThis, 'reportError', (error) => errors.push(error))
  // No location: a relative route cannot be resolved.
  delete globalThis.location
  const ws = connect([], { url: undefined, route: '/_ws', autoReconnect: true })
  assert.equal(ws.status, 'CLOSED')
  assert.equal(errors.length, 1)
})

// --- sending ---

test('messages sent before open are buffered and arrive once, in order, after the subscriptions', async () => {
  const ws = connect(['chat'])
  assert.equal(ws.send('publish', 'chat', { text: 'one' }), true)
  assert.equal(ws.send('hello'), true)
  assert.equal(ws.send({ kind: 'raw-object' }), true)
  assert.equal(ws.send('publish', 'chat', { text: 'two' }), true)
  await clientUntil(ws, statusIs('OPEN'))
  // Once open, sends go straight out.
  assert.equal(ws.send('publish', 'chat', { text: 'three' }), true)
  ws.send('marker')
  const peer = await server.peer(0)
  assert.deepEqual(await peer.through('marker'), [
    subscribe('chat'),
    publish('chat', { text: 'one' }),
    'hello',
    { kind: 'raw-object' },
    publish('chat', { text: 'two' }),
    publish('chat', { text: 'three' }),
    'marker',
  ])
})

test('binary data is sent as a binary frame', async () => {
  const { ws, peer } = await connected()
  ws.send(new Uint8Array([1, 2, 3]))
  ws.send('marker')
  const [binary] = await peer.through('marker')
  assert.deepEqual([...binary], [1, 2, 3])
})

test('the buffer is bounded: at the limit send refuses and returns false', async () => {
  const ws = connect([], { bufferLimit: 2 })
  assert.equal(ws.send('a'), true)
  assert.equal(ws.send('b'), true)
  assert.equal(ws.send('c'), false)
  await clientUntil(ws, statusIs('OPEN'))
  ws.send('marker')
  assert.deepEqual(await (await server.peer(0)).through('marker'), ['a', 'b', 'marker'])
})

test('a listener that sends when OPEN is announced does not overtake buffered messages', async () => {
  const ws = connect()
  ws.send('first')
  ws.subscribe((snapshot) => {
    if (snapshot.status === 'OPEN') ws.send('from-listener')
  })
  await clientUntil(ws, statusIs('OPEN'))
  assert.deepEqual(await (await server.peer(0)).messages(2), ['first', 'from-listener'])
})

test('subscribe, unsubscribe and publish to internal topics are refused and never sent', async () => {
  const ws = connect(['chat', '_internal'])
  assert.equal(ws.send('publish', '_internal', 'while connecting'), false)
  await clientUntil(ws, statusIs('OPEN'))
  assert.equal(ws.send('subscribe', '_internal'), false)
  assert.equal(ws.send('unsubscribe', '_internal'), false)
  assert.equal(ws.send('publish', '_internal', { x: 1 }), false)
  // Raw frames carrying the same operations obey the same rule.
  assert.equal(ws.send('{"type":"publish","topic":"_internal","payload":1}'), false)
  assert.equal(ws.send({ type: 'subscribe', topic: '_internal' }), false)
  assert.equal(ws.topics.add('_internal'), false)
  assert.equal(ws.topics.has('_internal'), false)
  ws.send('marker')
  assert.deepEqual(await (await server.peer(0)).through('marker'), [subscribe('chat'), 'marker'])
})

test('bad arguments are rejected with a TypeError', () => {
  const ws = connect([], { immediate: false })
  assert.throws(() => ws.send('publish', '', 1), TypeError)
  assert.throws(() => ws.send('subscribe', 42), TypeError)
  assert.throws(() => ws.topics.add(null), TypeError)
  assert.throws(() => ws.topics.replace(['ok', '']), TypeError)
  assert.throws(() => useWS([''], { url: server.url(), internals: [] }), TypeError)
  assert.throws(() => ws.send(), TypeError)
  assert.throws(() => ws.send(() => {}), TypeError)
  assert.throws(() => ws.subscribe('chat'), /topics\.add/)
})

test('bad options are rejected with a TypeError that names them', () => {
  const options = (extra) => ({ url: server.url(), internals: [], immediate: false, ...extra })
  assert.throws(() => useWS([], options({ autoReconnect: { delay: -1 } })), /autoReconnect\.delay/)
  assert.throws(() => useWS([], options({ autoReconnect: { delay: 0 } })), /autoReconnect\.delay must be a number > 0/)
  assert.throws(() => useWS([], options({ heartbeat: { responseMessage: 1 } })), /heartbeat\.responseMessage/)
  assert.throws(() => useWS([], options({ autoReconnect: { retries: 'many' } })), /autoReconnect\.retries/)
  assert.throws(() => useWS([], options({ autoReconnect: { maxDelay: Infinity } })), /autoReconnect\.maxDelay/)
  assert.throws(() => useWS([], options({ autoReconnect: { onFailed: 'log' } })), /onFailed/)
  assert.throws(() => useWS([], options({ autoReconnect: 3 })), /autoReconnect/)
  assert.throws(() => useWS([], options({ heartbeat: { interval: 0 } })), /heartbeat\.interval/)
  assert.throws(() => useWS([], options({ heartbeat: { pongTimeout: Number.NaN } })), /heartbeat\.pongTimeout/)
  assert.throws(() => useWS([], options({ heartbeat: { pongTimeout: 0 } })), /heartbeat\.pongTimeout must be a number > 0/)
  assert.throws(() => useWS([], options({ heartbeat: { message: Symbol('x') } })), /heartbeat\.message/)
  assert.throws(() => useWS([], options({ bufferLimit: -1 })), /bufferLimit/)
  assert.throws(() => useWS([], options({ bufferLimit: 0 })), /bufferLimit must be a number > 0/)
  assert.throws(() => useWS([], options({ autoReconnect: { multiplier: 0.5 } })), /autoReconnect\.multiplier/)
  assert.throws(() => useWS([], options({ autoReconnect: { jitter: 1.5 } })), /autoReconnect\.jitter/)
  assert.doesNotThrow(() => useWS([], options({ autoReconnect: { retries: Infinity }, heartbeat: false })))
})

// --- receiving ---

test('{topic, payload} messages update states; other messages go to data', async () => {
  const { ws, peer } = await connected(['chat'])
  assert.deepEqual(ws.states, {})
  assert.equal(ws.data, null)

  peer.state('chat', [{ user: 'a', text: 'hi' }])
  peer.state('session', { users: 2 })
  await clientUntil(ws, (s) => s.states.session)
  assert.deepEqual(ws.states, { chat: [{ user: 'a', text: 'hi' }], session: { users: 2 } })
  assert.equal(ws.data, null)

  // A falsy payload is still a state; a topic named like an Object property is just a key.
  peer.state('chat', [])
  peer.state('counter', 0)
  peer.state('__proto__', { odd: true })
  await clientUntil(ws, (s) => Object.hasOwn(s.states, '__proto__'))
  assert.deepEqual(ws.states.chat, [])
  assert.equal(ws.states.counter, 0)
  assert.deepEqual(Object.getOwnPropertyDescriptor(ws.states, '__proto__').value, { odd: true })
  assert.equal(Object.getPrototypeOf(ws.states), Object.prototype)

  const error = { type: 'error', code: 'invalid_message', message: 'bad', issues: [{ path: 'payload.text', message: 'expected string' }] }
  peer.send(error)
  assert.deepEqual((await clientUntil(ws, (s) => s.data !== null)).data, error)

  const others = [['plain text, not JSON', 'plain text, not JSON'], ['[1,2,3]', [1, 2, 3]], ['{"topic":"chat"}', { topic: 'chat' }]]
  for (const [message, expected] of others) {
    peer.send(message)
    await clientUntil(ws, (s) => isDeepStrictEqual(s.data, expected))
  }

  peer.send(Buffer.from([7, 8, 9]))
  const { data } = await clientUntil(ws, (s) => s.data instanceof ArrayBuffer)
  assert.deepEqual([...new Uint8Array(data)], [7, 8, 9])
  assert.deepEqual(ws.states.chat, [])
})

test('a state frame with a version sets versions[topic]; one without clears it, the state set either way', async () => {
  const { ws, peer } = await connected(['chat'])
  assert.deepEqual(ws.getSnapshot().versions, {})

  peer.send({ topic: 'chat', v: 41, epoch: '7310955310411', payload: ['a'] })
  const versioned = await clientUntil(ws, (s) => s.states.chat)
  assert.deepEqual(versioned.versions, { chat: { epoch: '7310955310411', v: 41 } })
  assert.equal(Object.isFrozen(versioned.versions), true)

  peer.send({ topic: 'chat', v: 3, payload: ['b'] })
  assert.deepEqual((await clientUntil(ws, (s) => s.states.chat[0] === 'b')).versions.chat, { epoch: '0', v: 3 })
  peer.send({ topic: '__proto__', v: 1, payload: 'odd' })
  const odd = await clientUntil(ws, (s) => Object.hasOwn(s.versions, '__proto__'))
  assert.equal(Object.getPrototypeOf(odd.versions), Object.prototype)

  peer.state('chat', ['c'])
  const plain = await clientUntil(ws, (s) => s.states.chat[0] === 'c')
  assert.equal(Object.hasOwn(plain.versions, 'chat'), false)
  assert.deepEqual(Object.getOwnPropertyDescriptor(plain.versions, '__proto__').value, { epoch: '0', v: 1 })

  // A version that is no whole number of 0 or more, or an epoch that is no string, is none.
  for (const [v, epoch, text] of [['1', undefined, 'd'], [1.5, undefined, 'e'], [-1, undefined, 'f'], [2, 7, 'g']]) {
    peer.send({ topic: 'chat', v: 40, epoch: 'x', payload: ['held'] })
    await clientUntil(ws, (s) => s.versions.chat?.epoch === 'x')
    peer.send({ topic: 'chat', v, epoch, payload: [text] })
    assert.equal((await clientUntil(ws, (s) => s.states.chat[0] === text)).versions.chat, undefined, `v ${v}, epoch ${epoch}`)
  }

  // A snapshot whose versions did not change keeps them.
  peer.state('session', { users: 1 })
  const after = await clientUntil(ws, (s) => s.states.session)
  peer.state('session', { users: 2 })
  assert.equal((await clientUntil(ws, (s) => s.states.session.users === 2)).versions, after.versions)
})

// --- versions and patches ---

test('listeners hear each change of a topic: kind state with its v, kind patch with its ops, a merge as ops', async () => {
  const { ws, peer } = await connected(['chat', 'settings'])
  const changes = []
  ws.subscribe((snapshot, change) => {
    if (change) changes.push(change)
  })
  peer.send({ topic: 'chat', v: 1, epoch: 'e', payload: [{ text: 'a' }] })
  peer.send({ topic: 'chat', v: 2, patch: [{ op: 'add', path: '/-', value: { text: 'b' } }] })
  peer.send({ topic: 'settings', v: 7, epoch: 'e', payload: { theme: 'light', beta: true, 'a/b': { x: 1 } } })
  peer.send({ topic: 'settings', v: 8, merge: { theme: 'dark', beta: null, gone: null, 'a/b': { x: null, y: 2 }, fresh: { n: null, m: 1 } } })
  const done = await clientUntil(ws, (s) => s.versions.settings?.v === 8)
  peer.state('chat', [])
  await clientUntil(ws, (s) => s.states.chat.length === 0)

  assert.deepEqual(done.states.chat, [{ text: 'a' }, { text: 'b' }])
  assert.deepEqual(done.versions.chat, { epoch: 'e', v: 2 })
  assert.deepEqual(done.states.settings, { theme: 'dark', 'a/b': { y: 2 }, fresh: { m: 1 } })
  assert.deepEqual(done.versions.settings, { epoch: 'e', v: 8 })
  assert.deepEqual(changes, [
    { topic: 'chat', kind: 'state', v: 1 },
    { topic: 'chat', kind: 'patch', v: 2, ops: [{ op: 'add', path: '/-', value: { text: 'b' } }] },
    { topic: 'settings', kind: 'state', v: 7 },
    { topic: 'settings', kind: 'patch', v: 8, ops: [
      { op: 'replace', path: '/theme', value: 'dark' },
      { op: 'remove', path: '/beta' },
      { op: 'remove', path: '/a~1b/x' },
      { op: 'add', path: '/a~1b/y', value: 2 },
      { op: 'add', path: '/fresh', value: { m: 1 } },
    ] },
    { topic: 'chat', kind: 'state', v: null },
  ])
})

test('a patch copies only its path: the lines it did not touch are the same objects', async () => {
  const { ws, peer } = await connected(['chat'])
  peer.send({ topic: 'chat', v: 1, epoch: 'e', payload: [{ text: 'a' }] })
  const before = await clientUntil(ws, (s) => s.states.chat)
  peer.send({ topic: 'chat', v: 2, patch: [{ op: 'add', path: '/-', value: { text: 'b' } }] })
  const after = await clientUntil(ws, (s) => s.versions.chat.v === 2)
  assert.notEqual(after.states.chat, before.states.chat)
  assert.equal(after.states.chat[0], before.states.chat[0])
  assert.deepEqual(before.states.chat, [{ text: 'a' }])
  assert.equal(Object.isFrozen(after.versions.chat), true)
})

test('a patch older than the held version is ignored and asks for nothing', async () => {
  const { ws, peer } = await connected(['chat'])
  peer.send({ topic: 'chat', v: 5, epoch: 'e', payload: ['a'] })
  await clientUntil(ws, (s) => s.states.chat)
  let notified = 0
  ws.subscribe(() => notified++)
  peer.send({ topic: 'chat', v: 5, patch: [{ op: 'add', path: '/-', value: 'old' }] })
  peer.send({ topic: 'chat', v: 3, merge: ['older'] })
  peer.send('"marker"')
  await clientUntil(ws, (s) => s.data === 'marker')
  assert.deepEqual(ws.states.chat, ['a'])
  assert.equal(notified, 1)
  ws.send('marker')
  assert.deepEqual(await peer.through('marker'), [subscribe('chat'), 'marker'])
})

test('rws.since carries the held default and internal topics, and the URL stays under 2 KB', async () => {
  const long = 'x'.repeat(600)
  const defaults = ['session', `${long}1`, `${long}2`, `${long}3`, `${long}4`]
  const ws = connect(['chat'], { defaults, internals: ['_internal'], autoReconnect: { delay: 5 } })
  await clientUntil(ws, statusIs('OPEN'))
  const first = await server.peer(0)
  assert.equal(first.request.url, '/_ws?rws=1')
  first.send({ topic: 'session', v: 3, epoch: 'e1', payload: {} })
  first.send({ topic: '_internal', v: 9, payload: {} })
  first.send({ topic: 'chat', v: 4, epoch: 'e1', payload: [] })
  for (const topic of defaults.slice(1)) first.send({ topic, v: 1, epoch: 'e1', payload: 0 })
  await clientUntil(ws, (s) => Object.keys(s.versions).length === 7)
  first.close(4000)

  const second = await server.peer(1)
  const url = new URL(second.request.url, 'ws://host')
  assert.ok(`ws://127.0.0.1:${server.port}${second.request.url}`.length <= 2048)
  assert.equal(url.searchParams.get('rws'), '1')
  const since = url.searchParams.getAll('rws.since')
  // The fourth long topic would pass 2 KB: it is left out, the short one after it still fits.
  assert.deepEqual(since, ['e1.3.session', `e1.1.${long}1`, `e1.1.${long}2`, `e1.1.${long}3`, '0.9._internal'])
  assert.equal(since.some((entry) => entry.endsWith('.chat')), false)
  ws.send('marker')
  assert.deepEqual(await second.through('marker'), [{ type: 'subscribe', topic: 'chat', epoch: 'e1', v: 4 }, 'marker'])
})

test('a subscribe sent while open carries the version held of the topic', async () => {
  const { ws, peer } = await connected(['chat'])
  peer.send({ topic: 'chat', v: 2, epoch: 'e', payload: [] })
  await clientUntil(ws, (s) => s.versions.chat)
  ws.send('unsubscribe', 'chat')
  ws.send('subscribe', 'chat')
  ws.send('subscribe', 'news')
  ws.send('marker')
  assert.deepEqual(await peer.through('marker'), [
    subscribe('chat'), unsubscribe('chat'), { type: 'subscribe', topic: 'chat', epoch: 'e', v: 2 }, subscribe('news'), 'marker',
  ])
})

test('deltas: false leaves the URL and the subscribes as they were, and a patch frame is data', async () => {
  const ws = connect(['chat'], { deltas: false, autoReconnect: { delay: 5 } })
  await clientUntil(ws, statusIs('OPEN'))
  const first = await server.peer(0)
  first.send({ topic: 'chat', v: 2, epoch: 'e', payload: [] })
  first.send({ topic: 'session', v: 2, epoch: 'e', payload: {} })
  await clientUntil(ws, (s) => s.versions.session)
  const patch = { topic: 'chat', v: 3, patch: [{ op: 'add', path: '/-', value: 1 }] }
  first.send(patch)
  await clientUntil(ws, (s) => isDeepStrictEqual(s.data, patch))
  assert.deepEqual(ws.states.chat, [])
  first.close(4000)
  const second = await server.peer(1)
  assert.equal(second.request.url, '/_ws')
  ws.send('marker')
  assert.deepEqual(await second.through('marker'), [subscribe('chat'), 'marker'])
})

test('the heartbeat answer pong is neither state nor data and notifies nobody', async () => {
  const { ws, peer } = await connected()
  let calls = 0
  ws.subscribe(() => calls++)
  peer.send('pong')
  peer.send('"after"')
  await clientUntil(ws, (s) => s.data === 'after')
  assert.equal(calls, 1)
})

test('internal topics can still be listened to: the server publishes their state', async () => {
  const { ws, peer } = await connected()
  peer.state('_internal', { version: 2 })
  assert.deepEqual((await clientUntil(ws, (s) => s.states._internal)).states._internal, { version: 2 })
})

test('snapshots keep their identity until something changes', async () => {
  const ws = connect(['chat'])
  const snapshots = []
  const stop = ws.subscribe((snapshot) => snapshots.push(snapshot))

  const connecting = ws.getSnapshot()
  assert.equal(ws.getSnapshot(), connecting)
  assert.equal(Object.isFrozen(connecting), true)
  assert.equal(Object.isFrozen(connecting.states), true)
  ws.open() // no-op while connecting
  ws.send('buffered') // buffering is not a visible change
  assert.equal(ws.getSnapshot(), connecting)

  const open = await clientUntil(ws, statusIs('OPEN'))
  assert.notEqual(open, connecting)
  assert.equal(open.states, connecting.states) // unchanged parts keep their identity too

  const peer = await server.peer(0)
  peer.state('chat', ['a'])
  const withChat = await clientUntil(ws, (s) => s.states.chat)
  assert.deepEqual(withChat.states, { chat: ['a'] })
  assert.equal(open.states.chat, undefined) // the older snapshot did not change

  peer.send({ type: 'note' })
  const withData = await clientUntil(ws, (s) => s.data)
  assert.equal(withData.states, withChat.states)
  assert.deepEqual(snapshots, [open, withChat, withData])

  stop()
  peer.state('chat', ['b'])
  peer.send('"marker"')
  await clientUntil(ws, (s) => s.data === 'marker')
  assert.equal(snapshots.length, 3)
  // The getters read the current snapshot.
  assert.equal(ws.states, ws.getSnapshot().states)
  assert.equal(ws.status, ws.getSnapshot().status)
  assert.equal(ws.data, ws.getSnapshot().data)
})

test('a throwing listener does not keep other listeners from being notified', async (t) => {
  const errors = []
  t.mock.method(console, 'error', (error) => errors.push(error))
  if (typeof globalThis.reportError === 'function') t.mock.method(globalThis, 'reportError', (error) => errors.push(error))
  const ws = connect()
  let heard = 0
  ws.subscribe(() => {
    throw new Error('boom')
  })
  ws.subscribe(() => heard++)
  await clientUntil(ws, statusIs('OPEN'))
  assert.equal(heard, 1)
  assert.deepEqual(errors.map((error) => error.message), ['boom'])
})

// --- topics ---

test('on open every current topic is subscribed, except the server-side defaults and internals', async () => {
  const { ws } = await connected(['chat', 'notifications', 'session', '_internal'])
  ws.send('marker')
  assert.deepEqual(await server.peers[0].through('marker'), [subscribe('chat'), subscribe('notifications'), 'marker'])
})

test('topics added or deleted after connect send subscribe / unsubscribe', async () => {
  const { ws, peer } = await connected(['chat'])
  assert.equal(ws.topics.add('news'), true)
  assert.equal(ws.topics.add('news'), true) // already there: nothing sent twice
  assert.equal(ws.topics.delete('chat'), true)
  assert.equal(ws.topics.delete('chat'), false) // no longer there
  assert.deepEqual([...ws.topics], ['news'])
  assert.equal(ws.topics.size, 1)
  assert.equal(ws.topics.has('news'), true)
  ws.topics.replace(['news', 'weather', 'sport'])
  ws.topics.replace(['weather', 'sport'])
  // send('subscribe'|'unsubscribe') keeps the set in step, too.
  assert.equal(ws.send('subscribe', 'extra'), true)
  assert.equal(ws.send('unsubscribe', 'sport'), true)
  ws.send('marker')
  assert.deepEqual(await peer.through('marker'), [
    subscribe('chat'),
    subscribe('news'), unsubscribe('chat'),
    subscribe('weather'), subscribe('sport'), unsubscribe('news'),
    subscribe('extra'), unsubscribe('sport'),
    'marker',
  ])
  assert.deepEqual([...ws.topics].sort(), ['extra', 'weather'])
})

test('topic changes while not open only change the set, which is subscribed on the next open', async () => {
  const ws = connect(['chat'])
  assert.equal(ws.topics.add('news'), true)
  assert.equal(ws.topics.delete('chat'), true)
  assert.equal(ws.topics.add('weather'), true)
  await clientUntil(ws, statusIs('OPEN'))
  ws.send('marker')
  assert.deepEqual(await (await server.peer(0)).through('marker'), [subscribe('news'), subscribe('weather'), 'marker'])
})

// --- losing and closing the connection ---

test('without autoReconnect a lost connection stays CLOSED; open() connects again with the current topics', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] })
  const { ws, peer } = await connected(['chat'])
  peer.state('chat', ['kept'])
  await clientUntil(ws, (s) => s.states.chat)
  ws.topics.add('news')
  peer.socket.terminate()
  await clientUntil(ws, statusIs('CLOSED'))
  t.mock.timers.tick(3_600_000)
  assert.equal(ws.status, 'CLOSED')
  assert.equal(server.attempts, 1)

  assert.equal(ws.send('publish', 'chat', 'while down'), true)
  ws.topics.delete('chat')
  ws.open()
  await clientUntil(ws, statusIs('OPEN'))
  ws.send('marker')
  assert.deepEqual(await (await server.peer(1)).through('marker'), [subscribe('news'), publish('chat', 'while down'), 'marker'])
  assert.deepEqual(ws.states.chat, ['kept'])
})

test('close() closes with 1000, keeps the buffer for the next open(), and hears nothing more from the old socket', async () => {
  const { ws, peer } = await connected(['chat'])
  const snapshots = []
  ws.subscribe((snapshot) => snapshots.push(snapshot))
  ws.close()
  assert.equal(ws.status, 'CLOSED')
  ws.send('queued')
  peer.state('chat', ['stale'])
  assert.deepEqual(await peer.closed(), { code: 1000, reason: '' })
  assert.equal(ws.states.chat, undefined)
  ws.close() // closing twice is not a change
  assert.equal(snapshots.length, 1)

  ws.open()
  await clientUntil(ws, statusIs('OPEN'))
  ws.send('marker')
  assert.deepEqual(await (await server.peer(1)).through('marker'), [subscribe('chat'), 'queued', 'marker'])
  assert.equal(ws.states.chat, undefined)
})

test('autoReconnect: a lost connection is re-established with its topics, states and buffered sends', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] })
  t.mock.method(Math, 'random', () => 0.5)
  const { ws, peer } = await connected(['chat'], { autoReconnect: { delay: 100 } })
  peer.state('chat', ['before'])
  await clientUntil(ws, (s) => s.states.chat)
  ws.topics.add('news')
  peer.close(1001)
  await clientUntil(ws, statusIs('CLOSED'))
  assert.equal(ws.send('publish', 'chat', 'sent while down'), true)
  assert.deepEqual(ws.states.chat, ['before'])

  // Between half and all of 100 ms: 75 with random() = 0.5.
  t.mock.timers.tick(74)
  assert.equal(ws.status, 'CLOSED')
  t.mock.timers.tick(1)
  assert.equal(ws.status, 'CONNECTING')
  await clientUntil(ws, statusIs('OPEN'))
  ws.send('marker')
  const second = await server.peer(1)
  assert.deepEqual(await second.through('marker'), [subscribe('chat'), subscribe('news'), publish('chat', 'sent while down'), 'marker'])
  assert.deepEqual(ws.states.chat, ['before'])
  second.state('chat', ['after'])
  await clientUntil(ws, (s) => s.states.chat[0] === 'after')
})

/**
 * Against a server that refuses every upgrade: attempt n+1 starts exactly waits[n-1] ms (mock
 * time) after attempt n was refused.
 */
async function assertWaits(t, ws, waits) {
  for (const [index, wait] of waits.entries()) {
    const attempt = index + 1
    await server.until(() => server.attempts === attempt)
    await clientUntil(ws, statusIs('CLOSED'))
    t.mock.timers.tick(wait - 1)
    assert.equal(ws.status, 'CLOSED', `attempt ${attempt + 1} waits ${wait} ms`)
    t.mock.timers.tick(1)
    assert.equal(ws.status, 'CONNECTING', `attempt ${attempt + 1} starts after ${wait} ms`)
  }
}

test('autoReconnect backs off exponentially up to maxDelay, gives up after retries and calls onFailed', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] })
  t.mock.method(Math, 'random', () => 0.5)
  server.refuse = true
  let failed = 0
  const ws = connect([], { autoReconnect: { retries: 4, delay: 100, maxDelay: 300, onFailed: () => failed++ } })
  // Each wait is 3/4 of min(maxDelay, delay * 2^(n-1)) with random() = 0.5.
  await assertWaits(t, ws, [75, 150, 225, 225])
  await server.until(() => server.attempts === 5)
  await clientUntil(ws, statusIs('CLOSED'))
  assert.equal(failed, 1)
  t.mock.timers.tick(3_600_000)
  assert.equal(ws.status, 'CLOSED')
  assert.equal(server.attempts, 5)
  assert.equal(failed, 1)
})

for (const [random, wait] of [[0, 1000], [0.5, 750], [0.99, 505]]) {
  test(`the jitter takes up to half of the backoff off at random: random() = ${random} waits ${wait} ms`, async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] })
    t.mock.method(Math, 'random', () => random)
    server.refuse = true
    const ws = connect([], { autoReconnect: { delay: 1000 } })
    await server.until(() => server.attempts === 1)
    await clientUntil(ws, statusIs('CLOSED'))
    t.mock.timers.tick(wait - 1)
    assert.equal(ws.status, 'CLOSED')
    t.mock.timers.tick(1)
    assert.equal(ws.status, 'CONNECTING')
  })
}

test('multiplier and jitter shape the backoff: no jitter waits exactly delay · multiplier^(n-1)', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] })
  server.refuse = true
  const ws = connect([], { autoReconnect: { delay: 100, multiplier: 3, jitter: 0, maxDelay: 1000 } })
  await assertWaits(t, ws, [100, 300, 900, 1000])
})

test('the retry count starts again once a connection opens', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] })
  t.mock.method(Math, 'random', () => 0)
  const { ws, peer } = await connected([], { autoReconnect: { delay: 100 } })
  server.refuse = true
  peer.socket.terminate()
  await clientUntil(ws, statusIs('CLOSED'))
  t.mock.timers.tick(100) // attempt 1 after ~100 ms: refused
  await server.until(() => server.attempts === 2)
  await clientUntil(ws, statusIs('CLOSED'))
  server.refuse = false
  t.mock.timers.tick(200) // attempt 2 after ~200 ms: accepted
  await clientUntil(ws, statusIs('OPEN'))
  ;(await server.peer(1)).socket.terminate()
  await clientUntil(ws, statusIs('CLOSED'))
  t.mock.timers.tick(99)
  assert.equal(ws.status, 'CLOSED')
  t.mock.timers.tick(1)
  assert.equal(ws.status, 'CONNECTING', 'back to the first delay')
})

test('close() during the backoff cancels the reconnection; open() during it connects at once', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] })
  const { ws, peer } = await connected([], { autoReconnect: { delay: 1000 } })
  peer.socket.terminate()
  await clientUntil(ws, statusIs('CLOSED'))
  ws.close()
  t.mock.timers.tick(3_600_000)
  assert.equal(ws.status, 'CLOSED')
  assert.equal(server.attempts, 1)

  ws.open()
  await clientUntil(ws, statusIs('OPEN'))
  ;(await server.peer(1)).socket.terminate()
  await clientUntil(ws, statusIs('CLOSED'))
  ws.open()
  assert.equal(ws.status, 'CONNECTING')
  await clientUntil(ws, statusIs('OPEN'))
  t.mock.timers.tick(3_600_000) // the cancelled timer connects nothing more
  assert.equal(server.attempts, 3)
})

test('a listener may call close() when CLOSED is announced: no reconnection follows', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] })
  const { ws, peer } = await connected([], { autoReconnect: { delay: 10 } })
  ws.subscribe((snapshot) => {
    if (snapshot.status === 'CLOSED') ws.close()
  })
  peer.socket.terminate()
  await clientUntil(ws, statusIs('CLOSED'))
  t.mock.timers.tick(3_600_000)
  assert.equal(server.attempts, 1)
})

// --- heartbeat ---

test('heartbeat: a silent server is detected after pongTimeout and the connection re-established', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] })
  t.mock.method(Math, 'random', () => 0.999)
  const { ws, peer } = await connected(['chat'], {
    heartbeat: { interval: 1000, pongTimeout: 500 },
    autoReconnect: { delay: 100 },
  })
  server.silent = true
  t.mock.timers.tick(1000)
  assert.deepEqual(await peer.messages(2), [subscribe('chat'), 'ping'])
  t.mock.timers.tick(499)
  assert.equal(ws.status, 'OPEN')
  t.mock.timers.tick(1)
  assert.equal(ws.status, 'CLOSED')
  // The close frame still got through this time: it says why.
  assert.deepEqual(await peer.closed(), { code: 3008, reason: 'heartbeat timeout' })

  server.silent = false
  t.mock.timers.tick(100)
  await clientUntil(ws, statusIs('OPEN'))
  ws.send('marker')
  assert.deepEqual(await (await server.peer(1)).through('marker'), [subscribe('chat'), 'marker'])
})

test('heartbeat: an answered ping, or any other message, keeps the connection', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] })
  const { ws, peer } = await connected([], { heartbeat: { interval: 1000, pongTimeout: 500, message: { type: 'hb' }, responseMessage: 'alive' } })
  server.silent = true // the test answers by hand

  t.mock.timers.tick(1000)
  assert.deepEqual(await peer.messages(1), [{ type: 'hb' }])
  peer.send('alive')
  peer.send('"marker-1"') // 'alive' came first: it was swallowed, not shown in data
  await clientUntil(ws, (s) => s.data === 'marker-1')
  t.mock.timers.tick(500)
  assert.equal(ws.status, 'OPEN')

  t.mock.timers.tick(500) // second heartbeat
  await peer.messages(2)
  peer.state('chat', ['any message proves life'])
  await clientUntil(ws, (s) => s.states.chat)
  t.mock.timers.tick(999)
  assert.equal(ws.status, 'OPEN')
  assert.equal(server.attempts, 1)
})

test('heartbeat: no pings while not open', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] })
  const { ws, peer } = await connected([], { heartbeat: { interval: 1000, pongTimeout: 500 } })
  ws.close()
  await peer.closed()
  t.mock.timers.tick(10_000)
  ws.open()
  await clientUntil(ws, statusIs('OPEN'))
  ws.send('marker')
  assert.deepEqual(await (await server.peer(1)).through('marker'), ['marker'])
  assert.deepEqual(peer.received, [])
})

// --- page lifecycle ---

test('autoClose: the connection closes on pagehide and opens again when the page comes back from the bfcache', async () => {
  const page = new EventTarget()
  globalThis.addEventListener = page.addEventListener.bind(page)
  globalThis.removeEventListener = page.removeEventListener.bind(page)
  const { ws, peer } = await connected(['chat'])
  page.dispatchEvent(new Event('pagehide'))
  assert.equal(ws.status, 'CLOSED')
  assert.deepEqual(await peer.closed(), { code: 1000, reason: 'page hidden' })

  const pageshow = new Event('pageshow')
  pageshow.persisted = true
  page.dispatchEvent(pageshow)
  await clientUntil(ws, statusIs('OPEN'))
  assert.equal(server.peers.length, 2)

  // Once closed by the app, a page event opens nothing.
  ws.close()
  page.dispatchEvent(new Event('pagehide'))
  page.dispatchEvent(pageshow)
  assert.equal(ws.status, 'CLOSED')
})

test('autoClose: false leaves the connection open on pagehide', async () => {
  const page = new EventTarget()
  globalThis.addEventListener = page.addEventListener.bind(page)
  globalThis.removeEventListener = page.removeEventListener.bind(page)
  const { ws } = await connected([], { autoClose: false })
  page.dispatchEvent(new Event('pagehide'))
  assert.equal(ws.status, 'OPEN')
})

// --- config.json ---

/** A server whose /_reactive-ws/config.json answers with `answer(response)`. */
async function serverWithConfig(answer) {
  await server.stop()
  server = await TestServer.start((request, response) => {
    if (request.url.startsWith('/_reactive-ws/config.json')) answer(response)
    else response.writeHead(404).end()
  })
  globalThis.location = { href: `http://127.0.0.1:${server.port}/chat` }
}

const json = (value) => (response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value))

test('without route or url the route and internals come from config.json', async () => {
  await serverWithConfig(json({ route: '/_live', topics: { defaults: ['session'], internals: ['_system'] } }))
  const ws = useWS(['chat', 'session', '_system'], { configUrl: '/_reactive-ws/config.json?case=ok' })
  clients.push(ws)
  assert.equal(ws.status, 'CONNECTING')
  // Sent before the config said '_system' is internal: dropped at open, with a warning.
  assert.equal(ws.send('publish', '_system', 'early'), true)
  await clientUntil(ws, statusIs('OPEN'))
  assert.equal(ws.send('publish', '_system', 'late'), false)
  ws.send('marker')
  const peer = await server.peer(0)
  assert.equal(peer.request.url, '/_live?rws=1')
  assert.deepEqual(await peer.through('marker'), [subscribe('chat'), 'marker'])
})

test('when config.json cannot be loaded the client warns and falls back to /_ws', async (t) => {
  const warnings = []
  t.mock.method(console, 'warn', (...args) => warnings.push(args))
  await serverWithConfig((response) => response.writeHead(404).end())
  const ws = useWS(['chat'], { configUrl: '/_reactive-ws/config.json?case=missing', internals: [] })
  clients.push(ws)
  await clientUntil(ws, statusIs('OPEN'))
  assert.equal((await server.peer(0)).request.url, '/_ws?rws=1')
  assert.equal(warnings.length, 1)
})

test('close() while the config is loading means no socket is ever opened', async () => {
  const held = []
  await serverWithConfig((response) => held.push(response))
  const configUrl = '/_reactive-ws/config.json?case=slow'
  const closedEarly = useWS(['chat'], { configUrl })
  assert.equal(closedEarly.status, 'CONNECTING')
  closedEarly.close()
  assert.equal(closedEarly.status, 'CLOSED')
  // A second client waits for the same load; it connects after the first one decided.
  const second = useWS(['chat'], { configUrl })
  clients.push(closedEarly, second)
  await new Promise((resolve) => server.http.once('request', resolve))
  json({ route: '/_ws' })(held[0])
  await clientUntil(second, statusIs('OPEN'))
  assert.equal(server.attempts, 1)
  assert.equal(closedEarly.status, 'CLOSED')
})
