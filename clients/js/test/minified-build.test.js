// The minified build (dist/reactive-ws.min.js, made by scripts/build.mjs before the tests) is the
// same client: it exports what the readable module exports and speaks the protocol with a server.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as readable from '../src/reactive-ws.js'
import * as minified from '../dist/reactive-ws.min.js'
import { TestServer, TrackedWebSocket, clientUntil, statusIs } from '../testing/server.js'

test('exports what the readable module exports', () => {
  assert.deepEqual(Object.keys(minified).sort(), Object.keys(readable).sort())
})

test('subscribes, receives a state and publishes over a real socket', async (t) => {
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'WebSocket')
  globalThis.WebSocket = TrackedWebSocket
  const server = await TestServer.start()
  t.after(async () => {
    await TrackedWebSocket.terminateAll()
    if (saved) Object.defineProperty(globalThis, 'WebSocket', saved)
    else delete globalThis.WebSocket
    await server.stop()
  })

  const ws = minified.useWS(['chat'], { url: server.url(), internals: [], defaults: [] })
  await clientUntil(ws, statusIs('OPEN'))
  const peer = await server.peer(0)
  assert.deepEqual(await peer.messages(1), [{ type: 'subscribe', topic: 'chat' }])

  peer.state('chat', ['hello'])
  await clientUntil(ws, (snapshot) => snapshot.states.chat?.[0] === 'hello')
  assert.equal(ws.send('publish', 'chat', 'hi'), true)
  assert.deepEqual(await peer.messages(2), [{ type: 'subscribe', topic: 'chat' }, { type: 'publish', topic: 'chat', payload: 'hi' }])
  ws.close()
})
