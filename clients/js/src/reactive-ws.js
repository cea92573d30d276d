// reactive-ws browser client: topics with shared state over one WebSocket.
//
// A dependency-free ES module. The reactive-ws server serves it at /_reactive-ws/reactive-ws.js,
// and /_reactive-ws/client.js re-exports it, so a page can `import { useWS } from
// '/_reactive-ws/client.js'` with no build step. Types: reactive-ws.d.ts beside it. Vue: vue.js beside it. One file, longer
// than the project's other sources, on purpose: a page loads it as it is, in one request, with no
// bundler to join parts. It also exports applyPatch and applyMerge (JSON Patch and JSON Merge
// Patch), which the adapters share with it.
//
// Wire protocol (JSON text frames), the same as nuxt-ws:
//   client -> server  {"type":"subscribe"|"unsubscribe","topic":T}
//                     {"type":"publish","topic":T,"payload":any}   or any raw message
//   server -> client  {"topic":T,"payload":any}  -> states[T] = payload
//                     {"topic":T,"v":n,"epoch":E,"payload":any} -> the same, and versions[T] = { epoch: E, v: n }
//                     anything else              -> data
//   heartbeat         the text `ping` is answered with `pong`, which never reaches `data`.
// With `deltas` (the default) the client also speaks reactive-ws's own additions (docs/protocol.md):
//   URL               ?rws=1 and, per held default or internal topic, rws.since=E.n.T
//   client -> server  {"type":"subscribe","topic":T,"epoch":E,"v":n} when it holds version n of T
//                     {"type":"resync","topic":T[,"epoch":E,"v":n]} when a patch does not fit
//   server -> client  {"topic":T,"v":n,"patch":[RFC 6902]} or {"topic":T,"v":n,"merge":RFC 7386},
//                     applied to version n-1

// --- constants ---

const DEFAULT_ROUTE = '/_ws'
const DEFAULT_CONFIG_URL = '/_reactive-ws/config.json'
const DEFAULT_BUFFER_LIMIT = 1000
const OPERATIONS = new Set(['subscribe', 'unsubscribe', 'publish'])
// WebSocket.OPEN, spelled out so a WebSocket stand-in without the static constants works too.
const READY_STATE_OPEN = 1
// The IANA-registered close code "Timeout": sent (if it still gets through) when the heartbeat gives up.
const CLOSE_HEARTBEAT_TIMEOUT = 3008
const CLOSE_NORMAL = 1000
const RECONNECT_DEFAULTS = Object.freeze({ retries: Infinity, delay: 1000, maxDelay: 30_000, multiplier: 2, jitter: 0.5 })
const HEARTBEAT_DEFAULTS = Object.freeze({ message: 'ping', responseMessage: 'pong', interval: 30_000, pongTimeout: 10_000 })
// docs/protocol.md: the opt-in's query parameter and its value (protocol 1).
const DELTAS_PARAMETER = 'rws'
const SINCE_PARAMETER = 'rws.since'
// reactive-ws's server reads an initial request line of up to 4096 bytes; half of it leaves room
// for the method, the HTTP version and what proxies add.
const MAX_URL_LENGTH = 2048

// --- types ---
// Written once, in reactive-ws.d.ts (which TypeScript reads for this module); these names point there.

/** @typedef {import('./reactive-ws.js').WSStatus} WSStatus */
/** @typedef {import('./reactive-ws.js').WSSnapshot} WSSnapshot */
/** @typedef {import('./reactive-ws.js').WSChange} WSChange */
/** @typedef {import('./reactive-ws.js').WSOptions} WSOptions */
/** @typedef {import('./reactive-ws.js').WSTopics} WSTopics */
/** @typedef {import('./reactive-ws.js').WS} WS */

// --- config ---

/**
 * Config loads in flight or done, per URL: every useWS on a page shares one request. A load
 * resolves to the config, or to null when it failed.
 */
const configLoads = new Map()

function loadConfig(configUrl) {
  let load = configLoads.get(configUrl)
  if (!load) {
    load = fetchConfig(configUrl).catch((error) => {
      // Forget the failure so that a later open() tries again.
      configLoads.delete(configUrl)
      console.warn(`reactive-ws: could not load ${configUrl}, using route ${DEFAULT_ROUTE}`, error)
      return null
    })
    configLoads.set(configUrl, load)
  }
  return load
}

async function fetchConfig(configUrl) {
  if (typeof fetch !== 'function') throw new Error('fetch is not available')
  const response = await fetch(new URL(configUrl, pageUrl()), { headers: { accept: 'application/json' } })
  if (!response.ok) throw new Error(`HTTP ${response.status}`)
  return normalizeConfig(await response.json())
}

function normalizeConfig(raw) {
  const topics = (raw && raw.topics) || {}
  return {
    route: raw && typeof raw.route === 'string' && raw.route ? raw.route : DEFAULT_ROUTE,
    defaults: stringArray(topics.defaults),
    internals: stringArray(topics.internals),
  }
}

