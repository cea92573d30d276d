// Compiled by `tsc --noEmit -p test/types` in the build: it proves the declarations beside the
// modules type the seed-003 usage, and each @ts-expect-error proves that a wrong use is rejected
// (tsc fails if the line below one compiles).
import { applyMerge, applyPatch, useWS, type WSChange, type WSPatchOperation, type WSSnapshot, type WSStatus, type WSVersion } from '../../src/reactive-ws.js'
import { useWS as useVueWS, useWSState } from '../../src/vue.js'
import { ref, computed } from 'vue'

type Topics = {
  chat: { user?: string; text: string }[]
  session: { users: number }
}

// --- the plain client ---

const ws = useWS<Topics>(['chat'], { autoReconnect: { retries: 5, delay: 500 }, heartbeat: true })

// The seed's call: publish one line to a topic whose state is a list of lines.
ws.send('publish', 'chat', { text: 'hello' })
// The whole state is a valid payload, too.
ws.send('publish', 'chat', [{ user: 'a', text: 'hi' }])
ws.send('publish', 'session', { users: 3 })
ws.send('subscribe', 'chat')
ws.send('unsubscribe', 'notifications') // any topic may be (un)subscribed; its state is untyped
ws.send('plain text')
ws.send(new Uint8Array([1, 2, 3]))
ws.send({ any: 'json' })

// @ts-expect-error the text of a chat line is a string
ws.send('publish', 'chat', { text: 42 })
// @ts-expect-error a chat line needs its text
ws.send('publish', 'chat', { user: 'a' })
// @ts-expect-error session's state is { users: number }
ws.send('publish', 'session', { users: 'many' })
// @ts-expect-error publishing goes to the topics of the map only
ws.send('publish', 'unknown', { text: 'x' })
// @ts-expect-error not an operation
ws.send('publsh', 'chat', { text: 'x' })

const users: number | undefined = ws.states.session?.users
const firstLine: string | undefined = ws.states.chat?.[0]?.text
// @ts-expect-error a state is undefined until it arrives
const unsafe: number = ws.states.session.users
const status: WSStatus = ws.status
const stop: () => void = ws.subscribe((snapshot: WSSnapshot<Topics>) => {
  const chat: Topics['chat'] | undefined = snapshot.states.chat
  const held: WSVersion | undefined = snapshot.versions.chat
  const epoch: string | undefined = held?.epoch
  const number: number | undefined = held?.v
  // @ts-expect-error the versions are the client's to keep
  snapshot.versions.chat = { epoch: '1', v: 1 }
})
stop()
ws.subscribe((snapshot, change?: WSChange) => {
  if (change?.kind === 'patch') {
    const ops: readonly WSPatchOperation[] = change.ops
    const applied: number = change.v
  } else if (change?.kind === 'state') {
    const held: number | null = change.v
    // @ts-expect-error a whole state comes without ops
    change.ops
  }
})
useWS<Topics>(['chat'], { deltas: false })
ws.topics.add('notifications')
ws.topics.replace(['chat', 'news'])
// @ts-expect-error a topic is a string
ws.topics.add(42)

// An exact publish map as the third type argument.
const exact = useWS<Topics, unknown, { chat: { text: string } }>(['chat'])
exact.send('publish', 'chat', { text: 'hi' })
// @ts-expect-error this map allows no user field
exact.send('publish', 'chat', { text: 'hi', user: 'me' })
// @ts-expect-error and no publishing to session
exact.send('publish', 'session', { users: 1 })

// Without a map, anything goes.
const untyped = useWS()
untyped.send('publish', 'whatever', 123)
const anyState: any = untyped.states.whatever

// @ts-expect-error heartbeat takes a boolean or its options
useWS([], { heartbeat: 1000 })
// @ts-expect-error autoReconnect options are named
useWS([], { autoReconnect: { attempts: 3 } })

// --- JSON Patch and Merge Patch ---

const lines: Topics['chat'] = [{ text: 'a' }]
const append: WSPatchOperation[] = [{ op: 'add', path: '/-', value: { text: 'b' } }]
const longer: Topics['chat'] = applyPatch(lines, append)
applyPatch(lines, [{ op: 'move', from: '/0', path: '/-' }, { op: 'remove', path: '/0' }], { mutate: true })
const session: Topics['session'] = applyMerge({ users: 1 }, { users: 2 })

// @ts-expect-error not an operation of JSON Patch
applyPatch(lines, [{ op: 'append', path: '/-', value: { text: 'c' } }])
// @ts-expect-error a move needs the pointer it moves from
applyPatch(lines, [{ op: 'move', path: '/0' }])
// @ts-expect-error add needs its value
applyPatch(lines, [{ op: 'add', path: '/-' }])

// --- the Vue adapter ---

const topics = ref(['chat'])
const vue = useVueWS<Topics>(topics, { autoReconnect: true })
vue.send('publish', 'chat', { text: 'from vue' })
// @ts-expect-error the payload is checked in Vue too
vue.send('publish', 'chat', { text: false })
const vueStatus: WSStatus = vue.status.value
// @ts-expect-error status is read-only
vue.status.value = 'OPEN'
const userCount = computed(() => vue.states.session?.users ?? 0)
const n: number = userCount.value
useVueWS<Topics>(() => ['chat', 'session'])
useVueWS('chat')

const shared = useWSState<Topics>()
const sharedUsers: number | undefined = shared.session?.users
