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
import { useWS as connect } from './reactive-ws.js'

// --- shared states ---

/**
 * The per-topic states every Vue useWS on the page writes into (nuxt-ws's `useState('$ws:state')`),
 * so components that only read a topic need no connection of their own. Without a prototype, a
 * topic named like an Object method (or `__proto__`) is just a key.
 */
const sharedStates = reactive(Object.create(null))

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
  const stopFollowing = client.subscribe((snapshot) => {
    if (snapshot.states !== previous.states) {
      for (const [topic, payload] of Object.entries(snapshot.states)) {
        if (previous.states[topic] !== payload || !(topic in sharedStates)) sharedStates[topic] = payload
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

function topicList(topics) {
  const value = toValue(topics)
  return typeof value === 'string' ? [value] : [...value]
}
