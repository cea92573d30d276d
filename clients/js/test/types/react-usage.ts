// Compiled with usage.ts by `tsc -p test/types`: the React adapter's declarations type the
// seed-003 usage, and each @ts-expect-error proves that a wrong use is rejected.
import { useWS, type UseWSReturn } from '../../src/react.js'

type Topics = {
  chat: { user?: string; text: string }[]
  session: { users: number }
}

const chat: UseWSReturn<Topics> = useWS<Topics>(['chat'], { autoClose: false })
const status: 'OPEN' | 'CONNECTING' | 'CLOSED' = chat.status
const users: number | undefined = chat.states.session?.users
const lines: { user?: string; text: string }[] = chat.states.chat ?? []
chat.send('publish', 'chat', { text: 'hello' })
chat.topics.add('notifications')
useWS('chat').close(1000, 'done')

// @ts-expect-error the text of a chat line is a string
chat.send('publish', 'chat', { text: 42 })
// @ts-expect-error states of a render are read-only
chat.states.session = { users: 1 }
// @ts-expect-error status is one of three strings
const wrong: number = chat.status

export { status, users, lines, wrong }
