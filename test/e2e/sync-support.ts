// The sync suite's feeds, feed server and probes into the browser, kept apart from its tests:
// signed feeds derived from the embedded Italian one, a server that answers for 127.0.0.1 by path,
// readings of the installed rules and index, and the hold on the background's feed store that the
// crash test kills the background in.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { parseFeed, serializeFeed, type Feed } from '../../src/core/feed.ts';
import { encodeUtf8, serializeSignature, sign, type PrivateKeyFile } from '../../src/core/signature.ts';
import { generatedHosts } from '../support/generated-hosts.ts';
import { currentBrowser, distFor, evaluateInBackground, until, type Extension, type Handler } from './harness.ts';

// ---- feeds --------------------------------------------------------------------------------------

export const embedded: Feed = (() => {
  const r = parseFeed(readFileSync(join(distFor(currentBrowser()), 'feeds/IT.json')));
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.feed;
})();

const TEST_ORDER = 'test-order-sync';
const DAY = 86_400_000;

/** A feed derived from the embedded one: same orders plus a test order over `added` hosts. */
export function feedWith(serial: number, opts: { added?: string[]; removed?: string[]; expires?: string; generated?: string } = {}): Feed {
  const removed = new Set(opts.removed ?? []);
  const entries = embedded.entries.map((g) => ({ ...g, hosts: g.hosts.filter((h) => !removed.has(h)) }));
  const orders = { ...embedded.orders };
  if (opts.added?.length) {
    orders[TEST_ORDER] = {
      authority: 'agcom',
      category: 'copyright',
      act: { kind: 'decision', title: { en: 'Test order delivered by sync' } },
      sources: [{ url: 'https://example.org/test-order' }],
    };
    entries.push({ listings: [{ order: TEST_ORDER, edition: Object.keys(embedded.editions)[0] as string }], hosts: [...opts.added].sort() });
  }
  return {
    ...embedded,
    serial,
    generated: opts.generated ?? new Date(Date.now() - DAY).toISOString().replace(/\.\d+Z$/, 'Z'),
    expires: opts.expires ?? new Date(Date.now() + 30 * DAY).toISOString().replace(/\.\d+Z$/, 'Z'),
    orders,
    entries,
  };
}

export interface Published {
  body: Uint8Array;
  sig: string;
}

export async function publish(feed: Feed | string, key: PrivateKeyFile): Promise<Published> {
  const body = encodeUtf8(typeof feed === 'string' ? feed : serializeFeed(feed));
  return { body, sig: serializeSignature(await sign(body, key)) };
}

// ---- the feed server ----------------------------------------------------------------------------

type Route = (req: IncomingMessage, res: ServerResponse) => void;
export const routes = new Map<string, Route>();
export const feedRequests: { path: string; headers: IncomingMessage['headers']; status: number; bytes: number }[] = [];

export function serveFile(path: string, body: Uint8Array | string, etag: string | null = null): void {
  routes.set(path, (req, res) => {
    if (etag && req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag });
      res.end();
      feedRequests.push({ path, headers: req.headers, status: 304, bytes: 0 });
      return;
    }
    const bytes = typeof body === 'string' ? encodeUtf8(body) : body;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(bytes.length), ...(etag ? { etag } : {}) });
    res.end(bytes);
    feedRequests.push({ path, headers: req.headers, status: 200, bytes: bytes.length });
  });
}

export function serveFeed(p: Published, name = 'IT', etag: string | null = null): void {
  serveFile(`/${name}.json`, p.body, etag);
  serveFile(`/${name}.json.sig`, p.sig);
}

export function normalisedRules(json: string): string {
  const rules = JSON.parse(json) as { id: number; condition: { requestDomains?: string[]; excludedRequestDomains?: string[] } }[];
  for (const r of rules) {
    r.condition.requestDomains?.sort();
    r.condition.excludedRequestDomains?.sort();
  }
  return JSON.stringify(rules.sort((a, b) => a.id - b.id));
}

/**
 * The server handler: 127.0.0.1 answers by path from `routes` (404 otherwise); other hosts are left to
 * the harness's page. Chromium sends `GET /IT.json` (every host mapped to this server); Firefox, whose
 * proxy this server is, sends `GET http://127.0.0.1:<port>/IT.json`. Resolving against the Host header
 * reads both.
 */
