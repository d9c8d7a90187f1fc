import { configDefaults, defineConfig } from 'vitest/config';

// Unit tests: pure logic in Node, on files inside the repository only (a plain clone has nothing
// beside it). Real-browser tests live in vitest.e2e.config.ts; the tests that sweep the shared real
// data corpus (../shared) in vitest.corpus.config.ts (`npm run test:corpus`).
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    exclude: [...configDefaults.exclude, 'test/corpus/**'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
