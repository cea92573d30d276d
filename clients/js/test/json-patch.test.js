// applyPatch on the public RFC 6902 conformance suite, the npm package json-patch-test-suite (a
// devDependency, read from node_modules), in both modes; then what the suite does not check:
// which values are shared or copied, atomicity when mutating, and applyMerge on RFC 7386's
// examples.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { effect, reactive } from 'vue'
import { applyMerge, applyPatch } from '../src/reactive-ws.js'

const SUITE = new URL('../node_modules/json-patch-test-suite/', import.meta.url)
const FILES = ['tests.json', 'spec_tests.json']
const MODES = [{ mutate: false }, { mutate: true }]
/** The records of version 1.1.0, so that a suite that is empty or not found cannot pass. */
const RECORDS = 78 + 17
const DISABLED = 3 + 1

const suite = FILES.map((file) => ({ file, records: JSON.parse(readFileSync(new URL(file, SUITE), 'utf8')) }))
let ran = 0

test('the suite is the one of version 1.1.0', () => {
  const records = suite.flatMap(({ records }) => records)
  assert.equal(records.length, RECORDS)
  assert.equal(records.filter((record) => record.disabled).length, DISABLED)
})

for (const options of MODES) {
  for (const { file, records } of suite) {
    records.forEach((record, index) => {
      const name = `${file} #${index} (mutate: ${options.mutate}): ${record.comment ?? '(no comment)'}`
      test(name, { skip: record.disabled ? 'disabled by the suite' : false }, () => {
        // Each run has its own copies: mutating would change the shared records, and a patch's values.
        const doc = structuredClone(record.doc)
        const ops = structuredClone(record.patch)
        if ('error' in record) {
          assert.throws(() => applyPatch(doc, ops, options), /^Error: reactive-ws: JSON Patch/, `expected error: ${record.error}`)
          assert.deepEqual(doc, record.doc, 'the document is as it was')
        } else if ('expected' in record) {
          assert.deepEqual(applyPatch(doc, ops, options), record.expected)
          if (!options.mutate) assert.deepEqual(doc, record.doc, 'the document is as it was')
        } else {
          applyPatch(doc, ops, options)
        }
        ran++
      })
    })
  }
}

test('every enabled record ran in both modes', () => {
  assert.equal(ran, (RECORDS - DISABLED) * MODES.length)
})

test('an append copies the array of references and shares every element and every other value', () => {
  const first = { text: 'a' }
  const session = { users: 2 }
  const doc = { chat: [first], session }
  const result = applyPatch(doc, [{ op: 'add', path: '/chat/-', value: { text: 'b' } }])

  assert.deepEqual(result, { chat: [{ text: 'a' }, { text: 'b' }], session: { users: 2 } })
  assert.notEqual(result, doc)
  assert.notEqual(result.chat, doc.chat)
  assert.equal(result.chat[0], first)
  assert.equal(result.session, session)
  assert.deepEqual(doc, { chat: [{ text: 'a' }], session: { users: 2 } })
})

test('mutating changes the document in place and keeps the other values', () => {
  const chat = [{ text: 'a' }]
  const doc = { chat }
  const result = applyPatch(doc, [{ op: 'add', path: '/chat/-', value: { text: 'b' } }, { op: 'replace', path: '/chat/0/text', value: 'A' }],
    { mutate: true })

  assert.equal(result, doc)
  assert.equal(doc.chat, chat)
  assert.deepEqual(doc, { chat: [{ text: 'A' }, { text: 'b' }] })
})

test('a patch that fails part way leaves the document as it was, member order too, in both modes', () => {
  for (const options of MODES) {
    const doc = { a: 1, b: [1, 2], c: { d: true }, e: 'x' }
    const before = JSON.stringify(doc)
    const ops = [
      { op: 'remove', path: '/a' }, { op: 'add', path: '/b/0', value: 0 }, { op: 'replace', path: '/c/d', value: false },
      { op: 'move', from: '/e', path: '/f' }, { op: 'copy', from: '/b', path: '/g' }, { op: 'add', path: '/', value: 1 },
      { op: 'test', path: '/a', value: 1 },
    ]
    assert.throws(() => applyPatch(doc, ops, options), {
      message: 'reactive-ws: JSON Patch operation 6 (test /a): there is no value at /a',
    })
    assert.equal(JSON.stringify(doc), before, `mutate: ${options.mutate}`)
  }
})

test('a copied value changed later changes at one place only, in both modes', () => {
  for (const options of MODES) {
    const result = applyPatch({ a: { x: 1 } }, [
      { op: 'add', path: '/a/y', value: 2 }, { op: 'copy', from: '/a', path: '/b' }, { op: 'add', path: '/b/z', value: 3 },
    ], options)
    assert.deepEqual(result, { a: { x: 1, y: 2 }, b: { x: 1, y: 2, z: 3 } }, `mutate: ${options.mutate}`)
  }
})

