import { defineConfig } from 'vitest/config';

// Unit tests: pure logic in Node. Real-browser tests live in vitest.e2e.config.ts.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
