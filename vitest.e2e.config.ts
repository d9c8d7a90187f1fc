import { defineConfig } from 'vitest/config';

// Real-browser tests: the built extension (dist/) loaded in Debian's Chromium (and Firefox ESR),
// navigating to real hostnames mapped to a local server that each test starts and stops.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['verbose'],
  },
});