test("mutating goes through Vue's reactive proxies, and only what reads a changed path runs again", () => {
  const state = reactive({ chat: [{ text: 'a' }], settings: { theme: 'light' } })
  let lengthRuns = 0
  let firstRuns = 0
  effect(() => { lengthRuns++; return state.chat.length })
  effect(() => { firstRuns++; return state.chat[0].text })

  applyPatch(state, [{ op: 'add', path: '/chat/-', value: { text: 'b' } }, { op: 'copy', from: '/settings', path: '/saved' }],
    { mutate: true })
  assert.deepEqual(JSON.parse(JSON.stringify(state)), { chat: [{ text: 'a' }, { text: 'b' }], settings: { theme: 'light' }, saved: { theme: 'light' } })
  assert.equal(lengthRuns, 2)
  assert.equal(firstRuns, 1)
  applyMerge(state, { settings: { theme: 'dark' } }, { mutate: true })
  assert.equal(state.saved.theme, 'light')
})

test('a member named __proto__ is a member, never the prototype', () => {
  for (const options of MODES) {
    const result = applyPatch({}, [{ op: 'add', path: '/__proto__', value: { polluted: true } }], options)
    assert.equal(Object.getPrototypeOf(result), Object.prototype)
    assert.deepEqual(Object.keys(result), ['__proto__'])
    assert.equal({}.polluted, undefined)
  }
})

test('bad pointers and indexes are refused with the operation that holds them', () => {
  assert.throws(() => applyPatch({}, [{ op: 'add', path: '/a~2', value: 1 }]),
    { message: "reactive-ws: JSON Patch operation 0 (add /a~2): the pointer '/a~2' has a '~' not followed by 0 or 1" })
  assert.throws(() => applyPatch([0, 1], [{ op: 'replace', path: '/01', value: 9 }]),
    { message: "reactive-ws: JSON Patch operation 0 (replace /01): '01' at the document is not an array index" })
  assert.throws(() => applyPatch([0], [{ op: 'remove', path: '/-' }]),
    { message: "reactive-ws: JSON Patch operation 0 (remove /-): '-' at the document is not an array index" })
  assert.throws(() => applyPatch({ a: 'x' }, [{ op: 'add', path: '/a/b', value: 1 }]),
    { message: "reactive-ws: JSON Patch operation 0 (add /a/b): /a is a string, which has no member 'b'" })
  assert.throws(() => applyPatch({}, { op: 'add' }), { message: 'reactive-ws: JSON Patch: a JSON Patch is an array of operations, got an object' })
  assert.deepEqual(applyPatch({ 'a/b~c': 1 }, [{ op: 'move', from: '/a~1b~0c', path: '/-' }]), { '-': 1 })
})

// --- applyMerge ---

/** RFC 7386, appendix A: target, patch, result. */
const MERGE_EXAMPLES = [
  [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
  [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
  [{ a: 'b' }, { a: null }, {}],
  [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
  [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
  [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
  [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
  [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
  [['a', 'b'], ['c', 'd'], ['c', 'd']],
  [{ a: 'b' }, ['c'], ['c']],
  [{ a: 'foo' }, null, null],
  [{ a: 'foo' }, 'bar', 'bar'],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: 'b', c: null }, { a: 'b' }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
]

test("applyMerge gives RFC 7386's examples in both modes", () => {
  for (const options of MODES) {
    for (const [target, patch, expected] of MERGE_EXAMPLES) {
      const doc = structuredClone(target)
      assert.deepEqual(applyMerge(doc, patch, options), expected, `${JSON.stringify(target)} + ${JSON.stringify(patch)}`)
      if (!options.mutate) assert.deepEqual(doc, target, 'the target is as it was')
    }
  }
})

test('applyMerge copies only the objects the patch reaches into, or changes them in place', () => {
  const list = [1]
  const other = { y: [2] }
  const doc = { a: { x: list }, b: other }
  const copied = applyMerge(doc, { a: { z: 3 } })
  assert.deepEqual(copied, { a: { x: [1], z: 3 }, b: { y: [2] } })
  assert.equal(copied.a.x, list)
  assert.equal(copied.b, other)
  assert.deepEqual(doc, { a: { x: [1] }, b: { y: [2] } })

  const a = doc.a
  assert.equal(applyMerge(doc, { a: { z: 3 } }, { mutate: true }), doc)
  assert.equal(doc.a, a)
  assert.deepEqual(doc, { a: { x: [1], z: 3 }, b: { y: [2] } })
})
