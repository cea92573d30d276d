// Proves the npm package is complete: packs it (a dry run, which runs the prepack build) and
// fails unless the tarball holds every file the package's entry points name, the minified build,
// the README and the licence, and nothing from the tests or node_modules.
// Usage: node scripts/check-package.mjs
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

const folder = new URL('..', import.meta.url).pathname
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--loglevel=silent'], { cwd: folder, encoding: 'utf8' }))
const files = new Set(packed.files.map((file) => file.path))

const entryPoints = Object.values(manifest.exports).flatMap((targets) => Object.values(targets))
const required = new Set([
  ...[manifest.main, manifest.types, ...entryPoints].map((path) => path.replace(/^\.\//, '')),
  'src/reactive-ws.js', 'src/reactive-ws.d.ts', 'dist/reactive-ws.min.js',
  'src/vue.js', 'src/vue.d.ts', 'src/react.js', 'src/react.d.ts',
  'README.md', 'LICENSE', 'NOTICE', 'package.json',
])
const missing = [...required].filter((path) => !files.has(path))
const unwanted = [...files].filter((path) => /^(test|testing|scripts|node_modules|target)\//.test(path) || path.includes('/node_modules/'))

for (const path of missing) console.error(`npm package ${packed.filename} lacks ${path}`)
for (const path of unwanted) console.error(`npm package ${packed.filename} holds ${path}, which users do not need`)
if (missing.length > 0 || unwanted.length > 0) process.exit(1)
console.log(`npm package ${packed.filename}: ${files.size} files, ${packed.size} bytes packed, complete`)