function stringArray(value) {
  return Array.isArray(value) ? value.filter((item) => typeof item === 'string') : []
}

function pageUrl() {
  return typeof location === 'undefined' ? undefined : location.href
}

// --- options ---

/**
 * A count of milliseconds, retries or messages: a number ≥ 0 (> 0 when `positive`, Infinity only
 * when `infinite`); anything else is a TypeError that names the option.
 */
function count(name, value, fallback, { infinite = false, positive = false } = {}) {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0 || (positive && value === 0)
    || (!infinite && !Number.isFinite(value))) {
    throw new TypeError(`reactive-ws: ${name} must be a number ${positive ? '> 0' : '≥ 0'}, got ${String(value)}`)
  }
  return value
}

/** `false`/`undefined`/`null` → null (off); `true` → {} (all defaults); an object is returned as it is. */
function section(name, value) {
  if (value === undefined || value === false || value === null) return null
  if (value === true) return {}
  if (typeof value !== 'object') throw new TypeError(`reactive-ws: ${name} must be a boolean or an object`)
  return value
}

function reconnectOptions(value) {
  const given = section('autoReconnect', value)
  if (!given) return null
  // A delay of 0 would retry a refusing server in a tight loop.
  const delay = count('autoReconnect.delay', given.delay, RECONNECT_DEFAULTS.delay, { positive: true })
  const maxDelay = count('autoReconnect.maxDelay', given.maxDelay, Math.max(delay, RECONNECT_DEFAULTS.maxDelay))
  if (given.onFailed !== undefined && typeof given.onFailed !== 'function') {
    throw new TypeError('reactive-ws: autoReconnect.onFailed must be a function')
  }
  const multiplier = count('autoReconnect.multiplier', given.multiplier, RECONNECT_DEFAULTS.multiplier)
  if (multiplier < 1) throw new TypeError(`reactive-ws: autoReconnect.multiplier must be ≥ 1, got ${multiplier}`)
  const jitter = count('autoReconnect.jitter', given.jitter, RECONNECT_DEFAULTS.jitter)
  if (jitter > 1) throw new TypeError(`reactive-ws: autoReconnect.jitter must be between 0 and 1, got ${jitter}`)
  return {
    retries: count('autoReconnect.retries', given.retries, RECONNECT_DEFAULTS.retries, { infinite: true }),
    delay,
    maxDelay: Math.max(delay, maxDelay),
    multiplier,
    jitter,
    onFailed: given.onFailed,
  }
}

function heartbeatOptions(value) {
  const given = section('heartbeat', value)
  if (!given) return null
  const message = given.message ?? HEARTBEAT_DEFAULTS.message
  const responseMessage = given.responseMessage ?? HEARTBEAT_DEFAULTS.responseMessage
  if (typeof responseMessage !== 'string') throw new TypeError('reactive-ws: heartbeat.responseMessage must be a string')
  return {
    message: encode(message, 'heartbeat.message'),
    responseMessage,
    interval: count('heartbeat.interval', given.interval, HEARTBEAT_DEFAULTS.interval, { positive: true }),
    pongTimeout: count('heartbeat.pongTimeout', given.pongTimeout, HEARTBEAT_DEFAULTS.pongTimeout, { positive: true }),
  }
}

/**
 * How long to wait before reconnection attempt `attempt` (1 for the first): `min(maxDelay, delay ·
 * multiplier^(attempt-1))`, shortened by a random share of up to `jitter` of it. The random share
 * keeps clients that lost the same server from all coming back at the same moment.
 */
function backoff(reconnect, attempt) {
  const ceiling = Math.min(reconnect.maxDelay, reconnect.delay * reconnect.multiplier ** (attempt - 1))
  return ceiling * (1 - reconnect.jitter * Math.random())
}

// --- helpers ---

/** JSON text becomes a value; anything else stays the string it was. Never throws. */
function parse(text) {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function isStateMessage(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    && typeof value.topic === 'string' && Object.hasOwn(value, 'payload')
}

/**
 * A patch frame: `{"topic":T,"v":n,"patch":[…]}` or `{"topic":T,"v":n,"merge":…}`. It never has a
 * `payload`, so no client that knows only states takes it for one.
 */
function isPatchMessage(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    && typeof value.topic === 'string' && !Object.hasOwn(value, 'payload') && Number.isSafeInteger(value.v)
    && (Array.isArray(value.patch) || Object.hasOwn(value, 'merge'))
}

/**
 * The version a state frame carries, `{ epoch, v }` with epoch '0' when it has none; null unless
 * `v` is a whole number of 0 or more and `epoch`, if there, a string.
 */
function versionOf(frame) {
  const { v, epoch } = frame
  if (!Number.isSafeInteger(v) || v < 0 || (epoch !== undefined && typeof epoch !== 'string')) return null
  return Object.freeze({ epoch: epoch ?? '0', v })
}

function isBinary(value) {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value)
    || (typeof Blob !== 'undefined' && value instanceof Blob)
}

