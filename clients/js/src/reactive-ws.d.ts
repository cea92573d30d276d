// Types for reactive-ws.js, the browser client. `T` maps each topic to the type of its state,
// as in nuxt-ws: useWS<{ chat: { user?: string; text: string }[]; session: { users: number } }>(['chat']).

/** Connection status. */
export type WSStatus = 'OPEN' | 'CONNECTING' | 'CLOSED'

/** Topic name → type of the state the server sends for it. */
export type WSTopicMap = Record<string, any>

/**
 * What `send('publish', topic, payload)` accepts for each topic by default: the topic's state
 * type, or one element of it when the state is a list (the chat pattern: publish a line, receive
 * the whole list). Pass your own map as `useWS`'s third type argument to be exact.
 */
export type WSPublishMap<T extends WSTopicMap> = {
  [K in keyof T]: T[K] | (T[K] extends readonly (infer E)[] ? E : never)
}

/** A topic name: one of the map's, or any other string (its state is then untyped). */
export type WSTopic<T extends WSTopicMap> = (keyof T & string) | (string & {})

/** Per-topic states: a topic is undefined until its first state arrives. */
export type WSStates<T extends WSTopicMap> = { readonly [K in keyof T]?: T[K] }

/** Raw messages `send` passes through: strings and binary data as they are, anything else as JSON. */
export type WSRawMessage = string | ArrayBuffer | ArrayBufferView | Blob | object

/**
 * The version of a topic's state the client holds: the `epoch` and `v` of the topic's last state
 * frame. Numbers count within one epoch; compare epochs for equality only.
 */
export interface WSVersion {
  /** The data set's name as the server wrote it; '0' when the frame had none. */
  readonly epoch: string
  /** The state's version within the epoch, 0 or more. */
  readonly v: number
}

/** An immutable view of a connection; a new object whenever something changed. */
export interface WSSnapshot<T extends WSTopicMap = WSTopicMap, D = any> {
  readonly states: WSStates<T>
  /** Per topic, the version its last state frame carried; a topic whose last frame had none is absent. */
  readonly versions: { readonly [topic: string]: WSVersion | undefined }
  readonly status: WSStatus
  /** Last message that was not a topic state (parsed JSON, a string, or an ArrayBuffer); null before one. */
  readonly data: D | null
}

/**
 * What changed in a topic's state, the second argument of a `subscribe` listener: a state frame
 * replaced it (`v` its version, null when it had none), or a patch frame changed it (`ops`, the
 * JSON Patch that was applied; a JSON Merge Patch from the server comes as the equivalent ops).
 */
export type WSChange =
  | { readonly topic: string; readonly kind: 'state'; readonly v: number | null }
  | { readonly topic: string; readonly kind: 'patch'; readonly v: number; readonly ops: readonly WSPatchOperation[] }

export interface WSReconnectOptions {
  /** Attempts after a connection is lost, before giving up; counted again from 0 once one opens. Default: Infinity. */
  retries?: number
  /** Milliseconds before the first attempt, multiplied for each further one. Default: 1000. */
  delay?: number
  /** The growing stops here. Default: 30000. */
  maxDelay?: number
  /** What each wait is multiplied by for the next attempt, at least 1. Default: 2. */
  multiplier?: number
  /** The largest share (0 to 1) of each wait taken off at random. Default: 0.5. */
  jitter?: number
  /** Called once the retries are used up. */
  onFailed?: () => void
}

export interface WSHeartbeatOptions {
  /** Sent every `interval` while open; objects go as JSON. Default: 'ping'. */
  message?: string | object
  /** The server's answer, never shown in `data`. Default: 'pong'. */
  responseMessage?: string
  /** Milliseconds between heartbeats. Default: 30000. */
  interval?: number
  /** With nothing received this long after a heartbeat, the client closes with 3008 and counts the connection as lost. Default: 10000. */
  pongTimeout?: number
}

