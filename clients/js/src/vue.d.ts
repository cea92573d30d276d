// Types for vue.js, the Vue adapter: the same type parameters as reactive-ws.d.ts.
import type { MaybeRefOrGetter, Ref } from 'vue'
import type { WS, WSOptions, WSPublishMap, WSSend, WSStatus, WSTopic, WSTopicMap, WSTopics } from './reactive-ws.js'

export type { WSOptions, WSPublishMap, WSStatus, WSTopic, WSTopicMap } from './reactive-ws.js'

/** Reactive per-topic states, shared by every useWS on the page; a topic is undefined until its first state. */
export type WSReactiveStates<T extends WSTopicMap> = { [K in keyof T]?: T[K] }

export interface UseWSReturn<T extends WSTopicMap = WSTopicMap, D = any, P extends Record<string, any> = WSPublishMap<T>> {
  /** Reactive states, the same object `useWSState()` returns. */
  states: WSReactiveStates<T>
  status: Readonly<Ref<WSStatus>>
  /** Last message that was not a topic state. */
  data: Readonly<Ref<D | null>>
  send: WSSend<T, P>
  open(): void
  close(code?: number, reason?: string): void
  topics: WSTopics<T>
  /** The plain store underneath. */
  client: WS<T, D, P>
}

/**
 * Connects like the plain `useWS` and returns Vue reactivity. `topics` may be a ref, a getter or a
 * reactive array; changes subscribe and unsubscribe. Cleaned up when the calling component or
 * effect scope ends (the connection is closed unless `autoClose: false`).
 */
export function useWS<T extends WSTopicMap = WSTopicMap, D = any, P extends Record<string, any> = WSPublishMap<T>>(
  topics?: MaybeRefOrGetter<Iterable<WSTopic<T>>> | WSTopic<T>,
  options?: WSOptions,
): UseWSReturn<T, D, P>

/** The reactive states every useWS on the page shares. */
export function useWSState<T extends WSTopicMap = WSTopicMap>(): WSReactiveStates<T>