/** What goes on the wire for a raw message: strings and binary data as they are, the rest as JSON. */
function encode(value, what = 'send()') {
  if (typeof value === 'string' || isBinary(value)) return value
  const text = JSON.stringify(value)
  if (text === undefined) throw new TypeError(`reactive-ws: ${what} cannot send ${typeof value} as JSON`)
  return text
}

function checkTopic(topic) {
  if (typeof topic !== 'string' || topic === '') {
    throw new TypeError(`reactive-ws: a topic must be a non-empty string, got ${String(topic)}`)
  }
}

/** The protocol operation a raw message carries, so raw sends obey the same rules. */
function operationOf(raw) {
  const value = typeof raw === 'string' ? (raw.trimStart().startsWith('{') ? parse(raw) : null) : raw
  return value !== null && typeof value === 'object' && OPERATIONS.has(value.type)
    && typeof value.topic === 'string' ? value : null
}

function report(error) {
  if (typeof reportError === 'function') reportError(error)
  else console.error(error)
}

/** Runs a user callback; what it throws is reported, never thrown into the client's own work. */
function safely(callback, ...args) {
  try {
    callback(...args)
  } catch (error) {
    report(error)
  }
}

function ignore() {}

/** The page's window events (pagehide, pageshow), or null outside a browser. */
function pageEvents() {
  return typeof globalThis.addEventListener === 'function' && typeof globalThis.removeEventListener === 'function'
    ? globalThis : null
}

// --- JSON Patch (RFC 6902) and JSON Merge Patch (RFC 7386) ---
// Exported, for the adapters and for apps. Without `mutate`, only the objects and arrays on each
// operation's path are copied (an append copies the array of references, never its elements):
// React's `===` checks then see exactly what changed. With `mutate`, a Vue adapter changes its
// reactive tree in place, so only what reads the changed paths runs again.

const ARRAY_INDEX = /^(0|[1-9][0-9]*)$/

/**
 * Applies a JSON Patch (RFC 6902: add, remove, replace, move, copy, test) to `doc` and returns
 * the result. Without `mutate`, `doc` is never changed and the result shares every value off the
 * operations' paths with `doc` and with `ops`. With `mutate: true`, `doc` is changed in place and
 * adopts the operations' values as they are; the result is `doc` unless the patch replaced the
 * whole document. A patch that cannot be applied throws, and leaves `doc` as it was in both modes.
 */
export function applyPatch(doc, ops, { mutate = false } = {}) {
  const run = { root: doc, mutate, operation: 'JSON Patch', copies: new Set(), undo: [] }
  if (!Array.isArray(ops)) throw patchError(run, `a JSON Patch is an array of operations, got ${describe(ops)}`)
  try {
    ops.forEach((op, index) => applyOperation(run, op, index))
  } catch (error) {
    for (let i = run.undo.length - 1; i >= 0; i--) run.undo[i]()
    throw error
  }
  return run.root
}

/**
 * Merges a JSON Merge Patch (RFC 7386) into `doc` and returns the result: an object changes the
 * members it names (null removes one), anything else replaces the whole value. Without `mutate`,
 * `doc` is never changed and only the objects the patch reaches into are copied; with `mutate:
 * true`, they are changed in place. Any JSON value is a merge patch, so it never fails.
 */
export function applyMerge(doc, merge, { mutate = false } = {}) {
  if (!isPlainObject(merge)) return merge
  const result = isPlainObject(doc) ? (mutate ? doc : { ...doc }) : {}
  for (const [key, change] of Object.entries(merge)) {
    if (change === null) delete result[key]
    else setMember(result, key, applyMerge(Object.hasOwn(result, key) ? result[key] : undefined, change, { mutate }))
  }
  return result
}

function applyOperation(run, op, index) {
  run.operation = `JSON Patch operation ${index}`
  if (!isPlainObject(op)) throw patchError(run, `an operation is an object, got ${describe(op)}`)
  const name = memberOf(run, op, 'op')
  const pathText = memberOf(run, op, 'path')
  run.operation = `JSON Patch operation ${index} (${name} ${pathText})`
  const path = parsePointer(run, pathText)
  switch (name) {
    case 'add': return add(run, path, valueOf(run, op))
    case 'remove': return remove(run, path)
    case 'replace': return replace(run, path, valueOf(run, op))
    case 'move': return move(run, parsePointer(run, memberOf(run, op, 'from')), path)
    case 'copy': {
      const value = valueAt(run, parsePointer(run, memberOf(run, op, 'from')))
      add(run, path, run.mutate ? cloneJson(value) : value)
      // The value now sits at two places: changing a copy in place would change both.
      run.copies.clear()
      return
    }
    case 'test': {
      const expected = valueOf(run, op)
      const actual = valueAt(run, path)
      if (!jsonEqual(actual, expected)) {
        throw patchError(run, `the value is ${JSON.stringify(actual)}, not ${JSON.stringify(expected)}`)
      }
      return
    }
    default: throw patchError(run, `'${name}' is not an operation of JSON Patch`)
  }
}

