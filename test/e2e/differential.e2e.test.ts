// Differential test: for thousands of hosts, what the browser (Chromium or Firefox ESR, from
// ORDINANZA_BROWSER) did (blocked or loaded) must equal what the order index says. Most probes are
// fetches (the subresource block rules carry exactly the same requestDomains as the redirect rules);
// a sample is checked by real top-level navigation too.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { domainToUnicode } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFeed } from '../../src/core/feed.ts';
import { canonicalHost } from '../../src/core/hostname.ts';
import { DEFAULT_SELECTION, loadFeed, wantedHosts } from '../../src/core/selection.ts';
import { BLOCKED_ERROR_TEXT, currentBrowser, distFor, launchExtension, startServer, visit, type Extension, type TestServer } from './harness.ts';

const B = currentBrowser();
let server: TestServer;
let ext: Extension;

function sampleProbes(): { probes: string[]; expected: Map<string, boolean> } {
  const parsed = parseFeed(readFileSync(join(distFor(B), 'feeds/IT.json')));
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  const loaded = loadFeed(parsed.feed);
  const enforced = wantedHosts([loaded], DEFAULT_SELECTION)
    .map((w) => w.host)
    .sort();
  // A deterministic spread over the whole list.
  const pick = (n: number, offset: number): string[] => Array.from({ length: n }, (_, i) => enforced[(i * 7919 + offset) % enforced.length] as string);
  const probes = new Set<string>();
  for (const h of pick(500, 0)) probes.add(h);
  for (const h of pick(250, 1)) probes.add(`a.${h}`);
  for (const h of pick(250, 2)) probes.add(`x-1.deep.${h}`);
  for (const h of pick(250, 3)) probes.add(`not${h}`);
  for (const h of pick(150, 4)) probes.add(`${h}x`);
  for (const h of pick(300, 5)) {
    const parent = h.split('.').slice(1).join('.');
    if (parent.includes('.')) probes.add(parent);
  }
  for (const h of pick(200, 6)) probes.add(h.toUpperCase());
  for (const h of pick(150, 7)) probes.add(`${h}.`);
  for (const h of enforced.filter((x) => x.includes('xn--'))) {
    probes.add(domainToUnicode(h));
    probes.add(`www.${domainToUnicode(h)}`);
  }
  for (let i = 0; i < 120; i++) probes.add(`caffè-${i}.esempio-ünlisted.it`);
  for (let i = 0; i < 100; i++) probes.add(`unlisted-${i}.example.org`);
  const expected = new Map<string, boolean>();
  for (const p of probes) {
    const c = canonicalHost(p);
    if (!c.ok) throw new Error(`probe ${p} is not a host: ${c.reason}`);
    expected.set(p, loaded.index.has(c.host));
  }
  return { probes: [...probes], expected };
}

beforeAll(async () => {
  server = await startServer();
  ext = await launchExtension(B, { server });
});

afterAll(async () => {
  await ext?.close();
  await server?.close();
});

describe(`[${B}] browser and index agree`, () => {
  const { probes, expected } = sampleProbes();

  it(`on ${probes.length} hosts probed by fetch: 0 mismatches`, async () => {
    expect(probes.length).toBeGreaterThanOrEqual(2000);
    const page = await ext.browser.newPage();
    await visit(page, 'http://probe-origin.example.org/');
    // Blocked means the browser refused the request itself (Chromium: ERR_BLOCKED_BY_CLIENT; Firefox:
    // NS_ERROR_ABORT): an HSTS-preloaded host that fails over TLS to the plain local server is a
    // failed load, not a block.
    const refused = new Set<number>();
    page.on('requestfailed', (r) => {
      const m = /\/probe\/(\d+)$/.exec(r.url());
      if (m && r.failure()?.errorText === BLOCKED_ERROR_TEXT[B]) refused.add(Number(m[1]));
    });
    const seenBefore = server.requests.length;
    await page.evaluate(async (hosts: string[]) => {
      const chunk = 50;
      for (let i = 0; i < hosts.length; i += chunk) {
        await Promise.all(hosts.slice(i, i + chunk).map((h, j) => fetch(`http://${h}/probe/${i + j}`, { mode: 'no-cors', cache: 'no-store' }).catch(() => undefined)));
      }
    }, probes);
    const outcome: Record<string, boolean> = {};
    for (const [i, p] of probes.entries()) outcome[p] = refused.has(i);
    const mismatches = probes.filter((p) => outcome[p] !== expected.get(p)).map((p) => `${p}: browser ${outcome[p] ? 'blocked' : 'loaded'}, index ${expected.get(p) ? 'blocked' : 'loaded'}`);
    expect(mismatches).toEqual([]);
    // And from the other side: no request the index blocks ever reached the server.
    const reached = new Set(
      server.requests
        .slice(seenBefore)
        .flatMap((r) => /\/probe\/(\d+)$/.exec(r)?.[1] ?? [])
        .map(Number),
    );
    expect(probes.filter((p, i) => expected.get(p) && reached.has(i))).toEqual([]);
    expect(reached.size).toBeGreaterThan(500);
    expect([...expected.values()].filter(Boolean).length).toBeGreaterThan(1000);
    expect([...expected.values()].filter((x) => !x).length).toBeGreaterThan(500);
    await page.close();
  });

  it('on a sample of 60 by top-level navigation: 0 mismatches', async () => {
    const page = await ext.browser.newPage();
    const sample = probes.filter((_, i) => i % Math.floor(probes.length / 60) === 0).slice(0, 60);
    const mismatches: string[] = [];
    for (const h of sample) {
      const v = await visit(page, `http://${h}/nav`);
      const blocked = v.outcome === 'blocked';
      if (blocked !== expected.get(h) || v.outcome === 'error' || v.outcome === 'not-blocked') mismatches.push(`${h}: ${v.outcome}, index ${String(expected.get(h))}`);
    }
    expect(mismatches).toEqual([]);
    await page.close();
  });
});
