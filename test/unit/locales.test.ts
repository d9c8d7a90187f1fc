// Every UI string exists in it, en and fr, and every key the code asks for exists.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const locales = ['en', 'it', 'fr'];
const messages = Object.fromEntries(
  locales.map((l) => [l, JSON.parse(readFileSync(join(root, 'extension/_locales', l, 'messages.json'), 'utf8')) as Record<string, { message: string }>]),
);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : /\.(ts|html)$/.test(e.name) ? [join(dir, e.name)] : []));
}

describe('locales', () => {
  it('are what scripts/locales.mjs generates (no hand edits that the next generation would lose)', () => {
    const r = spawnSync(process.execPath, ['scripts/locales.mjs', '--check'], { cwd: root, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('have the same keys, none empty', () => {
    const keys = Object.keys(messages['en'] ?? {}).sort();
    for (const l of locales) {
      expect(Object.keys(messages[l] ?? {}).sort(), l).toEqual(keys);
      for (const k of keys) expect(messages[l]?.[k]?.message.trim(), `${l}.${k}`).toBeTruthy();
    }
  });

  it('hold every key the code and pages use', () => {
    const used = new Set<string>();
    for (const f of [...sources(join(root, 'src/pages')), ...sources(join(root, 'src/background'))]) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/\bt\('([A-Za-z_]+)'/g)) used.add(m[1] as string);
      for (const m of text.matchAll(/data-i18n="([A-Za-z_]+)"/g)) used.add(m[1] as string);
    }
    expect(used.size).toBeGreaterThan(10);
    const missing = [...used].filter((k) => !(k in (messages['en'] ?? {})));
    expect(missing).toEqual([]);
  });
});
