// reactive-ws for React 18+: `useWS` as a hook over the plain client's store.
//
// Shipped in the npm package as '@reactive-ws/client/react' (and served beside the client at
// /_reactive-ws/react.js). It imports React by its bare name 'react', so the app's one copy of
// React is the one this hook uses; React is never bundled here. React's npm package is CommonJS,
// so pages load it through a bundler (esbuild, Vite, webpack), which resolves 'react' too.

import { useEffect, useState, useSyncExternalStore } from 'react'
import { useWS as connect } from './reactive-ws.js'

/**
 * Connects to a reactive-ws (or nuxt-ws) server like the plain client's `useWS` (same options),
 * and re-renders the component whenever the connection's snapshot changes. Returns `states`,
 * `status` and `data` of the current render, and the connection's `send`, `open`, `close` and
 * `topics` (stable across renders). `client` is the plain store underneath.
 *
 * The connection is made once, on the first render: later `options` are not read. `topics` is
 * followed: when the list changes between renders, the new topics are subscribed and the ones
 * that are gone unsubscribed. With `immediate` (the default) it connects when the component
 * mounts; with `autoClose` (the default) it closes when the component unmounts. With
 * `autoClose: false` the connection outlives the component: call `close()` when done.
 *
 * @param {Iterable<string> | string} [topics=[]]
 * @param {import('./reactive-ws.js').WSOptions} [options]
 */
export function useWS(topics = [], options = {}) {
  const list = topicList(topics)
  const [client] = useState(() => connect(list, { ...options, immediate: false }))
  const [{ immediate = true, autoClose = true }] = useState(options)
  const snapshot = useSyncExternalStore(client.subscribe, client.getSnapshot, client.getSnapshot)

  // A new array on every render is the same topics when its elements are: compare those.
  const topicsKey = JSON.stringify(list)
  useEffect(() => {
    client.topics.replace(JSON.parse(topicsKey))
  }, [client, topicsKey])

  useEffect(() => {
    if (immediate) client.open()
    // React's StrictMode mounts twice in development: the close of the first mount is followed
    // by the open of the second, so one connection remains.
    return autoClose ? () => client.close() : undefined
  }, [client, immediate, autoClose])

  // The snapshot's states, status and data, then the connection's functions, stable across renders.
  return { ...snapshot, send: client.send, open: client.open, close: client.close, topics: client.topics, client }
}

function topicList(topics) {
  return typeof topics === 'string' ? [topics] : [...topics]
}
