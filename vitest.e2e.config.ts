import { readdirSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Real-browser tests: the built extension (dist/) loaded in Debian's Chromium or Firefox ESR, chosen by
// ORDINANZA_BROWSER (chromium by default), navigating to real hostnames served by a local server that
// each test starts and stops. `npm test` runs this once per browser, each run reported on its own.
// Every file launches its own browser (5–8 s in Firefox): prefer adding tests to a file over adding files.
const dir = 'test/e2e';
/** Suites run in Chromium and in Firefox ESR. */
const BOTH = [
  'differential',
  'enforcement',
  'explanations',
  'first-protection',
  'host-access',
  'jurisdictions',
  'options',
  'packages',
  'popup',
  'registers',
  'removed',
  'restart',
  'sync',
  'sync-hardening',
];
/** Suites that need Chromium itself: its managed-policy folder, and `npm start` (Chromium). */
const CHROMIUM_ONLY = ['policy', 'start'];
/** Suites that need Firefox itself: its policies.json. */
const FIREFOX_ONLY = ['firefox-policy'];

// No suite may be skipped silently: every file is in exactly one list, every name is a file.
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.e2e.test.ts'))
  .map((f) => f.replace(/\.e2e\.test\.ts$/, ''));
const listed = [...BOTH, ...CHROMIUM_ONLY, ...FIREFOX_ONLY];
const unlisted = files.filter((f) => !listed.includes(f));
if (unlisted.length > 0) throw new Error(`vitest.e2e.config.ts: add ${unlisted.map((f) => `${f}.e2e.test.ts`).join(', ')} to BOTH, CHROMIUM_ONLY or FIREFOX_ONLY`);
const missing = listed.filter((s) => !files.includes(s));
if (missing.length > 0) throw new Error(`vitest.e2e.config.ts names suites with no file: ${missing.join(', ')}`);
const twice = listed.filter((s, i) => listed.indexOf(s) !== i);
if (twice.length > 0) throw new Error(`vitest.e2e.config.ts lists a suite twice: ${twice.join(', ')}`);

const browser = process.env['ORDINANZA_BROWSER'] ?? 'chromium';
const suites = browser === 'chromium' ? [...BOTH, ...CHROMIUM_ONLY] : [...BOTH, ...FIREFOX_ONLY];

export default defineConfig({
  test: {
    include: suites.map((s) => `${dir}/${s}.e2e.test.ts`),
    environment: 'node',
    fileParallelism: false,
    // The slowest test takes ~25 s here (2 cores); a stuck one must not eat the CI's 20 minutes.
    testTimeout: 60_000,
    hookTimeout: 90_000,
    reporters: ['verbose'],
  },
});
