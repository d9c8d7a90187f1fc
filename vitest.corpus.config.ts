import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import { SHARED_REAL_DATA } from './test/support/paths.ts';

// Corpus tests (`npm run test:corpus`): sweep the team's whole real data corpus, a copy of shared/
// beside the clone (../shared/data/real). `npm test` never reads it. Without the corpus this run
// fails at once, saying so: it was asked to check the corpus and could not.
if (!existsSync(SHARED_REAL_DATA)) {
  throw new Error(`corpus tests: no shared real data at ${SHARED_REAL_DATA}. Put a copy of shared/ beside the repository clone; nothing was checked.`);
}

export default defineConfig({
  test: {
    include: ['test/corpus/**/*.corpus.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
  },
});
