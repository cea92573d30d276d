// The minified build beside the readable module: dist/reactive-ws.min.js, for pages that load
// the client without a bundler of their own. The readable src/reactive-ws.js stays what the
// server serves at /_reactive-ws/client.js. The project's LICENSE and NOTICE are copied beside
// package.json, where npm packs them (Apache-2.0 asks for both to go with every copy).
// Usage: node scripts/build.mjs
import { copyFileSync } from 'node:fs'
import { build } from 'esbuild'

for (const file of ['LICENSE', 'NOTICE']) {
  copyFileSync(new URL(`../../../${file}`, import.meta.url), new URL(`../${file}`, import.meta.url))
}

await build({
  entryPoints: [new URL('../src/reactive-ws.js', import.meta.url).pathname],
  outfile: new URL('../dist/reactive-ws.min.js', import.meta.url).pathname,
  format: 'esm',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
})
