// Several jurisdictions in a real browser (ORDINANZA_BROWSER: Chromium or Firefox ESR): Germany,
// Czechia and Switzerland ship embedded and off; turned on in the options page their hosts are
// blocked with the body named, and stay blocked after a browser restart; entries the sources
// mark removed load and are explained as removed; turning Germany off lifts its hosts; a feed synced
// for a code with no embedded list (AT, signed by a test key) survives the restart and a later sync.
// One profile, two launches: the second is the browser restart.
import { rmSync } from 'node:fs';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEED_FORMAT, serializeFeed, type Feed } from '../../src/core/feed.ts';
import type { Status } from '../../src/core/messages.ts';
import { encodeUtf8, generateKeyPair, serializeSignature, sign, type PrivateKeyFile, type PublicKeyFile } from '../../src/core/signature.ts';
import { BROWSER_OWN, currentBrowser, launchExtension, newProfileDir, screenshot, startServer, until, visit, type Extension, type ExtensionLaunchOptions, type TestServer } from './harness.ts';
import { inRules, openOptions, searchFor } from './options-support.ts';

const B = currentBrowser();
/** Screenshot names: Chromium's plain, other browsers' with the browser's name. */
const SHOT = B === 'chromium' ? '' : `-${B}`;
const DAY = 86_400_000;
/** Enforced hosts that no other jurisdiction lists, and the body each card names. */
const SAMPLES = {
  DE: { host: 'serien.sx', body: 'Clearingstelle Urheberrecht im Internet', date: 'Blocked on' },
  CZ: { host: 'webmoneycasino.com', body: 'Ministerstvo financí ČR', date: 'Published on the list on' },
  CH: { host: 'bet-at-home.com', body: 'Swiss Lottery and Betting Board', date: 'Blocking order issued on' },
} as const;
/** Removed from the Czech list on 22 October 2021; not in the Swiss release of 26 November 2019. */
const CZ_REMOVED = 'powercasino.bet';
const CH_REMOVED = 'tipwin.com';
const AT_HOST = 'synced-only.example';

let server: TestServer;
const profile = newProfileDir();
let key: { privateKey: PrivateKeyFile; publicKey: PublicKeyFile };
let atBody: Uint8Array;
let atSig: string;
const atRequests: string[] = [];

function launchOptions(): ExtensionLaunchOptions {
  return { server, userDataDir: profile, firefoxInstall: 'profile' };
}

/** A small feed for Austria, which has no embedded list. */
function atFeed(): Feed {
  const t = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    format: FEED_FORMAT,
    jurisdiction: 'AT',
    serial: 7,
    generated: t(Date.now() - DAY),
    expires: t(Date.now() + 30 * DAY),
    authorities: { test: { name: { en: 'Test authority for Austria' }, kind: 'regulator' } },
    orders: { 'at-test': { authority: 'test', category: 'gambling', act: { kind: 'register' }, sources: [{ url: 'https://example.org/at' }] } },
    editions: { 'at-1': { source: 'test edition', date: '2026-11-01' } },
    entries: [{ listings: [{ order: 'at-test', edition: 'at-1' }], hosts: [AT_HOST] }],
  };
}

async function outcome(ext: Extension, host: string): Promise<{ outcome: string; text: string }> {
  const page = await ext.browser.newPage();
  try {
    const v = await visit(page, `http://${host}/`);
    return { outcome: v.outcome, text: v.text };
  } finally {
    await page.close();
  }
}

async function ask<T>(page: Page, msg: object): Promise<T> {
  return page.evaluate((m) => chrome.runtime.sendMessage(m), msg) as Promise<T>;
}

/**
 * Clicks a jurisdiction's checkbox and waits until `host` is (or no longer is) blocked by the rules,
 * with a generous deadline (that they follow is checked, not how fast); the change needs no request.
 */
async function toggle(ext: Extension, page: Page, code: string, host: string, wantBlocked: boolean): Promise<void> {
  await page.bringToFront();
  const mark = server.requests.length;
  // The page rebuilds its controls when settings or status change: click the current checkbox.
  await page.waitForFunction((sel, want) => (document.querySelector(sel) as HTMLInputElement | null)?.checked === !want, {}, `#j-${code}`, wantBlocked);
  await page.$eval(`#j-${code}`, (el) => (el as HTMLInputElement).click());
  await until(`${code}: ${host} ${wantBlocked ? 'blocked' : 'no longer blocked'} by the rules`, async () => (await inRules(ext, host)) === wantBlocked, {
    timeoutMs: 30_000,
    intervalMs: 250,
  });
  // Offline: the change needed no request (aside from Firefox's own traffic to Mozilla services, the
  // AT feed's scheduled sync, which a toggle does not start, and the favicon of a page visited just
  // before, which the browser may fetch after the page has closed).
  expect(server.requests.slice(mark).filter((r) => !BROWSER_OWN.test(r) && !r.startsWith('127.0.0.1 /AT.json') && !r.endsWith(' /favicon.ico'))).toEqual([]);
}

