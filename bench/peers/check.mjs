// Smoke test of a bench server against the bench protocol (notes/bench-protocol.md).
// Usage: node bench/peers/check.mjs ws://127.0.0.1:PORT/_ws   (exit code 0 = pass)
// Needs the `ws` package: it resolves from bench/peers/crossws/node_modules (npm ci there).
import { createRequire } from 'node:module'

const require = createRequire(new URL('./crossws/package.json', import.meta.url))
const WebSocket = require('ws')

const url = process.argv[2]
if (!url) {
  console.error('usage: node check.mjs ws://host:port/_ws')
  process.exit(2)
}
const TIMEOUT = 5000

class Client {
  constructor(name) {
    this.name = name
    this.inbox = []
    this.waiters = []
    this.users = undefined
  }

  open() {
    this.ws = new WebSocket(url, { perMessageDeflate: false })
    this.ws.on('message', (data) => {
      const text = data.toString()
      let m = text
      try { m = JSON.parse(text) } catch {}
      if (m && m.topic === 'session') this.users = m.payload?.users
      this.inbox.push(m)
      this.waiters = this.waiters.filter(w => !w(m))
    })
    return new Promise((resolve, reject) => {
      this.ws.once('open', resolve)
      this.ws.once('error', reject)
    })
  }

  send(obj) { this.ws.send(typeof obj === 'string' ? obj : JSON.stringify(obj)) }

  // Resolves with the first message (already received or coming) that matches.
  expect(what, pred) {
    const i = this.inbox.findIndex(pred)
    if (i >= 0) return Promise.resolve(this.inbox.splice(i, 1)[0])
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`${this.name}: timed out waiting for ${what}`)), TIMEOUT)
      this.waiters.push((m) => {
        if (!pred(m)) return false
        clearTimeout(t)
        this.inbox.splice(this.inbox.indexOf(m), 1)
        resolve(m)
        return true
      })
    })
  }

  // Fails if a matching message arrives within ms.
  async expectNone(what, pred, ms = 300) {
    await new Promise(r => setTimeout(r, ms))
    if (this.inbox.some(pred)) throw new Error(`${this.name}: unexpected ${what}`)
  }

  session(n) {
    return this.expect(`session users=${n}`, m => m?.topic === 'session' && m.payload?.users === n)
  }

  close() {
    return new Promise((resolve) => {
      this.ws.once('close', (code) => resolve(code))
      this.ws.close(1000)
    })
  }
}

function assert(cond, msg) {
  if (!cond) throw new Error('assertion failed: ' + msg)
}

async function main() {
  const a = new Client('a')
  const b = new Client('b')
  const c = new Client('c')

  // session count on join, to the joining peer and to the others
  await a.open()
  await a.session(1)
  await b.open()
  await b.session(2)
  await a.session(2)
  await c.open()
  await Promise.all([a.session(3), b.session(3), c.session(3)])
  console.log('ok  session count on join (joining peer included)')

  // ping -> pong
  a.send('ping')
  await a.expect('pong', m => m === 'pong')
  console.log('ok  ping -> pong')

  // subscribe + publish to news: every subscriber including the sender, not the others
  a.send({ type: 'subscribe', topic: 'news' })
  b.send({ type: 'subscribe', topic: 'news' })
  await new Promise(r => setTimeout(r, 200)) // subscribe has no answer
  const news = { title: 'hello', n: 1 }
  a.send({ type: 'publish', topic: 'news', payload: news })
  const isNews = m => m?.topic === 'news'
  const [na, nb] = await Promise.all([a.expect('news on a', isNews), b.expect('news on b', isNews)])
  assert(JSON.stringify(na.payload) === JSON.stringify(news), 'news payload on a: ' + JSON.stringify(na))
  assert(JSON.stringify(nb.payload) === JSON.stringify(news), 'news payload on b: ' + JSON.stringify(nb))
  await c.expectNone('news on c (not subscribed)', isNews)
  console.log('ok  publish news relays to subscribers, sender included')

  // unsubscribe: b stops getting news
  b.send({ type: 'unsubscribe', topic: 'news' })
  await new Promise(r => setTimeout(r, 200))
  a.send({ type: 'publish', topic: 'news', payload: 2 })
  await a.expect('news 2 on a', m => m?.topic === 'news' && m.payload === 2)
  await b.expectNone('news on b after unsubscribe', isNews)
  console.log('ok  unsubscribe')

  // chat: the whole list back to the sender and to chat subscribers
  b.send({ type: 'subscribe', topic: 'chat' })
  await new Promise(r => setTimeout(r, 200))
  const isChat = m => m?.topic === 'chat'
  const before = c.inbox.length
  a.send({ type: 'publish', topic: 'chat', payload: { text: 'one' } })
  const ca1 = await a.expect('chat on a', isChat)
  const cb1 = await b.expect('chat on b', isChat)
  assert(Array.isArray(ca1.payload) && ca1.payload.length >= 1, 'chat payload is a list')
  const n0 = ca1.payload.length
  const last = ca1.payload[n0 - 1]
  assert(last.text === 'one' && typeof last.user === 'string' && last.user.length > 0,
    'last chat line is {user,text}: ' + JSON.stringify(last))
  assert(JSON.stringify(cb1) === JSON.stringify(ca1), 'subscriber gets the same chat message')
  b.send({ type: 'publish', topic: 'chat', payload: { text: 'two' } })
  const cb2 = await b.expect('chat 2 on b', isChat)
  assert(cb2.payload.length === n0 + 1, 'list grew by one: ' + cb2.payload.length)
  assert(cb2.payload[n0 - 1].text === 'one' && cb2.payload[n0].text === 'two', 'whole list in order')
  assert(cb2.payload[n0].user !== last.user, 'user is the publishing peer\'s id')
  await a.expectNone('chat on a (not subscribed) from b\'s publish', isChat)
  assert(c.inbox.slice(before).every(m => !isChat(m)), 'c (not subscribed) got no chat')
  console.log(`ok  chat returns the whole list (${cb2.payload.length} lines)`)

  // session count on leave
  const code = await c.close()
  await Promise.all([a.session(2), b.session(2)])
  console.log(`ok  session count on leave (client close code seen by c: ${code})`)
  await b.close()
  await a.session(1)
  await a.close()
  console.log('PASS', url)
}

main().then(() => process.exit(0), (e) => {
  console.error('FAIL', url, '-', e.message)
  process.exit(1)
})
