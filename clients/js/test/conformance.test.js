// The conformance suite's runner for the browser client: every scenario of
// clients/conformance/scenarios.json, against the scripted server of testing/server.js on a
// loopback port. The JVM client runs the same file (ConformanceTest in the client module).
// Timing scenarios use short real timeouts; every wait is on a condition, bounded by --test-timeout.
import { test, beforeEach, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { isDeepStrictEqual } from 'node:util'
import { useWS } from '../src/reactive-ws.js'
import { TestServer, TrackedWebSocket, clientUntil } from '../testing/server.js'

const { scenarios } = JSON.parse(readFileSync(new URL('../../conformance/scenarios.json', import.meta.url), 'utf8'))
const HEARTBEAT = 'ping'

const CONFIG_PATH = '/_reactive-ws/config.json'

let server
let ws
let savedWebSocket
/** The public config the server serves at CONFIG_PATH, or null (404). */
let served = null

function serveConfig(request, response) {
  if (request.url === CONFIG_PATH && served) {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(served))
  } else {
    response.writeHead(404).end()
  }
}

beforeEach(async () => {
  savedWebSocket = Object.getOwnPropertyDescriptor(globalThis, 'WebSocket')
  globalThis.WebSocket = TrackedWebSocket
  server = await TestServer.start(serveConfig)
})

afterEach(async () => {
  ws?.close()
  ws = null
  served = null
  await TrackedWebSocket.terminateAll()
  if (savedWebSocket) Object.defineProperty(globalThis, 'WebSocket', savedWebSocket)
  else delete globalThis.WebSocket
  await server.stop()
})

/** A connection's frames without the heartbeats, which the scenarios count apart. */
const framesOf = (peer) => peer.received.filter((message) => message !== HEARTBEAT)

/** The query of a connection's handshake URL: each name with its values, sorted, as the scenarios write it. */
function queryOf(peer) {
  const query = {}
  for (const [name, value] of new URL(peer.request.url, 'http://handshake.test').searchParams) {
    if (Object.hasOwn(query, name)) query[name].push(value)
    else query[name] = [value]
  }
  for (const values of Object.values(query)) values.sort()
  return query
}

/** A scenario's query, its values sorted: the order of the parameters is not part of the contract. */
const sortedQuery = (query) => Object.fromEntries(Object.entries(query).map(([name, values]) => [name, [...values].sort()]))

/**
 * Runs one scenario's steps in order; each waits until what it expects holds. The server's topics
 * are given (none unless the options say), except where the scenario has the server serve its
 * config, which the client then loads.
 */
async function run(scenario) {
  const { topics = [], ...options } = scenario.options
  served = scenario.serverConfig ?? null
  const topicsFrom = served
    ? { configUrl: `http://127.0.0.1:${server.port}${CONFIG_PATH}` }
    : { internals: [], defaults: [], configUrl: false }
  ws = useWS(topics, { ...topicsFrom, ...options, url: server.url() })
  /** Per connection: how many of its frames earlier steps have checked. */
  const read = []
  const latest = () => server.peers.at(-1)
  for (const step of scenario.steps) {
    const where = `step ${JSON.stringify(step)}`
    switch (step.do) {
      case 'open':
        ws.open()
        break
      case 'close':
        ws.close()
        break
      case 'send':
        assert.equal(ws.send(...step.args), step.returns, where)
        break
      case 'expectStatus':
        await clientUntil(ws, (snapshot) => snapshot.status === step.status)
        break
      case 'expectState':
        await clientUntil(ws, (snapshot) => isDeepStrictEqual(snapshot.states[step.topic], step.payload))
        break
      case 'expectVersion':
        await clientUntil(ws, (snapshot) => isDeepStrictEqual(snapshot.versions[step.topic] ?? null, step.version))
        break
      case 'expectData':
        await clientUntil(ws, (snapshot) => isDeepStrictEqual(snapshot.data, step.data))
        break
      case 'expectFrames': {
        const index = step.connection ?? 0
        const peer = await server.peer(index)
        const from = read[index] ?? 0
        await peer.until(() => framesOf(peer).length >= from + step.frames.length)
        assert.deepEqual(framesOf(peer).slice(from, from + step.frames.length), step.frames, where)
        read[index] = from + step.frames.length
        break
      }
      case 'expectPings': {
        const peer = await server.peer(step.connection ?? 0)
        await peer.until(() => peer.received.filter((message) => message === HEARTBEAT).length >= step.count)
        break
      }
      case 'expectConnection':
        await server.peer(step.connection)
        break
      case 'expectUrl': {
        const peer = await server.peer(step.connection ?? 0)
        assert.deepEqual(queryOf(peer), sortedQuery(step.query), where)
        break
      }
      case 'expectClientClose': {
        const { code } = await (await server.peer(step.connection ?? 0)).closed()
        assert.equal(code, step.code, where)
        break
      }
      case 'serverSend':
        latest().send(step.frame)
        break
      case 'serverClose':
        latest().close(step.code)
        break
      case 'serverSilent':
        server.silent = step.silent
        break
      default:
        throw new Error(`unknown step ${step.do} in "${scenario.name}"`)
    }
  }
}

for (const scenario of scenarios) {
  test(`conformance: ${scenario.name}`, () => run(scenario))
}
