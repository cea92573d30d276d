// Types for react.js, the React adapter: the same type parameters as reactive-ws.d.ts.
import type { WS, WSOptions, WSPublishMap, WSSnapshot, WSTopic, WSTopicMap } from './reactive-ws.js'

export type { WSOptions, WSPublishMap, WSStates, WSStatus, WSTopic, WSTopicMap } from './reactive-ws.js'

/** What the hook returns: this render's snapshot, and the connection's functions (stable across renders). */
export type UseWSReturn<T extends WSTopicMap = WSTopicMap, D = any, P extends Record<string, any> = WSPublishMap<T>> =
  WSSnapshot<T, D> & Pick<WS<T, D, P>, 'send' | 'open' | 'close' | 'topics'> & {
    /** The plain store underneath. */
    client: WS<T, D, P>
  }

/**
 * Connects like the plain `useWS` and re-renders on every change (React 18+, through
 * useSyncExternalStore). Options are read on the first render; a changed `topics` list
 * subscribes and unsubscribes. Closed when the component unmounts, unless `autoClose: false`.
 */
export function useWS<T extends WSTopicMap = WSTopicMap, D = any, P extends Record<string, any> = WSPublishMap<T>>(
  topics?: Iterable<WSTopic<T>> | WSTopic<T>,
  options?: WSOptions,
): UseWSReturn<T, D, P>
