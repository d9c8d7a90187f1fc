// Sync hardening in a real browser (ORDINANZA_BROWSER: Chromium or Firefox ESR), against a feed
// server this file starts and stops: a feed URL with a query string syncs (its signature and deltas
// keep the query); a delta without its signature falls back to the full feed in the same sync; a
// redirect to plain http is refused and the list stays; a feed signed by a new key, once the old
// key is no longer trusted, replaces a feed whose serial was far too high (set aside at once, and
// again when the background starts).
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFeed, serializeFeed, type Feed } from '../../src/core/feed.ts';
import type { FeedStatus, Status, SyncState } from '../../src/core/messages.ts';
import { encodeUtf8, generateKeyPair, serializeSignature, sign, type PrivateKeyFile, type PublicKeyFile } from '../../src/core/signature.ts';
import { makeDelta } from '../../src/core/sync.ts';
import { currentBrowser, distFor, launchExtension, openExtensionPage, startServer, visit, type Extension, type TestServer } from './harness.ts';

const B = currentBrowser();
const DAY = 86_400_000;
const TEST_ORDER = 'test-order-hardening';
const QUERY = '?token=s3cr%2Ft';
/** Firefox suspends an idle event page after this long (default 30 s): shorter, for the restart step. */
const FIREFOX_IDLE_MS = 8_000;

const embedded: Feed = (() => {
  const r = parseFeed(readFileSync(join(distFor(B), 'feeds/IT.json')));
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.feed;
})();

/** The embedded feed at `serial`, plus a test order over `added`. */
function feedWith(serial: number, added: string[] = []): Feed {
  const entries = embedded.entries.map((g) => ({ ...g }));
  const orders = { ...embedded.orders };
  if (added.length > 0) {
    orders[TEST_ORDER] = {
      authority: 'agcom',
      category: 'copyright',
      act: { kind: 'decision', title: { en: 'Test order for sync hardening' } },
      sources: [{ url: 'https://example.org/t' }],
    };
    entries.push({ listings: [{ order: TEST_ORDER, edition: Object.keys(embedded.editions)[0] as string }], hosts: [...added].sort() });
  }
  const t = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
  return { ...embedded, serial, generated: t(Date.now() - DAY), expires: t(Date.now() + 30 * DAY), orders, entries };
}

// ---- the feed server: routes by host and path with its query ----------------------------------

type Route = (req: IncomingMessage, res: ServerResponse) => void;
const routes = new Map<string, Route>();
const seen: string[] = [];

function serveText(key: string, body: string | Uint8Array): void {
  routes.set(key, (_req, res) => {
    const bytes = typeof body === 'string' ? encodeUtf8(body) : body;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(bytes.length) });
    res.end(bytes);
  });
}

/** Serves `text` at `path` (on 127.0.0.1 unless `host` says) and, with a key, its signature beside it. */
async function serveSigned(path: string, text: string, key: PrivateKeyFile | null, host = '127.0.0.1'): Promise<void> {
  const body = encodeUtf8(text);
  const u = new URL(path, 'http://x');
  serveText(`${host} ${u.pathname}${u.search}`, body);
  const sigKey = `${host} ${u.pathname}.sig${u.search}`;
  if (key) serveText(sigKey, serializeSignature(await sign(body, key)));
  else routes.delete(sigKey);
}

let server: TestServer;
let ext: Extension;
let control: Page;
let oldKey: { privateKey: PrivateKeyFile; publicKey: PublicKeyFile };
let newKey: { privateKey: PrivateKeyFile; publicKey: PublicKeyFile };
let serial = embedded.serial;

async function ask<T>(msg: object): Promise<T> {
  return control.evaluate((m) => chrome.runtime.sendMessage(m), msg) as Promise<T>;
}

async function itStatus(): Promise<FeedStatus> {
  const it = (await ask<Status>({ type: 'status' })).feeds.find((f) => f.jurisdiction === 'IT');
  if (!it) throw new Error('no IT feed');
  return it;
}

async function syncNow(): Promise<SyncState> {
  const it = (await ask<Status>({ type: 'syncNow' })).feeds.find((f) => f.jurisdiction === 'IT');
  if (!it?.sync) throw new Error('no sync state for IT');
  return it.sync;
}

async function outcome(host: string): Promise<string> {
  const page = await ext.browser.newPage();
  try {
    return (await visit(page, `http://${host}/`)).outcome;
  } finally {
    await page.close();
  }
}

