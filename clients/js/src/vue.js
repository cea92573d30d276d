// reactive-ws for Vue 3.3+: `useWS` on Vue reactivity, as nuxt-ws offers it.
//
// Served beside the client at /_reactive-ws/vue.js. It imports Vue by its bare name 'vue', the
// way every Vue app does: a bundler resolves it from node_modules, a page without a build step
// maps it to a local copy with an import map:
//
//   <script type="importmap">{ "imports": { "vue": "/vendor/vue.esm-browser.prod.js" } }</script>
//
// Vue itself is never bundled here, so the page's one copy of Vue is the one this adapter uses.

import { getCurrentScope, isReactive, isRef, onScopeDispose, reactive, readonly, shallowRef, toValue, watch } from 'vue'
import { applyPatch, useWS as connect } from './reactive-ws.js'

// --- shared states ---

/**
 * The per-topic states every Vue useWS on the page writes into (nuxt-ws's `useState('$ws:state')`),
 * so components that only read a topic need no connection of their own. Without a prototype, a
 * topic named like an Object method (or `__proto__`) is just a key.
 */
const sharedStates = reactive(Object.create(null))

/**
 * Per topic, the version (`{ epoch, v }` of the plain store) that `sharedStates[topic]` is at, or
 * absent when unknown. Vue's tree is its own copy, never the plain store's objects: a patch
 * applied in place here must not change what the plain store holds, nor the other way round.
 */
const sharedVersions = new Map()

/**
 * The reactive per-topic states shared by every `useWS` on the page: `states.chat` in one
 * component is `states.chat` in all of them. A topic shows its last payload, from whichever
 * connection received it last; it is `undefined` until the first one arrives.
 *
 * @returns {Record<string, any>}
 */
export function useWSState() {
  return sharedStates
}

// --- useWS ---

/**
 * Connects to a reactive-ws (or nuxt-ws) server like the plain client's `useWS` (same options),
 * and returns Vue reactivity: `states` (reactive, shared with `useWSState()`), `status` and
 * `data` (read-only refs). `topics` may be an array, a ref, a getter or a reactive array: when
 * it changes, the topics that are new are subscribed and the ones that are gone unsubscribed.
 *
 * Called in a component's `setup` (or any effect scope), it cleans up when the scope ends: it
 * stops following `topics` and, with `autoClose` (the default), closes the connection. With
 * `autoClose: false` the connection outlives the component and keeps `states` current; call
 * `close()` when done. `client` is the plain store underneath, for code outside Vue.
 *
 * @param {import('vue').MaybeRefOrGetter<Iterable<string>> | string} [topics=[]]
 * @param {import('./reactive-ws.js').WSOptions} [options]
 */
export function useWS(topics = [], options = {}) {
  const { immediate = true, autoClose = true } = options
  const client = connect(topicList(topics), { ...options, immediate: false })
  const status = shallowRef(client.status)
  const data = shallowRef(client.data)

  let previous = client.getSnapshot()
  const stopFollowing = client.subscribe((snapshot, change) => {
    if (change?.kind === 'patch') {
      follow(change, snapshot)
    } else if (snapshot.states !== previous.states) {
      for (const [topic, payload] of Object.entries(snapshot.states)) {
        if (previous.states[topic] !== payload || !(topic in sharedStates)) copy(topic, snapshot)
      }
    }
    status.value = snapshot.status
    data.value = snapshot.data
    previous = snapshot
  })

  if (isRef(topics) || isReactive(topics) || typeof topics === 'function') {
    // Reading every element makes additions to a reactive array count as a change, too.
    watch(() => topicList(topics), (next) => client.topics.replace(next))
  }

  if (getCurrentScope()) {
    onScopeDispose(() => {
      if (!autoClose) return
      stopFollowing()
      client.close()
    })
  }

  if (immediate) client.open()

  return {
    states: sharedStates,
    status: readonly(status),
    data: readonly(data),
    send: client.send,
    open: client.open,
    close: client.close,
    topics: client.topics,
    client,
  }
}

/** Sets the topic's shared state to a copy of the snapshot's, and its version to the snapshot's. */
function copy(topic, snapshot) {
  sharedStates[topic] = structuredClone(snapshot.states[topic])
  const version = Object.hasOwn(snapshot.versions, topic) ? snapshot.versions[topic] : null
  if (version) sharedVersions.set(topic, version)
  else sharedVersions.delete(topic)
}

/**
 * Applies a patch in place when the shared state is at the version before it, so that only the
 * effects that read the paths it changes run again; nothing when another connection applied it
 * already; a copy of the whole state otherwise.
 */
function follow(change, snapshot) {
  const { topic, v } = change
  const version = snapshot.versions[topic]
  const own = topic in sharedStates ? sharedVersions.get(topic) : undefined
  if (own && own.epoch === version.epoch && own.v === v) return
  if (!own || own.epoch !== version.epoch || own.v !== v - 1) {
    copy(topic, snapshot)
    return
  }
  const ops = change.ops.map((op) => (Object.hasOwn(op, 'value') ? { ...op, value: structuredClone(op.value) } : op))
  try {
    const result = applyPatch(sharedStates[topic], ops, { mutate: true })
    if (result !== sharedStates[topic]) sharedStates[topic] = result
    sharedVersions.set(topic, version)
  } catch {
    // The plain store applied it to the same version: only a tree changed by the app gets here.
    copy(topic, snapshot)
  }
}

function topicList(topics) {
  const value = toValue(topics)
  return typeof value === 'string' ? [value] : [...value]
}