export interface WSOptions {
  /** Full WebSocket URL (ws:, wss:, http: or https:); takes precedence over `route`. */
  url?: string
  /** WebSocket path on the page's origin. Default: the server's config.json route, else '/_ws'. */
  route?: string
  /** Added to the URL's query string; null/undefined values are left out, arrays repeat the key. */
  query?: Record<string, string | number | boolean | Array<string | number | boolean> | null | undefined>
  /** WebSocket subprotocols. */
  protocols?: string | string[]
  /** Connect at once (default), or wait for `open()`. */
  immediate?: boolean
  /** Connect again after a lost connection, with exponential backoff and jitter. Default: false. */
  autoReconnect?: boolean | WSReconnectOptions
  /** Detect a silent (half-open) connection and drop it. Default: false. */
  heartbeat?: boolean | WSHeartbeatOptions
  /** Close on `pagehide` (and, in Vue, when the component unmounts). Default: true. */
  autoClose?: boolean
  /** Listen-only topics, refused by `send`. Default: from config.json. */
  internals?: string[]
  /** Topics the server subscribes every peer to. Default: from config.json. */
  defaults?: string[]
  /** Where the server's public config is; false never loads it. Default: '/_reactive-ws/config.json'. */
  configUrl?: string | false
  /** Messages that may wait while not open (at least 1); more are refused. Default: 1000. */
  bufferLimit?: number
  /**
   * Ask for changes as patches and resume from the versions held (`rws=1` on the URL, versions in
   * subscribes and `rws.since`); a server that does not know it sends whole states. Default: true.
   */
  deltas?: boolean
}

/** The topics a client subscribes to; every change is sent when open, and all of them on each (re)open. */
export interface WSTopics<T extends WSTopicMap = WSTopicMap> extends Iterable<string> {
  /** Subscribes; false if the topic is internal. */
  add(topic: WSTopic<T>): boolean
  /** Unsubscribes; false if it was not in the set. */
  delete(topic: WSTopic<T>): boolean
  has(topic: WSTopic<T>): boolean
  /** Makes the set equal to `topics`: subscribes the new ones, unsubscribes the ones gone. */
  replace(topics: Iterable<WSTopic<T>>): void
  readonly size: number
}

/** `send`, in the three forms of nuxt-ws. Returns true if sent or buffered, false if refused. */
export interface WSSend<T extends WSTopicMap = WSTopicMap, P extends Record<string, any> = WSPublishMap<T>> {
  <K extends keyof P & string>(type: 'publish', topic: K, payload: P[K]): boolean
  (type: 'subscribe' | 'unsubscribe', topic: WSTopic<T>): boolean
  (raw: WSRawMessage): boolean
}

/** A connection and its topic states: a store any UI can observe. */
export interface WS<T extends WSTopicMap = WSTopicMap, D = any, P extends Record<string, any> = WSPublishMap<T>> {
  /** Current states (a getter: destructuring takes a copy). */
  readonly states: WSStates<T>
  /** Current status (a getter). */
  readonly status: WSStatus
  /** Last message that was not a topic state (a getter). */
  readonly data: D | null
  send: WSSend<T, P>
  /** Connects, unless already open or connecting. */
  open(): void
  /** Closes the connection (default code 1000); no reconnection follows. Topics, states and the buffer are kept for the next `open()`. */
  close(code?: number, reason?: string): void
  /** Calls `listener` after every change, with what happened to a topic's state when that changed; returns the function that stops it. */
  subscribe(listener: (snapshot: WSSnapshot<T, D>, change?: WSChange) => void): () => void
  /** The current snapshot; the same object until something changes. */
  getSnapshot(): WSSnapshot<T, D>
  readonly topics: WSTopics<T>
}

/**
 * Connects to a reactive-ws (or nuxt-ws) server and keeps the state of `topics`.
 * With React: `useSyncExternalStore(ws.subscribe, ws.getSnapshot)`.
 */
export function useWS<T extends WSTopicMap = WSTopicMap, D = any, P extends Record<string, any> = WSPublishMap<T>>(
  topics?: Iterable<WSTopic<T>> | WSTopic<T>,
  options?: WSOptions,
): WS<T, D, P>

/** One operation of a JSON Patch (RFC 6902). */
export type WSPatchOperation =
  | { op: 'add' | 'replace' | 'test'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'move' | 'copy'; from: string; path: string }

export interface WSApplyOptions {
  /**
   * Change `doc` in place (a reactive tree such as Vue's), adopting the patch's values as they
   * are. Default: false, which never changes `doc` and copies only the objects and arrays on the
   * patch's paths.
   */
  mutate?: boolean
}

/**
 * Applies a JSON Patch (RFC 6902) and returns the result. A patch that cannot be applied throws
 * and leaves `doc` as it was, in both modes.
 */
export function applyPatch<T = any>(doc: T, ops: readonly WSPatchOperation[], options?: WSApplyOptions): T

/** Merges a JSON Merge Patch (RFC 7386) and returns the result; it never fails. */
export function applyMerge<T = any>(doc: T, merge: unknown, options?: WSApplyOptions): T
