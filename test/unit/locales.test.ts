// Every UI string exists in it, en and fr, and every key the code asks for exists (the key types,
// generated beside the locales, make a misspelt key in the code a compile error).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const locales = ['en', 'it', 'fr'];
const messages = Object.fromEntries(
  locales.map((l) => [l, JSON.parse(readFileSync(join(root, 'extension/_locales', l, 'messages.json'), 'utf8')) as Record<string, { message: string; placeholders?: Record<string, unknown> }>]),
);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : /\.(ts|html)$/.test(e.name) ? [join(dir, e.name)] : []));
}

describe('locales', () => {
  it('and the key types are what scripts/locales.mjs generates (no hand edits that the next generation would lose)', () => {
    const r = spawnSync(process.execPath, ['scripts/locales.mjs', '--check'], { cwd: root, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('--check fails on key types that are not what the locale source generates', () => {
    const dir = mkdtempSync(join(tmpdir(), 'locales-'));
    try {
      for (const f of [
        'scripts/locales.mjs',
        'scripts/locales-explain.mjs',
        'scripts/locales-jurisdictions.mjs',
        'src/platform/message-keys.ts',
        ...locales.map((l) => `extension/_locales/${l}/messages.json`),
      ]) {
        cpSync(join(root, f), join(dir, f));
      }
      const types = join(dir, 'src/platform/message-keys.ts');
      writeFileSync(types, readFileSync(types, 'utf8').replace("'badgeOn',", "'badgeOn',\n  'badgeMaybe',"));
      const r = spawnSync(process.execPath, ['scripts/locales.mjs', '--check'], { cwd: dir, encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('src/platform/message-keys.ts');
      expect(r.stderr).not.toContain('messages.json');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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

  it("named in the pages' HTML take no substitutions (data-i18n fills the text alone)", () => {
    const named = sources(join(root, 'src/pages'))
      .filter((f) => f.endsWith('.html'))
      .flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/data-i18n="([A-Za-z_]+)"/g)].map((m) => m[1] as string));
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((k) => messages['en']?.[k]?.placeholders)).toEqual([]);
  });
});