function add(run, path, value) {
  if (path.length === 0) return setRoot(run, value)
  const parent = writableAt(run, path, path.length - 1)
  const token = path.at(-1)
  if (!Array.isArray(parent)) return setObjectMember(run, parent, token, value)
  const at = token === '-' ? parent.length : arrayIndex(run, path, path.length - 1, parent.length + 1)
  if (at === parent.length) parent.push(value)
  else parent.splice(at, 0, value)
  if (run.mutate) run.undo.push(() => parent.splice(at, 1))
}

function remove(run, path) {
  if (path.length === 0) throw patchError(run, 'the whole document cannot be removed')
  const parent = writableAt(run, path, path.length - 1)
  const key = memberKey(run, parent, path, path.length - 1)
  const old = parent[key]
  if (Array.isArray(parent)) {
    parent.splice(key, 1)
    if (run.mutate) run.undo.push(() => parent.splice(key, 0, old))
    return
  }
  if (!run.mutate) {
    delete parent[key]
    return
  }
  // Undone, the member goes back where it was: the members that followed it go behind it again.
  const keys = Object.keys(parent)
  const followers = keys.slice(keys.indexOf(key) + 1)
  delete parent[key]
  run.undo.push(() => {
    setMember(parent, key, old)
    for (const follower of followers) {
      const value = parent[follower]
      delete parent[follower]
      setMember(parent, follower, value)
    }
  })
}

function replace(run, path, value) {
  if (path.length === 0) return setRoot(run, value)
  const parent = writableAt(run, path, path.length - 1)
  const key = memberKey(run, parent, path, path.length - 1)
  if (!Array.isArray(parent)) return setObjectMember(run, parent, key, value)
  const old = parent[key]
  parent[key] = value
  if (run.mutate) run.undo.push(() => { parent[key] = old })
}

function move(run, from, path) {
  if (path.length > from.length && from.every((token, i) => token === path[i])) {
    throw patchError(run, 'a value cannot be moved into itself')
  }
  const value = valueAt(run, from)
  if (from.length === path.length && from.every((token, i) => token === path[i])) return
  remove(run, from)
  add(run, path, value)
}

function setRoot(run, value) {
  const old = run.root
  run.root = value
  if (run.mutate) run.undo.push(() => { run.root = old })
}

function setObjectMember(run, object, key, value) {
  const had = Object.hasOwn(object, key)
  const old = object[key]
  setMember(object, key, value)
  if (run.mutate) run.undo.push(() => (had ? setMember(object, key, old) : delete object[key]))
}

/** Sets an own member, even one named `__proto__` (which plain assignment would take for the prototype). */
function setMember(object, key, value) {
  if (key === '__proto__') Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true })
  else object[key] = value
}

/**
 * The object or array at the first `depth` tokens of `path`, ready to change: itself when
 * mutating, else a copy this run made (copied once, then shared by the run's later operations).
 */
function writableAt(run, path, depth) {
  if (run.mutate) {
    const node = valueAt(run, path.slice(0, depth))
    if (node === null || typeof node !== 'object') throw noMember(run, node, path, depth)
    return node
  }
  run.root = writable(run, run.root, path, 0)
  let node = run.root
  for (let i = 0; i < depth; i++) {
    const key = memberKey(run, node, path, i)
    const child = writable(run, node[key], path, i + 1)
    if (child !== node[key]) setMember(node, key, child)
    node = child
  }
  return node
}

function writable(run, node, path, depth) {
  if (run.copies.has(node)) return node
  if (node === null || typeof node !== 'object') throw noMember(run, node, path, depth)
  const copy = Array.isArray(node) ? node.slice() : { ...node }
  run.copies.add(copy)
  return copy
}

function valueAt(run, path) {
  let node = run.root
  for (let depth = 0; depth < path.length; depth++) node = node[memberKey(run, node, path, depth)]
  return node
}

/** The key of the member `path[depth]` names in `node`: an index below its length for an array. It must exist. */
function memberKey(run, node, path, depth) {
  if (Array.isArray(node)) return arrayIndex(run, path, depth, node.length)
  if (node === null || typeof node !== 'object') throw noMember(run, node, path, depth)
  if (!Object.hasOwn(node, path[depth])) throw patchError(run, `there is no value at ${pointerText(path, depth + 1)}`)
  return path[depth]
}

/** RFC 6901 section 4: digits with no leading zero; "-" (the end) only `add` takes. */
function arrayIndex(run, path, depth, limit) {
  const token = path[depth]
  if (!ARRAY_INDEX.test(token)) throw patchError(run, `'${token}' at ${pointerText(path, depth)} is not an array index`)
  const index = Number(token)
  if (index >= limit) throw patchError(run, `index ${token} is past the end of the array at ${pointerText(path, depth)}`)
  return index
}

function parsePointer(run, pointer) {
  if (pointer === '') return []
  if (pointer[0] !== '/') throw patchError(run, `the pointer '${pointer}' does not start with '/'`)
  return pointer.slice(1).split('/').map((token) => {
    if (/~([^01]|$)/.test(token)) throw patchError(run, `the pointer '${pointer}' has a '~' not followed by 0 or 1`)
    return token.replace(/~1/g, '/').replace(/~0/g, '~')
  })
}

