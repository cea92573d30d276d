// reactive-ws browser client: topics with shared state over one WebSocket.
//
// A dependency-free ES module. The reactive-ws server serves it at /_reactive-ws/client.js, so a
// page can `import { useWS } from '/_reactive-ws/client.js'` with no build step.
//
// Wire protocol (JSON text frames), the same as nuxt-ws:
//   client -> server  {"type":"subscribe"|"unsubscribe","topic":T}
//                     {"type":"publish","topic":T,"payload":any}   or any raw message
//   server -> client  {"topic":T,"payload":any}  -> states[T] = payload
//                     anything else              -> data
//   heartbeat         the text `ping` is answered with `pong`, which never reaches `data`.

// --- constants ---

const DEFAULT_ROUTE = '/_ws'
const DEFAULT_CONFIG_URL = '/_reactive-ws/config.json'
const DEFAULT_BUFFER_LIMIT = 1000
const PONG = 'pong'
const OPERATIONS = new Set(['subscribe', 'unsubscribe', 'publish'])
// WebSocket.OPEN, spelled out so a WebSocket stand-in without the static constants works too.
const READY_STATE_OPEN = 1

// --- types ---

/**
 * @typedef {'OPEN' | 'CONNECTING' | 'CLOSED'} WSStatus
 */

/**
 * An immutable view of a connection. A new object is made only when something changed, so it
 * can be compared by identity (React's useSyncExternalStore relies on that).
 * @typedef {object} WSSnapshot
 * @property {Readonly<Record<string, any>>} states Last payload received per topic.
 * @property {WSStatus} status Connection status.
 * @property {any} data Last message that was not a topic state: parsed JSON when it was JSON
 *   text, the string otherwise, an ArrayBuffer for a binary frame; `null` before the first one.
 */

/**
 * @typedef {object} WSOptions
 * @property {string} [url] Full WebSocket URL (`ws://`, `wss://`, or `http(s)://`, which is turned
 *   into `ws(s)://`). Takes precedence over `route`.
 * @property {string} [route] WebSocket path on the page's origin. Default: `route` from the
 *   server's config.json, or `/_ws` when that cannot be loaded.
 * @property {Record<string, string | number | boolean | Array<string | number | boolean> | null | undefined>} [query]
 *   Added to the URL's query string; `null`/`undefined` values are left out, arrays repeat the key.
 * @property {string | string[]} [protocols] WebSocket sub-protocols.
 * @property {boolean} [immediate=true] Connect at once; otherwise call `open()`.
 * @property {string[]} [internals] Internal topics (listen-only). Default: from config.json.
 * @property {string[]} [defaults] Topics the server subscribes every peer to. Default: from
 *   config.json.
 * @property {string | false} [configUrl='/_reactive-ws/config.json'] Where to load the server's
 *   public config. It is loaded only when something is missing: the endpoint (`url`/`route`) or
 *   `internals`. `false` never loads it.
 * @property {number} [bufferLimit=1000] How many messages may wait while the socket is not open.
 */

/**
 * The set of topics this client subscribes to. Changes are sent to the server right away when
 * the socket is open; in any case the whole set is subscribed again on every (re)open.
 * @typedef {object} WSTopics
 * @property {(topic: string) => boolean} add Subscribes; false if the topic is internal.
 * @property {(topic: string) => boolean} delete Unsubscribes; false if it was not in the set.
 * @property {(topic: string) => boolean} has Whether the topic is in the set.
 * @property {(topics: Iterable<string>) => void} replace Makes the set equal to `topics`,
 *   subscribing the new ones and unsubscribing the ones that are gone.
 * @property {number} size Number of topics in the set.
 */

/**
 * @typedef {object} WS
 * @property {Readonly<Record<string, any>>} states Getter: current per-topic states.
 * @property {WSStatus} status Getter: current connection status.
 * @property {any} data Getter: last message that was not a topic state.
 * @property {WSSend} send Sends a message, or buffers it while the socket is not open.
 * @property {() => void} open Connects, unless already open or connecting.
 * @property {(code?: number, reason?: string) => void} close Closes the connection.
 * @property {(listener: (snapshot: WSSnapshot) => void) => () => void} subscribe Observes every
 *   change of states, status or data; returns the function that stops observing. (To subscribe
 *   to a topic, use `topics.add`.)
 * @property {() => WSSnapshot} getSnapshot The current immutable snapshot.
 * @property {WSTopics & Iterable<string>} topics The topics this client subscribes to.
 */

/**
 * @callback WSSend
 * @param {string | object | ArrayBuffer | ArrayBufferView | Blob} typeOrRaw One of
 *   `'subscribe'`, `'unsubscribe'`, `'publish'` followed by a topic, or else a raw message: a
 *   string or binary data is sent as is, anything else as JSON.
 * @param {string} [topic]
 * @param {any} [payload] For `'publish'`.
 * @returns {boolean} true if sent or buffered; false if refused (internal topic, full buffer,
 *   or the socket rejected it).
 */

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

