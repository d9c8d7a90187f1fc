// Locates the shared real data beside the repository clone; a missing folder fails loudly.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const REAL_DATA = resolve(REPO_ROOT, '../shared/data/real');

export function realFile(rel: string): Uint8Array {
  if (!existsSync(REAL_DATA)) {
    throw new Error(`shared real data not found at ${REAL_DATA}: put a copy of shared/ beside the repository clone`);
  }
  const path = join(REAL_DATA, rel);
  if (!existsSync(path)) throw new Error(`shared real data file missing: ${path}`);
  return new Uint8Array(readFileSync(path));
}
