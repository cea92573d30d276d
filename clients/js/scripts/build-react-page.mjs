// The page of the React adapter's browser test: testing/react-page bundled with React and
// ReactDOM from node_modules (React ships no browser module of its own) into the folder given,
// which the test serves as static files.
// Usage: node scripts/build-react-page.mjs <output folder>
import { copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'

const output = process.argv[2]
if (!output) {
  console.error('usage: node scripts/build-react-page.mjs <output folder>')
  process.exit(2)
}
const page = (file) => new URL(`../testing/react-page/${file}`, import.meta.url).pathname

mkdirSync(output, { recursive: true })
copyFileSync(page('index.html'), join(output, 'index.html'))
await build({
  entryPoints: [page('app.js')],
  outfile: join(output, 'app.js'),
  bundle: true,
  format: 'esm',
  // React's development build, where StrictMode mounts twice: the harder case for the adapter.
  define: { 'process.env.NODE_ENV': '"development"' },
  logLevel: 'warning',
})