function pointerText(path, depth) {
  if (depth === 0) return 'the document'
  return path.slice(0, depth).map((token) => `/${token.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('')
}

function memberOf(run, op, name) {
  if (typeof op[name] !== 'string') throw patchError(run, `'${name}' must be a string`)
  return op[name]
}

function valueOf(run, op) {
  if (op.value === undefined) throw patchError(run, "'value' is missing")
  return op.value
}

function noMember(run, node, path, depth) {
  return patchError(run, `${pointerText(path, depth)} is ${describe(node)}, which has no member '${path[depth]}'`)
}

function patchError(run, detail) {
  return new Error(`reactive-ws: ${run.operation}: ${detail}`)
}

function describe(value) {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

function isPlainObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** Equal as JSON values: the same members in any order, the same elements in the same order. */
function jsonEqual(a, b) {
  if (a === b) return true
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]))
  }
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key], b[key]))
}

/** A deep copy of a JSON value; structuredClone would refuse Vue's reactive proxies. */
function cloneJson(value) {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(cloneJson)
  const copy = {}
  for (const [key, member] of Object.entries(value)) setMember(copy, key, cloneJson(member))
  return copy
}

/**
 * The JSON Patch operations that do to `doc` what merging `merge` (RFC 7386) into it does, so that
 * a listener sees one form of change whichever the server sent.
 */
function mergeOps(doc, merge, path = '') {
  if (!isPlainObject(merge)) return [{ op: 'replace', path, value: merge }]
  if (!isPlainObject(doc)) return [{ op: 'replace', path, value: applyMerge(undefined, merge) }]
  const ops = []
  for (const [key, change] of Object.entries(merge)) {
    const at = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`
    const had = Object.hasOwn(doc, key)
    if (change === null) {
      if (had) ops.push({ op: 'remove', path: at })
    } else if (had) {
      ops.push(...mergeOps(doc[key], change, at))
    } else {
      ops.push({ op: 'add', path: at, value: applyMerge(undefined, change) })
    }
  }
  return ops
}

// --- useWS ---

/**
 * Connects to a reactive-ws (or nuxt-ws) server and keeps the state of `topics`.
 *
 * `states`, `status` and `data` on the returned object are getters: they always read the current
 * values, so destructuring them (`const { states } = useWS(...)`) takes a one-time copy. To react
 * to changes, `subscribe(listener)` and read `getSnapshot()`; with React:
 * `useSyncExternalStore(ws.subscribe, ws.getSnapshot)`.
 *
 * Sending: `send('subscribe' | 'unsubscribe', topic)`, `send('publish', topic, payload)` or
 * `send(raw)`. While the socket is not open, messages wait in a buffer of `bufferLimit` messages
 * (default 1000; when full, `send` returns false and drops the message) and go out in order once
 * it opens, right after the topics are subscribed. `close()` keeps the buffer for the next
 * `open()`. Subscribing and unsubscribing while not open only changes `topics`, which is sent in
 * full on every open. Subscribe, unsubscribe and publish for an internal topic are refused
 * (false); internal topics are known from the `internals` option or the server's config.json
 * (a message buffered before that config arrived is dropped with a warning at open).
 *
 * Lifecycle: CLOSED → `open()` → CONNECTING → OPEN. A lost connection (the server closed it, the
 * network failed, or the heartbeat got no answer) goes to CLOSED; with `autoReconnect` the client
 * waits (status CLOSED) and connects again, keeping `states` and the buffer. `close()` is final
 * until the next `open()`. States are never cleared: they show the last known value of each
 * topic until the server sends a new one.
 *
 * Versions and patches (`deltas`, default true): the URL gets `rws=1`, and every subscribe, or the
 * URL for a default or internal topic, says which version of the topic the client holds, so a
 * reactive-ws server answers with what changed since. A patch frame is applied to the version
 * before its own; past a gap, or when it does not apply, the client asks for a resync. Listeners
 * get a second argument for a topic's change: `{ topic, kind: 'state', v }` or `{ topic, kind:
 * 'patch', v, ops }`. A server that sends no versions (nuxt-ws, crossws) sends no patches either,
 * and the client keeps whole states as before. `deltas: false` leaves the URL and the frames as
 * they were before versions.
 *
 * Not thread-safe in the JVM sense; like the DOM, it is meant for one JavaScript thread.
 *
 * @param {Iterable<string> | string} [topics=[]] Topics to subscribe to besides the server's defaults.
 * @param {WSOptions} [options]
 * @returns {WS}
 */
