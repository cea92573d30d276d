// The page ReactAdapterBrowserTest opens: a component on the React adapter that renders the
// 'chat' state and the connection's status, publishes a line, follows a topic list it is given,
// and can be unmounted, beside one with `autoClose: false` that leaves its connection to the
// page (as window.kept) when it unmounts. Bundled with React from node_modules by
// scripts/build-react-page.mjs.
import { StrictMode, createElement as h, useState } from 'react'
import { createRoot } from 'react-dom/client'
import { useWS } from '../../src/react.js'

function Chat({ topics }) {
  const { states, status, send } = useWS(topics)
  const [sent, setSent] = useState(0)
  return h('section', null,
    h('p', { id: 'status' }, status),
    h('ul', { id: 'lines' }, (states.chat ?? []).map((line, index) => h('li', { key: index }, line))),
    h('p', { id: 'notice' }, states.notices ?? ''),
    h('button', {
      id: 'say',
      onClick: () => {
        send('publish', 'chat', `hello from react ${sent + 1}`)
        setSent(sent + 1)
      },
    }, 'Say hello'))
}

function Keeper() {
  const { client, status } = useWS(['chat'], { autoClose: false })
  window.kept = client
  return h('p', { id: 'kept-status' }, status)
}

function App() {
  const [mounted, setMounted] = useState(true)
  const [topics, setTopics] = useState(['chat'])
  return h('main', null,
    h('button', { id: 'unmount', onClick: () => setMounted(false) }, 'Unmount'),
    h('button', { id: 'follow-notices', onClick: () => setTopics(['chat', 'notices']) }, 'Follow notices'),
    mounted ? [h(Chat, { key: 'chat', topics }), h(Keeper, { key: 'keeper' })] : h('p', { id: 'gone' }, 'unmounted'))
}

// StrictMode mounts every effect twice in development: the adapter must end up with one connection.
createRoot(document.getElementById('root')).render(h(StrictMode, null, h(App)))
