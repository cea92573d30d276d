// One version line: fails the build when package.json, package-lock.json or the BOM (which has no
// parent to inherit it from) does not carry the Maven project's version, given as the argument.
// Usage: node scripts/check-version.mjs <maven project version>
import { readFileSync } from 'node:fs';

const expected = process.argv[2];
if (!expected) {
  console.error('usage: node scripts/check-version.mjs <maven project version>');
  process.exit(2);
}

const read = (path) => readFileSync(new URL(path, import.meta.url), 'utf8');
const bom = /<artifactId>reactive-ws-bom<\/artifactId>\s*<version>([^<]*)<\/version>/.exec(read('../../../bom/pom.xml'));
const found = {
  'clients/js/package.json': JSON.parse(read('../package.json')).version,
  'clients/js/package-lock.json': JSON.parse(read('../package-lock.json')).version,
  'bom/pom.xml': bom?.[1],
};

const wrong = Object.entries(found).filter(([, version]) => version !== expected);
for (const [file, version] of wrong) {
  console.error(`${file} has version ${version ?? '(none found)'}, the Maven project ${expected}: make them equal`);
}
process.exit(wrong.length === 0 ? 0 : 1);