export function useWS(topics = [], options = {}) {
  const {
    url,
    route,
    query,
    protocols,
    immediate = true,
    autoClose = true,
    configUrl = DEFAULT_CONFIG_URL,
    deltas = true,
  } = options
  const bufferLimit = count('bufferLimit', options.bufferLimit, DEFAULT_BUFFER_LIMIT, { positive: true })
  const reconnect = reconnectOptions(options.autoReconnect)
  const heartbeat = heartbeatOptions(options.heartbeat)
  const responseMessage = heartbeat ? heartbeat.responseMessage : HEARTBEAT_DEFAULTS.responseMessage
  const needsConfig = configUrl !== false && (!(url || route) || !options.internals)

  /** Server config; null until loaded (or when never needed). */
  let config = null
  /** The live socket, or null. Events from any other (older) socket are ignored. */
  let socket = null
  /** Whether the user wants a connection: from open() until close(), or until reconnecting gives up. */
  let wanted = false
  /** Bumped by every connection attempt and by close(), so a config load that ends late connects nothing. */
  let attempt = 0
  /** Reconnection attempts since the last open connection. */
  let retries = 0
  /** The pending reconnection, or null. */
  let reconnectTimer = null
  /** The heartbeat's interval while open, and the deadline for an answer to the last heartbeat. */
  let heartbeatTimer = null
  let pongTimer = null
  /** Topics this client wants; (re)subscribed on every open. */
  const tracked = new Set()
  /**
   * Topics for which a resync went out on this connection and neither a state nor a patch that
   * follows on from the held version came since: a further gap asks for nothing more.
   */
  const awaiting = new Set()
  /** Messages waiting for the socket to open, oldest first: { text, topic } (topic of a protocol operation, else null). */
  const buffer = []
  const listeners = new Set()
  /** @type {WSSnapshot} Replaced, never mutated, on every change. */
  let snapshot = Object.freeze({ states: Object.freeze({}), versions: Object.freeze({}), status: 'CLOSED', data: null })

  for (const topic of typeof topics === 'string' ? [topics] : topics) {
    checkTopic(topic)
    if (!isInternal(topic)) tracked.add(topic)
  }

  function internals() {
    return options.internals ?? (config ? config.internals : [])
  }

  function defaults() {
    return options.defaults ?? (config ? config.defaults : [])
  }

  function isInternal(topic) {
    return internals().includes(topic)
  }

  /** @param {WSChange} [change] what happened to a topic's state, when that is what changed */
  function update(changes, change) {
    snapshot = Object.freeze({ ...snapshot, ...changes })
    // One broken listener must not keep the others from hearing about the change.
    for (const listener of [...listeners]) safely(listener, snapshot, change)
  }

  /** The version held of `topic`, or null; `versions` is a plain object, so a topic named `__proto__` is looked up as a key. */
  function heldVersion(topic) {
    return Object.hasOwn(snapshot.versions, topic) ? snapshot.versions[topic] : null
  }

  /** A subscribe frame; with deltas it carries the version held, for the server to answer with what changed since. */
  function subscribeFrame(topic) {
    const held = deltas ? heldVersion(topic) : null
    return JSON.stringify(held ? { type: 'subscribe', topic, epoch: held.epoch, v: held.v } : { type: 'subscribe', topic })
  }

  function setStatus(status) {
    if (snapshot.status !== status) update({ status })
  }

  function isOpen() {
    return snapshot.status === 'OPEN' && socket !== null && socket.readyState === READY_STATE_OPEN
  }

  // --- connection ---

  function endpoint(serverConfig) {
    const target = new URL(url ?? route ?? (serverConfig ? serverConfig.route : DEFAULT_ROUTE), pageUrl())
    if (target.protocol === 'http:') target.protocol = 'ws:'
    else if (target.protocol === 'https:') target.protocol = 'wss:'
    for (const [key, value] of Object.entries(query ?? {})) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (item !== null && item !== undefined) target.searchParams.append(key, String(item))
      }
    }
    if (deltas) {
      target.searchParams.append(DELTAS_PARAMETER, '1')
      addSince(target)
    }
    return target.href
  }

  /**
   * The versions held of default and internal topics, which no subscribe carries: one `rws.since`
   * each, left out past MAX_URL_LENGTH (the server then sends those topics' whole states).
   */
  function addSince(target) {
    for (const topic of new Set([...defaults(), ...internals()])) {
      const held = heldVersion(topic)
      if (!held) continue
      const before = target.search
      target.searchParams.append(SINCE_PARAMETER, `${held.epoch}.${held.v}.${topic}`)
      if (target.href.length > MAX_URL_LENGTH) target.search = before
    }
  }

  /** Starts one connection attempt: loads the config first when it is needed and missing. */
  function begin() {
    const current = ++attempt
    setStatus('CONNECTING')
    if (config || !needsConfig) {
      connect(config)
      return
    }
    loadConfig(configUrl).then((loaded) => {
      if (current !== attempt) return
      // A failed load is not kept: the fallback serves this attempt only, the next one retries.
      if (loaded) config = loaded
      connect(loaded ?? normalizeConfig({}))
    })
  }

  /** @param {ReturnType<typeof normalizeConfig> | null} serverConfig */
  function connect(serverConfig) {
    let ws
    try {
      const target = endpoint(serverConfig)
      ws = protocols === undefined ? new WebSocket(target) : new WebSocket(target, protocols)
    } catch (error) {
      // A bad URL or no WebSocket at all: trying again cannot help.
      report(error)
      giveUp()
      return
    }
    socket = ws
    ws.binaryType = 'arraybuffer'
    ws.onopen = () => {
      if (ws !== socket) return
      retries = 0
      // A resync of the last connection is answered there or never; this one starts afresh.
      awaiting.clear()
      // Write everything before announcing OPEN: a listener that sends on OPEN must not
      // overtake the buffered messages.
      const skip = new Set([...defaults(), ...internals()])
      for (const topic of tracked) {
        if (!skip.has(topic)) ws.send(subscribeFrame(topic))
      }
      flush(ws)
      startHeartbeat(ws)
      setStatus('OPEN')
    }
    ws.onmessage = (event) => {
      if (ws !== socket) return
      // Anything from the server proves it is alive.
      clearTimeout(pongTimer)
      pongTimer = null
      receive(event.data)
    }
    ws.onclose = () => {
      if (ws === socket) lost()
    }
    // An error is always followed by a close event, which is where the state changes.
    ws.onerror = ignore
  }

  function flush(ws) {
    while (buffer.length > 0 && ws.readyState === READY_STATE_OPEN) {
      const { text, topic } = buffer.shift()
      if (topic !== null && isInternal(topic)) {
        // Buffered before config.json said the topic is internal; the server would refuse it too.
        console.warn(`reactive-ws: dropped a message for internal topic '${topic}'`)
      } else {
        ws.send(text)
      }
    }
  }

  function startHeartbeat(ws) {
    if (!heartbeat) return
    heartbeatTimer = setInterval(() => {
      if (ws !== socket || ws.readyState !== READY_STATE_OPEN) return
      try {
        ws.send(heartbeat.message)
      } catch {
        // The close event follows; nothing to do here.
      }
      pongTimer ??= setTimeout(() => {
        pongTimer = null
        if (ws !== socket) return
        // Closing a half-open socket waits for a close handshake that never comes: let it go
        // and count the connection as lost now.
        detach(ws)
        safely(() => ws.close(CLOSE_HEARTBEAT_TIMEOUT, 'heartbeat timeout'))
        lost()
      }, heartbeat.pongTimeout)
    }, heartbeat.interval)
  }

  function stopHeartbeat() {
    clearInterval(heartbeatTimer)
    clearTimeout(pongTimer)
    heartbeatTimer = null
    pongTimer = null
  }

  /** Stops listening to a socket that is given up; its late events (an error among them) go nowhere. */
  function detach(ws) {
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = ignore
  }

  /** The connection ended without close(): wait and connect again, or give up. */
  function lost() {
    socket = null
    stopHeartbeat()
    if (wanted && reconnect && retries < reconnect.retries) {
      retries++
      // Scheduled before CLOSED is announced, so that a listener's open() or close() replaces it.
      reconnectTimer = setTimeout(() => {
        reconnectTimer = null
        begin()
      }, backoff(reconnect, retries))
      setStatus('CLOSED')
      return
    }
    const failed = wanted && reconnect !== null
    giveUp()
    if (failed && reconnect.onFailed) safely(reconnect.onFailed)
  }

  function giveUp() {
    wanted = false
    unwatchPage()
    setStatus('CLOSED')
  }

  function receive(raw) {
    if (raw === responseMessage) return
    if (typeof raw !== 'string') {
      update({ data: raw })
      return
    }
    const value = parse(raw)
    if (isStateMessage(value)) {
      const changes = { states: Object.freeze({ ...snapshot.states, [value.topic]: value.payload }) }
      const version = versionOf(value)
      if (version) {
        changes.versions = Object.freeze({ ...snapshot.versions, [value.topic]: version })
      } else if (Object.hasOwn(snapshot.versions, value.topic)) {
        // fromEntries defines keys, so a topic named __proto__ stays a key here too.
        changes.versions = Object.freeze(Object.fromEntries(
          Object.entries(snapshot.versions).filter(([topic]) => topic !== value.topic)))
      }
      awaiting.delete(value.topic)
      update(changes, Object.freeze({ topic: value.topic, kind: 'state', v: version ? version.v : null }))
    } else if (deltas && isPatchMessage(value)) {
      receivePatch(value)
    } else {
      update({ data: value })
    }
  }

  /**
   * A patch applies to the version before its own: then the topic is at its version. An older one
   * was applied already. Past a gap, or with nothing held, it is dropped and a resync asks for
   * what is missing, once until that comes.
   */
  function receivePatch(frame) {
    const { topic } = frame
    const held = heldVersion(topic)
    if (held && frame.v === held.v + 1) {
      const old = snapshot.states[topic]
      let ops
      let next
      try {
        ops = Array.isArray(frame.patch) ? frame.patch : mergeOps(old, frame.merge)
        next = applyPatch(old, ops)
      } catch (error) {
        console.warn(`reactive-ws: a patch of topic '${topic}' does not apply to the state held; asking for the whole state`, error)
        resync(topic, null)
        return
      }
      awaiting.delete(topic)
      update({
        states: Object.freeze({ ...snapshot.states, [topic]: next }),
        versions: Object.freeze({ ...snapshot.versions, [topic]: Object.freeze({ epoch: held.epoch, v: frame.v }) }),
      }, Object.freeze({ topic, kind: 'patch', v: frame.v, ops }))
      return
    }
    if (held && frame.v <= held.v) return
    if (!awaiting.has(topic)) resync(topic, held)
  }

  /** Asks the server for what `held` lacks (the whole state when null); it only goes on the open socket it answers. */
  function resync(topic, held) {
    awaiting.add(topic)
    const frame = held ? { type: 'resync', topic, epoch: held.epoch, v: held.v } : { type: 'resync', topic }
    if (isOpen()) safely(() => socket.send(JSON.stringify(frame)))
  }

  // --- page lifecycle (autoClose) ---

  function onPageHide() {
    if (!wanted) return
    close(CLOSE_NORMAL, 'page hidden')
    // Back from the back/forward cache, the page carries on where it was: connect again.
    pageEvents()?.addEventListener('pageshow', (event) => {
      if (event.persisted && !wanted) open()
    }, { once: true })
  }

  function watchPage() {
    if (autoClose) pageEvents()?.addEventListener('pagehide', onPageHide)
  }

  function unwatchPage() {
    pageEvents()?.removeEventListener('pagehide', onPageHide)
  }

  // --- public API ---

  function open() {
    if (socket !== null || (snapshot.status === 'CONNECTING' && wanted)) return
    clearTimeout(reconnectTimer)
    reconnectTimer = null
    retries = 0
    if (!wanted) {
      wanted = true
      watchPage()
    }
    begin()
  }

  function close(code = CLOSE_NORMAL, reason) {
    wanted = false
    attempt++
    clearTimeout(reconnectTimer)
    reconnectTimer = null
    stopHeartbeat()
    unwatchPage()
    const ws = socket
    socket = null
    if (ws) {
      detach(ws)
      safely(() => ws.close(code, reason))
    }
    setStatus('CLOSED')
  }

  function transmit(text, topic = null) {
    if (isOpen()) {
      try {
        socket.send(text)
        return true
      } catch {
        return false
      }
    }
    if (buffer.length >= bufferLimit) return false
    buffer.push({ text, topic })
    return true
  }

  function operate(type, topic, text) {
    if (isInternal(topic)) return false
    if (type === 'publish') return transmit(text, topic)
    if (type === 'subscribe') tracked.add(topic)
    else tracked.delete(topic)
    // Not open: nothing to send, the next open subscribes exactly `tracked`.
    return isOpen() ? transmit(text, topic) : true
  }

  /** @type {WSSend} */
  function send(typeOrRaw, topic, payload) {
    if (arguments.length >= 2 && OPERATIONS.has(typeOrRaw)) {
      checkTopic(topic)
      if (typeOrRaw === 'subscribe') return operate(typeOrRaw, topic, subscribeFrame(topic))
      const frame = typeOrRaw === 'publish' ? { type: typeOrRaw, topic, payload } : { type: typeOrRaw, topic }
      return operate(typeOrRaw, topic, JSON.stringify(frame))
    }
    if (typeOrRaw === undefined) throw new TypeError('reactive-ws: send() needs a message')
    const text = encode(typeOrRaw)
    const operation = isBinary(typeOrRaw) ? null : operationOf(typeOrRaw)
    return operation ? operate(operation.type, operation.topic, text) : transmit(text)
  }

  function subscribe(listener) {
    if (typeof listener !== 'function') {
      throw new TypeError('reactive-ws: subscribe(listener) observes changes; use topics.add(topic) to subscribe to a topic')
    }
    listeners.add(listener)
    return () => {
      listeners.delete(listener)
    }
  }

  function getSnapshot() {
    return snapshot
  }

  /** @type {WSTopics & Iterable<string>} */
  const topicSet = {
    add(topic) {
      checkTopic(topic)
      if (isInternal(topic)) return false
      if (tracked.has(topic)) return true
      return send('subscribe', topic)
    },
    delete(topic) {
      if (!tracked.has(topic)) return false
      return send('unsubscribe', topic)
    },
    has(topic) {
      return tracked.has(topic)
    },
    replace(next) {
      const nextTopics = new Set(next)
      nextTopics.forEach(checkTopic)
      for (const topic of [...tracked]) {
        if (!nextTopics.has(topic)) topicSet.delete(topic)
      }
      for (const topic of nextTopics) topicSet.add(topic)
    },
    get size() {
      return tracked.size
    },
    [Symbol.iterator]() {
      return tracked.values()
    },
  }

  if (immediate) open()

  return {
    get states() {
      return snapshot.states
    },
    get status() {
      return snapshot.status
    },
    get data() {
      return snapshot.data
    },
    send,
    open,
    close,
    subscribe,
    getSnapshot,
    topics: topicSet,
  }
}