function isBinary(value) {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value)
    || (typeof Blob !== 'undefined' && value instanceof Blob)
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
 * (false); internal topics are known from the `internals` option or the server's config.json.
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
    configUrl = DEFAULT_CONFIG_URL,
    bufferLimit = DEFAULT_BUFFER_LIMIT,
  } = options
  const needsConfig = configUrl !== false && (!(url || route) || !options.internals)

  /** Server config; null until loaded (or when never needed). */
  let config = null
  /** The live socket, or null. Events from any other (older) socket are ignored. */
  let socket = null
  /** Bumped by every open() and close(), so a config load that ends late cannot connect a closed client. */
  let attempt = 0
  /** Topics this client wants; (re)subscribed on every open. */
  const tracked = new Set()
  /** Encoded messages waiting for the socket to open, oldest first. */
  const buffer = []
  const listeners = new Set()
  /** @type {WSSnapshot} Replaced, never mutated, on every change. */
  let snapshot = Object.freeze({ states: Object.freeze({}), status: 'CLOSED', data: null })

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

  function update(changes) {
    snapshot = Object.freeze({ ...snapshot, ...changes })
    for (const listener of [...listeners]) {
      try {
        listener(snapshot)
      } catch (error) {
        // One broken listener must not keep the others from hearing about the change.
        report(error)
      }
    }
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
    return target.href
  }

  /** @param {ReturnType<typeof normalizeConfig> | null} serverConfig */
  function connect(serverConfig) {
    let ws
    try {
      const target = endpoint(serverConfig)
      ws = protocols === undefined ? new WebSocket(target) : new WebSocket(target, protocols)
    } catch (error) {
      // A bad URL or no WebSocket at all: the same outcome as a connection that failed.
      setStatus('CLOSED')
      report(error)
      return
    }
    socket = ws
    ws.binaryType = 'arraybuffer'
    ws.onopen = () => {
      if (ws !== socket) return
      // Write everything before announcing OPEN: a listener that sends on OPEN must not
      // overtake the buffered messages.
      const skip = new Set([...defaults(), ...internals()])
      for (const topic of tracked) {
        if (!skip.has(topic)) ws.send(JSON.stringify({ type: 'subscribe', topic }))
      }
      while (buffer.length > 0 && ws.readyState === READY_STATE_OPEN) ws.send(buffer.shift())
      setStatus('OPEN')
    }
    ws.onmessage = (event) => {
      if (ws === socket) receive(event.data)
    }
    ws.onclose = () => {
      if (ws !== socket) return
      socket = null
      setStatus('CLOSED')
      // Reconnection will hook in here (the user still wants a connection: no close() was called).
    }
    // An error is always followed by a close event, which is where the state changes.
    ws.onerror = () => {}
  }

  function receive(raw) {
    if (raw === PONG) return
    if (typeof raw !== 'string') {
      update({ data: raw })
      return
    }
    const value = parse(raw)
    if (isStateMessage(value)) {
      update({ states: Object.freeze({ ...snapshot.states, [value.topic]: value.payload }) })
    } else {
      update({ data: value })
    }
  }

  // --- public API ---

  function open() {
    if (snapshot.status !== 'CLOSED') return
    const current = ++attempt
    setStatus('CONNECTING')
    if (config || !needsConfig) {
      connect(config)
      return
    }
    loadConfig(configUrl).then((loaded) => {
      if (current !== attempt) return
      // A failed load is not kept: the fallback serves this attempt only, the next open() retries.
      if (loaded) config = loaded
      connect(loaded ?? normalizeConfig({}))
    })
  }

  function close(code = 1000, reason) {
    attempt++
    const ws = socket
    socket = null
    if (ws) {
      try {
        ws.close(code, reason)
      } catch (error) {
        report(error)
      }
    }
    setStatus('CLOSED')
  }

  function transmit(text) {
    if (isOpen()) {
      try {
        socket.send(text)
        return true
      } catch {
        return false
      }
    }
    if (buffer.length >= bufferLimit) return false
    buffer.push(text)
    return true
  }

  function operate(type, topic, text) {
    if (isInternal(topic)) return false
    if (type === 'publish') return transmit(text)
    if (type === 'subscribe') tracked.add(topic)
    else tracked.delete(topic)
    // Not open: nothing to send, the next open subscribes exactly `tracked`.
    return isOpen() ? transmit(text) : true
  }

  /** @type {WSSend} */
  function send(typeOrRaw, topic, payload) {
    if (arguments.length >= 2 && OPERATIONS.has(typeOrRaw)) {
      checkTopic(topic)
      const frame = typeOrRaw === 'publish' ? { type: typeOrRaw, topic, payload } : { type: typeOrRaw, topic }
      return operate(typeOrRaw, topic, JSON.stringify(frame))
    }
    if (typeOrRaw === undefined) throw new TypeError('reactive-ws: send() needs a message')
    const text = typeof typeOrRaw === 'string' || isBinary(typeOrRaw) ? typeOrRaw : JSON.stringify(typeOrRaw)
    if (text === undefined) throw new TypeError(`reactive-ws: cannot send ${typeof typeOrRaw} as JSON`)
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
      const wanted = new Set(next)
      wanted.forEach(checkTopic)
      for (const topic of [...tracked]) {
        if (!wanted.has(topic)) topicSet.delete(topic)
      }
      for (const topic of wanted) topicSet.add(topic)
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
