import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// Real-browser tests: the built extension (dist/) loaded in Debian's Chromium or Firefox ESR, chosen by
// ORDINANZA_BROWSER (chromium by default), navigating to real hostnames served by a local server that
// each test starts and stops. `npm test` runs this once per browser, each run reported on its own.
// Chromium runs every e2e file. Firefox runs the files written for both browsers: those that launch
// through `launchExtension(…)`; the Chromium-only ones (`launchChromium`, `npm start`) are left out.
const browser = process.env['ORDINANZA_BROWSER'] ?? 'chromium';
const dir = 'test/e2e';
const files = readdirSync(dir).filter((f) => f.endsWith('.e2e.test.ts'));
const forBrowser = browser === 'chromium' ? files : files.filter((f) => readFileSync(join(dir, f), 'utf8').includes('launchExtension('));

export default defineConfig({
  test: {
    include: forBrowser.map((f) => `${dir}/${f}`),
    environment: 'node',
    fileParallelism: false,
    // The slowest test takes ~25 s here (2 cores); a stuck one must not eat the CI's 20 minutes.
    testTimeout: 60_000,
    hookTimeout: 90_000,
    reporters: ['verbose'],
  },
});
