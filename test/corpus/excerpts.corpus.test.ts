// The excerpts `npm test` reads (test/fixtures/real-excerpts) are still cut unchanged from the
// shared real data: same lines, same bytes (`npm run test:corpus`).
import { describe, expect, it } from 'vitest';
import { committed, cut, EXCERPTS } from './cut-excerpts.ts';
import { REAL_DATA, realFile } from './shared-data.ts';

describe('test/fixtures/real-excerpts', () => {
  it.each(Object.keys(EXCERPTS))('%s equals its cut of the shared file', (rel) => {
    realFile(rel); // a clear error when the shared file is missing
    expect(committed(rel).equals(cut(REAL_DATA, rel))).toBe(true);
  });
});