beforeAll(async () => {
  [oldKey, newKey] = await Promise.all([generateKeyPair(), generateKeyPair()]);
  server = await startServer();
  server.handler = (req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'unknown'}`);
    if (url.hostname !== '127.0.0.1' && url.hostname !== 'feeds.example') return false;
    const key = `${url.hostname} ${url.pathname}${url.search}`;
    seen.push(key);
    const route = routes.get(key);
    if (route) route(req, res);
    else {
      res.writeHead(404);
      res.end();
    }
    return true;
  };
  ext = await launchExtension(B, { server, firefoxPrefs: { 'extensions.background.idle.timeout': FIREFOX_IDLE_MS } });
  control = await openExtensionPage(ext, '/src/pages/options.html');
  const r = await ask({
    type: 'setSettings',
    patch: { feedUrls: { IT: `${server.origin}/IT.json${QUERY}` }, trustedKeys: [oldKey.publicKey], fetchTimeoutSeconds: 5 },
  });
  expect(r).toEqual({ ok: true });
});

afterAll(async () => {
  await ext?.close();
  await server?.close();
});

describe(`[${B}] sync hardening`, () => {
  it('a feed URL with a query string syncs: the signature and the delta keep the query', async () => {
    await serveSigned(`/IT.json${QUERY}`, serializeFeed(feedWith(++serial, ['query-ordered.example'])), oldKey.privateKey);
    const s = await syncNow();
    expect(s.lastError).toBeNull();
    expect(s.lastOutcome).toBe('installed');
    expect((await itStatus()).serial).toBe(serial);
    expect(seen).toContain(`127.0.0.1 /IT.json.sig${QUERY}`);
    expect(await outcome('query-ordered.example')).toBe('blocked');
  });

  it('a delta without its .sig falls back to the full feed in the same sync', async () => {
    const from = feedWith(serial, ['query-ordered.example']);
    const next = feedWith(++serial, ['query-ordered.example', 'fallback-ordered.example']);
    await serveSigned(`/IT.delta-${from.serial}.json${QUERY}`, JSON.stringify(await makeDelta(from, next)), null);
    await serveSigned(`/IT.json${QUERY}`, serializeFeed(next), oldKey.privateKey);
    seen.length = 0;
    const s = await syncNow();
    expect(s.lastError).toBeNull();
    expect(s.lastOutcome).toBe('installed');
    expect(s.deltaFallback?.reason).toBe('malformed-signature');
    expect(seen).toEqual([`127.0.0.1 /IT.delta-${from.serial}.json${QUERY}`, `127.0.0.1 /IT.delta-${from.serial}.json.sig${QUERY}`, `127.0.0.1 /IT.json${QUERY}`, `127.0.0.1 /IT.json.sig${QUERY}`]);
    expect((await itStatus()).serial).toBe(serial);
    expect(await outcome('fallback-ordered.example')).toBe('blocked');
  });

  it('a redirect to plain http is refused and the list stays', async () => {
    // The target serves a valid, newer, signed feed: only the redirect check keeps it out.
    await serveSigned('/IT.json', serializeFeed(feedWith(serial + 1, ['redirected-ordered.example'])), oldKey.privateKey, 'feeds.example');
    routes.set(`127.0.0.1 /IT.json${QUERY}`, (_req, res) => {
      res.writeHead(302, { location: 'http://feeds.example/IT.json' });
      res.end();
    });
    const before = await itStatus();
    const s = await syncNow();
    expect(s.lastError?.reason).toBe('bad-redirect');
    expect(s.lastError?.message).toContain('plain http');
    expect((await itStatus()).serial).toBe(before.serial);
    expect(await outcome('fallback-ordered.example')).toBe('blocked');
    expect(await outcome('redirected-ordered.example')).toBe('loaded');
  });

  it('a feed signed by a new key replaces a far-too-high serial once the old key is no longer trusted', async () => {
    const HIGH = 9_999_999_999;
    await serveSigned(`/IT.json${QUERY}`, serializeFeed(feedWith(HIGH, ['compromised-ordered.example'])), oldKey.privateKey);
    expect((await syncNow()).lastError).toBeNull();
    expect((await itStatus()).serial).toBe(HIGH);

    // With both keys trusted, the new key continues the old line: the lower serial is a rollback.
    await serveSigned(`/IT.json${QUERY}`, serializeFeed(feedWith(++serial, ['recovered-ordered.example'])), newKey.privateKey);
    expect(await ask({ type: 'setSettings', patch: { trustedKeys: [oldKey.publicKey, newKey.publicKey] } })).toEqual({ ok: true });
    expect((await syncNow()).lastError?.reason).toBe('rollback');
    // The rollback schedules a retry, which may fire at any moment below (at the latest when the
    // background starts again): until the last step, the server offers the old key's feed, which a
    // retry can only find up to date or untrusted.
    const newKeysFeed = serializeFeed(feedWith(serial, ['recovered-ordered.example']));
    await serveSigned(`/IT.json${QUERY}`, serializeFeed(feedWith(HIGH, ['compromised-ordered.example'])), oldKey.privateKey);

    // The old key revoked: its feed is set aside at once, the built-in list enforced and the status says why.
    expect(await ask({ type: 'setSettings', patch: { trustedKeys: [newKey.publicKey] } })).toEqual({ ok: true });
    const aside = await itStatus();
    expect(aside.source).toBe('embedded');
    expect(aside.serial).toBe(embedded.serial);
    expect(aside.setAside).toMatchObject({ serial: HIGH, keyId: oldKey.publicKey.keyId });
    expect(aside.setAside?.message).toContain('no longer trusted');
    // The options page says so in plain words.
    await control.waitForFunction(() => document.querySelector('.list-set-aside') !== null, { timeout: 15_000 });
    expect(await control.$eval('.list-set-aside', (el) => (el as HTMLElement).innerText)).toContain('is set aside');
    expect(await outcome('compromised-ordered.example')).toBe('loaded');

    // A background that starts again finds the stored feed's key untrusted and sets it aside again.
    expect(await ext.stopBackground(25_000)).toBe(true);
    const restarted = await itStatus();
    expect(restarted.source).toBe('embedded');
    expect(restarted.setAside).toMatchObject({ serial: HIGH, keyId: oldKey.publicKey.keyId });
    expect(await outcome('compromised-ordered.example')).toBe('loaded');

    // The new key's feed starts a new serial line.
    await serveSigned(`/IT.json${QUERY}`, newKeysFeed, newKey.privateKey);
    const s = await syncNow();
    expect(s.lastError).toBeNull();
    const after = await itStatus();
    expect(after.serial).toBe(serial);
    expect(after.source).toBe('remote');
    expect(after.setAside ?? null).toBeNull();
    expect(await outcome('recovered-ordered.example')).toBe('blocked');
  });
});
