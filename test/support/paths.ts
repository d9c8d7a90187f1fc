// Where the repository is, for tests that read its files or run its commands.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The team's shared real data, when a copy of shared/ sits beside the clone. Only the corpus tests
 * (`npm run test:corpus`) and the bench read it; `npm test` never does.
 */
export const SHARED_REAL_DATA = resolve(REPO_ROOT, '../shared/data/real');
