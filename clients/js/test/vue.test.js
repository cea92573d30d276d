// Unit tests for the Vue adapter, run by `node --test` with the real Vue (a devDependency) against
// a real WebSocket server (testing/server.js). An effect scope stands in for a component: Vue
// gives every component one, and `onScopeDispose` runs when it unmounts.
import { test, beforeEach, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import { computed, effectScope, isReadonly, nextTick, reactive, ref, toRaw, watchEffect } from 'vue'
import { useWS, useWSState } from '../src/vue.js'
import { TestServer, TrackedWebSocket, clientUntil } from '../testing/server.js'

const subscribe = (topic) => ({ type: 'subscribe', topic })
const unsubscribe = (topic) => ({ type: 'unsubscribe', topic })

let server
let scopes
const savedWebSocket = globalThis.WebSocket

beforeEach(async () => {
  globalThis.WebSocket = TrackedWebSocket
  scopes = []
  server = await TestServer.start()
})

afterEach(async () => {
  for (const scope of scopes) scope.stop()
  await TrackedWebSocket.terminateAll()
  await server.stop()
  globalThis.WebSocket = savedWebSocket
  // The states are shared page-wide: start every test from none.
  for (const topic of Object.keys(useWSState())) delete useWSState()[topic]
})

/** Runs `setup` in a new effect scope, as a component's setup would run. */
function mount(setup) {
  const scope = effectScope()
  scopes.push(scope)
  return { scope, result: scope.run(setup) }
}

const options = { internals: ['_internal'], defaults: ['session'] }
const useTestWS = (topics, extra = {}) => useWS(topics, { url: server.url(), ...options, ...extra })

/** Resolves once `predicate()` is true, checked by a Vue effect on every change it reads. */
function until(predicate) {
  return new Promise((resolve) => {
    let stop = null
    let done = false
    stop = watchEffect(() => {
      if (done || !predicate()) return
      done = true
      resolve()
      stop?.()
    })
    if (done) stop()
  })
}

test('status and data are read-only refs; states is reactive and follows the server', async () => {
  const { result: ws } = mount(() => useTestWS(['chat']))
  assert.equal(isReadonly(ws.status), true)
  assert.equal(isReadonly(ws.data), true)
  assert.equal(ws.status.value, 'CONNECTING')
  const users = computed(() => ws.states.session?.users ?? 0)
  await until(() => ws.status.value === 'OPEN')

  const peer = await server.peer(0)
  peer.state('session', { users: 2 })
  peer.state('chat', [{ user: 'a', text: 'hi' }])
  await until(() => ws.states.chat)
  assert.equal(users.value, 2)
  assert.deepEqual(ws.states.chat, [{ user: 'a', text: 'hi' }])

  peer.send({ type: 'error', code: 'forbidden' })
  await until(() => ws.data.value)
  assert.deepEqual(ws.data.value, { type: 'error', code: 'forbidden' })

  assert.equal(ws.send('publish', 'chat', { text: 'from vue' }), true)
  ws.send('marker')
  assert.deepEqual(await peer.through('marker'), [subscribe('chat'), { type: 'publish', topic: 'chat', payload: { text: 'from vue' } }, 'marker'])
})

test('topics as a ref: changes subscribe and unsubscribe', async () => {
  const topics = ref(['chat'])
  const { result: ws } = mount(() => useTestWS(topics))
  await until(() => ws.status.value === 'OPEN')
  const peer = await server.peer(0)

  topics.value = ['chat', 'news']
  await nextTick()
  topics.value.push('weather') // a ref's array is deeply reactive
  await nextTick()
  topics.value = ['weather']
  await nextTick()
  ws.send('marker')
  assert.deepEqual(await peer.through('marker'), [
    subscribe('chat'),
    subscribe('news'),
    subscribe('weather'),
    unsubscribe('chat'), unsubscribe('news'),
    'marker',
  ])
  assert.deepEqual([...ws.topics], ['weather'])
})

test('topics as a getter or a reactive array', async () => {
  const picked = reactive(['chat'])
  const room = ref('lobby')
  const { result: [byArray, byGetter] } = mount(() => [
    useTestWS(picked),
    useTestWS(() => ['chat', `room/${room.value}`]),
  ])
  await until(() => byArray.status.value === 'OPEN' && byGetter.status.value === 'OPEN')

  picked.push('news')
  room.value = 'kitchen'
  await nextTick()
  byArray.send('marker')
  byGetter.send('marker')
  const peers = [await server.peer(0), await server.peer(1)]
  const frames = await Promise.all(peers.map((peer) => peer.through('marker')))
  // The two connections may have been accepted in either order.
  const byFirstFrame = Object.fromEntries(frames.map((list) => [list.length, list]))
  assert.deepEqual(byFirstFrame[3], [subscribe('chat'), subscribe('news'), 'marker'])
  assert.deepEqual(byFirstFrame[5], [
    subscribe('chat'), subscribe('room/lobby'),
    unsubscribe('room/lobby'), subscribe('room/kitchen'),
    'marker',
  ])
})

test('useWSState shares the states with components that have no connection', async () => {
  const { result: ws } = mount(() => useTestWS(['chat']))
  const { result: reader } = mount(() => {
    const states = useWSState()
    return { users: computed(() => states.session?.users), chat: computed(() => states.chat) }
  })
  assert.equal(reader.users.value, undefined)
  await until(() => ws.status.value === 'OPEN')
  const peer = await server.peer(0)
  peer.state('session', { users: 5 })
  peer.state('chat', ['one'])
  await until(() => reader.chat.value)
  assert.equal(reader.users.value, 5)
  assert.equal(ws.states, useWSState())

  // A topic named like an Object property is just a key.
  peer.state('__proto__', 'odd')
  peer.state('constructor', 'odder')
  await until(() => useWSState().constructor === 'odder')
  assert.equal(Object.getOwnPropertyDescriptor(useWSState(), '__proto__').value, 'odd')
  assert.equal(Object.getPrototypeOf(useWSState()), null)
})

test('the connection closes when the component unmounts, and states keep their last values', async () => {
  const { scope, result: ws } = mount(() => useTestWS(['chat']))
  await until(() => ws.status.value === 'OPEN')
  const peer = await server.peer(0)
  peer.state('chat', ['last'])
  await until(() => ws.states.chat)
  scope.stop()
  assert.deepEqual(await peer.closed(), { code: 1000, reason: '' })
  assert.equal(ws.client.status, 'CLOSED')
  assert.deepEqual(useWSState().chat, ['last'])
})

test('autoClose: false keeps the connection, and the shared states current, after unmount', async () => {
  const topics = ref(['chat'])
  const { scope, result: ws } = mount(() => useTestWS(topics, { autoClose: false }))
  await until(() => ws.status.value === 'OPEN')
  scope.stop()
  const peer = await server.peer(0)
  peer.state('chat', ['still flowing'])
  await until(() => useWSState().chat)
  assert.equal(ws.client.status, 'OPEN')
  // The component is gone: its topic ref no longer steers the connection.
  topics.value = []
  await nextTick()
  ws.send('marker')
  assert.deepEqual(await peer.through('marker'), [subscribe('chat'), 'marker'])
  ws.close()
})

test('immediate: false waits for open(); outside a component nothing is cleaned up automatically', async () => {
  const ws = useTestWS('chat', { immediate: false })
  assert.equal(ws.status.value, 'CLOSED')
  ws.open()
  await until(() => ws.status.value === 'OPEN')
  ws.close()
  assert.equal(ws.status.value, 'CLOSED')
  assert.deepEqual(await (await server.peer(0)).closed(), { code: 1000, reason: '' })
})

test('a patch changes the shared state in place: an append re-runs what reads the length, not what reads a line', async () => {
  const { result: ws } = mount(() => useTestWS(['chat']))
  await until(() => ws.status.value === 'OPEN')
  const peer = await server.peer(0)
  peer.send({ topic: 'chat', v: 1, epoch: 'e', payload: [{ text: 'hi' }] })
  await until(() => ws.states.chat)
  const runs = { text: 0, length: 0 }
  mount(() => {
    watchEffect(() => {
      runs.text++
      return ws.states.chat[0].text
    })
    watchEffect(() => {
      runs.length++
      return ws.states.chat.length
    })
  })
  const chat = ws.states.chat
  assert.deepEqual(runs, { text: 1, length: 1 })

  peer.send({ topic: 'chat', v: 2, patch: [{ op: 'add', path: '/-', value: { text: 'yo' } }] })
  await until(() => ws.states.chat.length === 2)
  await nextTick()
  assert.deepEqual(runs, { text: 1, length: 2 })
  assert.equal(ws.states.chat, chat)

  peer.send({ topic: 'chat', v: 3, patch: [{ op: 'replace', path: '/0/text', value: 'hello' }] })
  await until(() => ws.states.chat[0].text === 'hello')
  await nextTick()
  assert.deepEqual(runs, { text: 2, length: 2 })
  // Vue's tree is a copy: changing it in place left the plain store's states as the patches made them.
  assert.deepEqual(ws.client.states.chat, [{ text: 'hello' }, { text: 'yo' }])
  assert.notEqual(ws.client.states.chat, toRaw(ws.states.chat))
  assert.deepEqual(toRaw(ws.states.chat), [{ text: 'hello' }, { text: 'yo' }])
})

test('two connections on one page apply a patch once; a whole state or a merge keeps Vue in step too', async () => {
  const { result: [first, second] } = mount(() => [useTestWS(['settings']), useTestWS(['settings'])])
  await until(() => first.status.value === 'OPEN' && second.status.value === 'OPEN')
  const peers = [await server.peer(0), await server.peer(1)]
  for (const peer of peers) peer.send({ topic: 'settings', v: 1, epoch: 'e', payload: { tags: ['a'], theme: 'light' } })
  await Promise.all([first, second].map((ws) => clientUntil(ws.client, (s) => s.states.settings)))
  const tags = useWSState().settings.tags
  let runs = 0
  mount(() => watchEffect(() => {
    runs++
    return useWSState().settings.tags.length
  }))
  for (const peer of peers) peer.send({ topic: 'settings', v: 2, patch: [{ op: 'add', path: '/tags/-', value: 'b' }] })
  await Promise.all([first, second].map((ws) => clientUntil(ws.client, (s) => s.versions.settings.v === 2)))
  await nextTick()
  assert.deepEqual(toRaw(useWSState().settings), { tags: ['a', 'b'], theme: 'light' })
  assert.equal(useWSState().settings.tags, tags)
  assert.equal(runs, 2)

  peers[0].send({ topic: 'settings', v: 3, merge: { theme: 'dark' } })
  await until(() => useWSState().settings.theme === 'dark')
  assert.equal(useWSState().settings.tags, tags)
  peers[1].send({ topic: 'settings', v: 9, epoch: 'f', payload: { tags: [] } })
  await until(() => useWSState().settings.tags.length === 0)
  assert.deepEqual(toRaw(useWSState().settings), { tags: [] })
})
