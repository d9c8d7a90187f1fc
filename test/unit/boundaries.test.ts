// Rules about the code itself: the core is browser-free and imports only itself and its libraries;
// only src/platform touches the extension APIs; no source file grows past the size we can review.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/paths.ts';

const SRC = join(REPO_ROOT, 'src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : /\.ts$/.test(e.name) ? [join(dir, e.name)] : []));
}

const all = files(SRC).map((f) => ({ path: relative(REPO_ROOT, f), text: readFileSync(f, 'utf8') }));
/** Import and export-from specifiers of a module. */
const specifiers = (text: string): string[] => [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1] as string);
/** The code without comments and quoted strings, so a comment or a module path may name an API. */
const code = (text: string): string =>
  text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1')
    .replace(/'(?:[^'\\\n]|\\.)*'/g, "''");
const CORE_LIBRARIES = new Set(['valibot']);

describe('layer boundaries', () => {
  it('finds the sources', () => {
    expect(all.length).toBeGreaterThan(30);
  });

  it('src/core imports only src/core and its libraries', () => {
    const bad = all
      .filter((f) => f.path.startsWith('src/core/'))
      .flatMap((f) =>
        specifiers(f.text)
          .filter((s) => (s.startsWith('.') ? !s.startsWith('./') || s.includes('/..') : !CORE_LIBRARIES.has(s)))
          .map((s) => `${f.path}: ${s}`),
      );
    expect(bad).toEqual([]);
  });

  it('only src/platform imports webextension-polyfill or names browser.* / chrome.*', () => {
    const bad = all
      .filter((f) => !f.path.startsWith('src/platform/'))
      .flatMap((f) => [
        ...specifiers(f.text)
          .filter((s) => s === 'webextension-polyfill')
          .map((s) => `${f.path}: imports ${s}`),
        ...[...code(f.text).matchAll(/\b(?:browser|chrome)\.[A-Za-z]/g)].map((m) => `${f.path}: ${m[0]}`),
      ]);
    expect(bad).toEqual([]);
  });

  it('the test checks above would catch a violation', () => {
    expect(specifiers("import { x } from '../background/engine.ts';")).toEqual(['../background/engine.ts']);
    expect([...code("import { a } from '../platform/browser.ts'; const b = chrome.storage; // browser.x").matchAll(/\b(?:browser|chrome)\.[A-Za-z]/g)].length).toBe(1);
  });

  it('no source file is longer than 350 lines', () => {
    const long = all.map((f) => ({ path: f.path, lines: f.text.split('\n').length })).filter((f) => f.lines > 350);
    expect(long).toEqual([]);
  });
});
