// The client, with versions and patches on (the default), against crossws: the engine under
// nuxt-ws, run as the benchmark's peer (bench/peers/crossws/server.mjs), which knows nothing of
// them. It must take the `rws=1` URL, and the client must behave as it always did: whole
// states, no version held, and never a resync.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { useWS } from '../src/reactive-ws.js'
import { TrackedWebSocket, clientUntil, statusIs } from '../testing/server.js'

const PEER = fileURLToPath(new URL('../../../bench/peers/crossws/server.mjs', import.meta.url))

/** Every frame the clients of this file sent, and the URLs they opened. */
const sent = []
const opened = []
class RecordingWebSocket extends TrackedWebSocket {
  constructor(url, ...rest) {
    super(url, ...rest)
    opened.push(String(url))
  }

  send(data) {
    sent.push(String(data))
    super.send(data)
  }
}

let peer
let url

/** A port nothing listens on now: the peer takes its port from PORT, as the benchmark runs it. */
async function freePort() {
  const probe = createServer()
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address()
  await new Promise((resolve) => probe.close(resolve))
  return port
}

before(async () => {
  const port = await freePort()
  peer = spawn(process.execPath, [PEER], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] })
  await new Promise((resolve, reject) => {
    peer.once('exit', (code) => reject(new Error(`the crossws peer exited with ${code}`)))
    peer.stdout.on('data', (chunk) => {
      if (String(chunk).includes('crossws bench peer on')) resolve()
    })
  })
  url = `ws://127.0.0.1:${port}/_ws`
  globalThis.WebSocket = RecordingWebSocket
})

after(async () => {
  await TrackedWebSocket.terminateAll()
  delete globalThis.WebSocket
  peer.kill()
})

test('chat lines from crossws arrive as whole lists, with rws=1 on the URL and no resync ever sent', async () => {
  const reader = useWS(['chat'], { url, defaults: ['session'], internals: [] })
  const writer = useWS([], { url, defaults: ['session'], internals: [] })
  try {
    await clientUntil(reader, statusIs('OPEN'))
    await clientUntil(writer, statusIs('OPEN'))
    // crossws answers nothing to a subscribe: the line published after it is the marker that it took effect.
    await clientUntil(reader, () => sent.some((frame) => frame.includes('"subscribe"') && frame.includes('"chat"')))
    for (const text of ['one', 'two', 'three']) {
      writer.send('publish', 'chat', { text })
      await clientUntil(writer, (snapshot) => snapshot.states.chat?.at(-1)?.text === text)
    }

    const snapshot = await clientUntil(reader, (s) => s.states.chat?.length === 3)
    assert.deepEqual(snapshot.states.chat.map((line) => line.text), ['one', 'two', 'three'])
    assert.equal(snapshot.versions?.chat, undefined, 'crossws sends no version, so none is held')
    assert.ok(opened.length >= 2 && opened.every((u) => new URL(u).searchParams.get('rws') === '1'), opened.join(' '))
    assert.deepEqual(sent.filter((frame) => frame.includes('"resync"')), [])
  } finally {
    reader.close()
    writer.close()
  }
})