beforeAll(async () => {
  key = await generateKeyPair();
  atBody = encodeUtf8(serializeFeed(atFeed()));
  atSig = serializeSignature(await sign(atBody, key.privateKey));
  server = await startServer();
  server.handler = (req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'unknown'}`);
    if (url.hostname !== '127.0.0.1') return false;
    atRequests.push(`${url.pathname} ${req.headers['if-none-match'] ?? ''}`);
    if (url.pathname === '/AT.json') {
      // An ETag, and a 304 for it: the trap that used to leave a dropped feed out for good.
      if (req.headers['if-none-match'] === '"at-7"') {
        res.writeHead(304, { etag: '"at-7"' });
        res.end();
        return true;
      }
      res.writeHead(200, { 'content-type': 'application/json', etag: '"at-7"', 'content-length': String(atBody.length) });
      res.end(atBody);
      return true;
    }
    if (url.pathname === '/AT.json.sig') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(atSig);
      return true;
    }
    res.writeHead(404);
    res.end();
    return true;
  };
});

afterAll(async () => {
  await server?.close();
  rmSync(profile, { recursive: true, force: true });
});

describe(`[${B}] several jurisdictions`, () => {
  let ext: Extension;
  let options: Page;

  afterAll(async () => {
    await ext?.close({ keepProfile: true });
  });

  it('Germany, Czechia and Switzerland are installed but off by default: their hosts load', async () => {
    ext = await launchExtension(B, launchOptions());
    options = await openOptions(ext);
    const listed = await options.$$eval('#jurisdictions > fieldset.jurisdiction', (els) =>
      els.map((e) => [(e as HTMLElement).dataset['jurisdiction'], (e.querySelector('input[type=checkbox]') as HTMLInputElement).checked, (e as HTMLElement).innerText]),
    );
    expect(listed.map(([j, on]) => [j, on])).toEqual([
      ['IT', true],
      ['DE', false],
      ['CZ', false],
      ['CH', false],
    ]);
    const text = listed.map(([, , t]) => t).join('\n');
    // Country names, authorities (and that CUII is a private body), categories, counts, data date.
    for (const s of [
      'Germany',
      'Czechia',
      'Switzerland',
      'Clearingstelle Urheberrecht im Internet (CUII)',
      'Ministerstvo financí ČR',
      'Swiss Lottery and Betting Board (Comlot)',
      'not a court or a public authority',
      '275',
      '743',
      '106',
    ]) {
      expect(text).toContain(s);
    }
    expect(text).not.toContain('jurisdiction_');
    // CUII is not an authority: Germany's line names it as the body whose list it is.
    const de = listed.find(([j]) => j === 'DE')?.[2] ?? '';
    expect(de).toContain('List of: Clearingstelle Urheberrecht im Internet (CUII)');
    expect(de).not.toContain('Authority:');
    for (const { host } of Object.values(SAMPLES)) expect((await outcome(ext, host)).outcome, host).toBe('loaded');
  });

  it('turned on in the options page, with no network request, their hosts are blocked and the card names the body', async () => {
    for (const [code, s] of Object.entries(SAMPLES)) {
      await toggle(ext, options, code, s.host, true);
      const v = await outcome(ext, s.host);
      expect(v.outcome, s.host).toBe('blocked');
      expect(v.text).toContain(s.body);
      expect(v.text).toContain(s.date);
    }
    const page = await ext.browser.newPage();
    try {
      const de = await visit(page, `http://${SAMPLES.DE.host}/`);
      expect(de.text).toContain('not a court or a public authority');
      expect(de.text).toContain('leaked');
      // A private body's list is not an order: the lead and the card say "list" and "listing".
      expect(de.text).toContain('Ordinanza applies this list in this browser.');
      expect(de.text).not.toContain('applies this order');
      expect(de.text).toContain('The published sources do not say how this listing can be contested.');
      await screenshot(page, `jurisdictions-block-DE${SHOT}`);
    } finally {
      await page.close();
    }
    await screenshot(options, `jurisdictions-options${SHOT}`);
  });

  it('entries removed from the Czech and Swiss lists load and are explained as removed', async () => {
    for (const host of [CZ_REMOVED, CH_REMOVED]) expect((await outcome(ext, host)).outcome, host).toBe('loaded');
    const cz = await searchFor(options, CZ_REMOVED);
    expect(cz.verdict).toBe('listed-not-enforced');
    expect(cz.text).toContain('Removed from the list on');
    expect(cz.text).toMatch(/22 Oct(ober)? 2021|Oct(ober)? 22, 2021/);
    const ch = await searchFor(options, CH_REMOVED);
    expect(ch.verdict).toBe('listed-not-enforced');
    expect(ch.text).toContain('no longer in its edition of');
    expect(ch.text).toContain('Blocking order issued on');
  });

  it('a host listed by several countries shows the orders of each, grouped by country', async () => {
    // 1xbet.com: on ADM's Italian list and the Swiss one; removed from the Czech one (not shown when blocked).
    const r = await searchFor(options, '1xbet.com');
    expect(r.verdict).toBe('blocked');
    const groups = await options.$$eval('#search-result section.country', (els) =>
      els.map((e) => [(e as HTMLElement).dataset['country'], e.querySelector('h2')?.textContent, [...e.querySelectorAll<HTMLElement>('article.order')].map((a) => a.dataset['order'])]),
    );
    expect(groups).toEqual([
      ['IT', 'Italy', ['adm-giochi']],
      ['CH', 'Switzerland', ['comlot-sperrliste']],
    ]);
  });

  it('a feed address for a code with no list whose download fails (its key not trusted) is shown with its error', async () => {
    expect(await ask(options, { type: 'setSettings', patch: { feedUrls: { AT: `${server.origin}/AT.json` } } })).toEqual({ ok: true });
    const status = await ask<Status>(options, { type: 'syncNow' });
    expect(status.feeds.find((f) => f.jurisdiction === 'AT')).toBeUndefined();
    expect(status.awaiting.map((a) => [a.jurisdiction, a.sync?.lastError?.reason])).toEqual([['AT', 'unknown-key']]);
    const fresh = await openOptions(ext);
    const block = await fresh.waitForSelector('[data-awaiting="AT"]', { timeout: 15_000 });
    const text = await block?.evaluate((e) => (e as HTMLElement).innerText);
    expect(text).toContain('Austria');
    expect(text).toContain(`No list is installed for this country yet; the first valid list downloaded from ${server.origin}/AT.json will be.`);
    expect(text).toMatch(/The last attempt \(.+\) failed: /);
    expect(text).not.toContain('already installed');
    await screenshot(fresh, `options-awaiting-list-${B}`);
    await fresh.close();
  });

  it('a feed synced for a code with no embedded list (AT) is installed and enforced', async () => {
    const r = await ask(options, {
      type: 'setSettings',
      patch: { feedUrls: { AT: `${server.origin}/AT.json` }, trustedKeys: [key.publicKey], jurisdictions: { AT: true } },
    });
    expect(r).toEqual({ ok: true });
    const status = await ask<Status>(options, { type: 'syncNow' });
    const at = status.feeds.find((f) => f.jurisdiction === 'AT');
    expect(at?.sync?.lastError ?? null).toBeNull();
    expect(at?.serial).toBe(7);
    expect((await outcome(ext, AT_HOST)).outcome).toBe('blocked');
  });
});

