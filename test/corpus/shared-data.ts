// The shared real data beside the repository clone, read by the corpus tests (`npm run test:corpus`).
// A missing folder fails loudly: the corpus tests were asked to check it and cannot.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED_REAL_DATA } from '../support/paths.ts';

export const REAL_DATA = SHARED_REAL_DATA;

export function realFile(rel: string): Uint8Array {
  if (!existsSync(REAL_DATA)) {
    throw new Error(`shared real data not found at ${REAL_DATA}: put a copy of shared/ beside the repository clone`);
  }
  const path = join(REAL_DATA, rel);
  if (!existsSync(path)) throw new Error(`shared real data file missing: ${path}`);
  return new Uint8Array(readFileSync(path));
}
