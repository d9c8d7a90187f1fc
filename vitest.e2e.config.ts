import { readdirSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Real-browser tests: the built extension (dist/) loaded in Debian's Chromium or Firefox ESR, chosen by
// ORDINANZA_BROWSER (chromium by default), navigating to real hostnames served by a local server that
// each test starts and stops. `npm test` runs this once per browser, each run reported on its own.
const dir = 'test/e2e';
/** Suites that need Chromium itself: its managed-policy folder, and `npm start` (Chromium). */
const CHROMIUM_ONLY = ['policy', 'start'];
/** Every other suite runs in both browsers; a new file is picked up by both unless listed above. */
const suites = readdirSync(dir)
  .filter((f) => f.endsWith('.e2e.test.ts'))
  .map((f) => f.replace(/\.e2e\.test\.ts$/, ''));
for (const name of CHROMIUM_ONLY) if (!suites.includes(name)) throw new Error(`vitest.e2e.config.ts names a missing suite: ${name}`);
const browser = process.env['ORDINANZA_BROWSER'] ?? 'chromium';
const forBrowser = browser === 'chromium' ? suites : suites.filter((s) => !CHROMIUM_ONLY.includes(s));

export default defineConfig({
  test: {
    include: forBrowser.map((s) => `${dir}/${s}.e2e.test.ts`),
    environment: 'node',
    fileParallelism: false,
    // The slowest test takes ~25 s here (2 cores); a stuck one must not eat the CI's 20 minutes.
    testTimeout: 60_000,
    hookTimeout: 90_000,
    reporters: ['verbose'],
  },
});
