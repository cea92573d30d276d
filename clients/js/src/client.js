// What the server serves at /_reactive-ws/client.js, the client's documented URL. The client
// itself is reactive-ws.js, which the Vue and React adapters import by that name: a page that
// imports from client.js and from an adapter then loads one client module, with one config
// cache, not two copies of it.
export { applyMerge, applyPatch, useWS } from './reactive-ws.js'
