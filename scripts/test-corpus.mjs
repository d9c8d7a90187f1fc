// `npm run test:corpus`: the corpus tests (test/corpus), which read the team's real data in
// ../shared/data/real beside the clone. Without it this says so plainly and exits 1: it was asked to
// check the corpus and could not, so it never passes silently. `npm test` does not need the corpus.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const corpus = resolve(root, '../shared/data/real');
if (!existsSync(corpus)) {
  console.error(`corpus tests NOT RUN: no shared real data at ${corpus}.`);
  console.error('They need a copy of shared/ beside the repository clone (../shared/data/real). Nothing was checked.');
  process.exit(1);
}
console.log(`corpus tests: reading ${corpus}`);
const r = spawnSync('npx', ['vitest', 'run', '--config', 'vitest.corpus.config.ts', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
