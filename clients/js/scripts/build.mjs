// The minified build beside the readable module: dist/reactive-ws.min.js, for pages that load
// the client without a bundler of their own. The readable src/reactive-ws.js stays what the
// server serves at /_reactive-ws/client.js.
// Usage: node scripts/build.mjs
import { build } from 'esbuild'

await build({
  entryPoints: [new URL('../src/reactive-ws.js', import.meta.url).pathname],
  outfile: new URL('../dist/reactive-ws.min.js', import.meta.url).pathname,
  format: 'esm',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
})