export const feedHandler: Handler = (req, res) => {
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'unknown'}`);
  if (url.hostname !== '127.0.0.1') return false;
  const route = routes.get(url.pathname);
  if (route) route(req, res);
  else {
    res.writeHead(404);
    res.end();
    feedRequests.push({ path: url.pathname, headers: req.headers, status: 404, bytes: 0 });
  }
  return true;
};

// ---- scale: 100k hosts, 1% changed -------------------------------------------------------------

/**
 * `n` distinct hosts from inside the repository, the same on every run: the embedded Italian feed's
 * hosts (lists/it/sources), then host names from a seeded generator shaped like the real lists. No
 * IPv4 among the generated ones: the test navigates to some of these hosts, and only names are
 * mapped to the local server.
 */
export function scaleHosts(n: number): string[] {
  const italian = [...new Set(embedded.entries.flatMap((g) => g.hosts))];
  if (italian.length >= n) return italian.slice(0, n);
  return [...italian, ...generatedHosts(n - italian.length, { seed: 2026, avoid: new Set(italian), ipv4Share: 0 })];
}

export function bigFeed(s: number, hosts: string[]): Feed {
  const f = feedWith(s);
  return { ...f, entries: [{ listings: [{ order: 'agcom-copyright', edition: Object.keys(embedded.editions)[0] as string }], hosts: [...hosts].sort() }] };
}

/**
 * The domains in the installed rules. (Firefox's rules of earlier builds carried each domain a second
 * time with a trailing dot; those are still left out, so a profile from such a build compares alike.)
 */
export async function totalDomains(page: Page): Promise<number> {
  return page.evaluate(async () => (await chrome.declarativeNetRequest.getDynamicRules()).reduce((n, r) => n + (r.condition.requestDomains?.filter((d) => !d.endsWith('.')).length ?? 0), 0));
}

/**
 * The installed rules, normalised as `normalisedRules` does, digested in the page: 100k hosts make
 * megabytes of JSON, which take seconds to cross WebDriver BiDi (Firefox). The ids come along, so a
 * difference in the rule set itself reads plainly.
 */
export async function rulesDigest(page: Page): Promise<{ ids: number[]; sha256: string }> {
  return page.evaluate(async () => {
    const rules = await chrome.declarativeNetRequest.getDynamicRules();
    for (const r of rules) {
      r.condition.requestDomains?.sort();
      r.condition.excludedRequestDomains?.sort();
    }
    rules.sort((a, b) => a.id - b.id);
    const d = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify(rules))));
    return { ids: rules.map((r) => r.id), sha256: Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('') };
  });
}

export async function indexDigest(e: Extension): Promise<string> {
  return evaluateInBackground(e, async (bg) => {
    const g = bg as unknown as { ordinanza: { engine: { installed(j: string): { index: { buffer: ArrayBuffer } } } } };
    const d = new bg.Uint8Array(await bg.crypto.subtle.digest('SHA-256', g.ordinanza.engine.installed('IT').index.buffer));
    return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
  });
}

// ---- the crash: a feed store that never completes -----------------------------------------------

/**
 * Makes the background's next write of a feed to IndexedDB never finish, as if the background died
 * right then. The engine installs a feed in this order (src/background/engine.ts): the rules, then
 * the feed in one IndexedDB transaction (`put` of `feed:<code>`, src/platform/idb.ts), then its
 * record. The extension has no hook there, so this patches the background's own
 * `IDBObjectStore.prototype.put`: the put of a `feed:` key and every later put in its transaction
 * are dropped, and the transaction's completion handlers are swallowed, so the install waits forever
 * with the new rules in and the new feed unstored. `feedStoreHeld` is then set on the background's
 * global scope. Both go with the background: a restarted one has a prototype of its own.
 */
export async function holdFeedStore(e: Extension): Promise<void> {
  await evaluateInBackground(e, (bg) => {
    const g = bg as unknown as { feedStoreHeld?: boolean };
    const proto = bg.IDBObjectStore.prototype;
    const put = proto.put;
    const held = new WeakSet<IDBTransaction>();
    proto.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey): IDBRequest<IDBValidKey> {
      const tx = this.transaction;
      if (!held.has(tx) && !(typeof key === 'string' && key.startsWith('feed:'))) return put.call(this, value, key);
      if (!held.has(tx)) {
        held.add(tx);
        for (const handler of ['oncomplete', 'onerror', 'onabort']) Object.defineProperty(tx, handler, { configurable: true, get: () => null, set: () => undefined });
        g.feedStoreHeld = true;
      }
      // idb.ts does not read the request of a put; the transaction, left empty, writes nothing.
      return undefined as unknown as IDBRequest<IDBValidKey>;
    };
  });
}

/** Whether the background is held in its feed store (see `holdFeedStore`). */
export async function feedStoreHeld(e: Extension): Promise<boolean> {
  return evaluateInBackground(e, (bg) => (bg as unknown as { feedStoreHeld?: boolean }).feedStoreHeld === true);
}

// ---- an overlay not yet written to the dynamic rules ----------------------------------------------

/**
 * Makes the background's next writes of dynamic rules never finish, as if it stopped right before
 * writing an overlay it has put in the session rules (src/background/session-overlay.ts). Patches the
 * background's own `chrome.declarativeNetRequest.updateDynamicRules`; `dynamicWriteHeld` is then set
 * on its global scope. Both go with the background: a restarted one has an API object of its own.
 */
export async function holdDynamicWrites(e: Extension): Promise<void> {
  const patched = await evaluateInBackground(e, (bg) => {
    const g = bg as unknown as { dynamicWriteHeld?: boolean };
    const api = bg.chrome.declarativeNetRequest;
    const held = (): Promise<void> => {
      g.dynamicWriteHeld = true;
      return new Promise<void>(() => undefined);
    };
    Object.defineProperty(api, 'updateDynamicRules', { value: held, configurable: true, writable: true });
    return api.updateDynamicRules === held;
  });
  if (!patched) throw new Error("the background's updateDynamicRules could not be held");
}

export async function dynamicWriteHeld(e: Extension): Promise<boolean> {
  return evaluateInBackground(e, (bg) => (bg as unknown as { dynamicWriteHeld?: boolean }).dynamicWriteHeld === true);
}

/** Resolves once the last rule update's overlay is written to the dynamic rules (`rules.sessionOverlay` false). */
export async function untilWritten(page: Page): Promise<void> {
  await until(
    'the overlay written to the dynamic rules',
    async () => !((await page.evaluate(() => chrome.runtime.sendMessage({ type: 'status' }))) as { rules: { sessionOverlay: boolean } }).rules.sessionOverlay,
    { timeoutMs: 60_000 },
  );
}