describe(`[${B}] after a browser restart`, () => {
  let ext: Extension;
  let options: Page;

  afterAll(async () => {
    await ext?.close({ keepProfile: true });
  });

  it('the jurisdictions turned on stay on, and the synced AT feed is still enforced', async () => {
    ext = await launchExtension(B, launchOptions());
    for (const [code, s] of Object.entries(SAMPLES)) {
      const v = await outcome(ext, s.host);
      expect(v.outcome, code).toBe('blocked');
      expect(v.text).toContain(s.body);
    }
    expect((await outcome(ext, AT_HOST)).outcome).toBe('blocked');
    options = await openOptions(ext);
    // The next sync answers 304 to the saved ETag: the feed is still the installed one.
    const status = await ask<Status>(options, { type: 'syncNow' });
    expect(status.feeds.find((f) => f.jurisdiction === 'AT')?.serial).toBe(7);
    expect((await outcome(ext, AT_HOST)).outcome).toBe('blocked');
  });

  it('turning Germany off lifts its hosts; the others stay blocked', async () => {
    await toggle(ext, options, 'DE', SAMPLES.DE.host, false);
    expect((await outcome(ext, SAMPLES.DE.host)).outcome).toBe('loaded');
    expect((await outcome(ext, SAMPLES.CZ.host)).outcome).toBe('blocked');
  });
});
