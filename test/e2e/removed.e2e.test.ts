// A host that a newer edition of the same source no longer lists (issue 10): after a signed feed
// says so, the browser stops blocking it, and the search says when it was listed and when it went.
// The newer edition here is a test edition made by this file, not a real source.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFeed, serializeFeed, type Feed } from '../../src/core/feed.ts';
import type { Status } from '../../src/core/messages.ts';
import { encodeUtf8, generateKeyPair, serializeSignature, sign } from '../../src/core/signature.ts';
import { currentBrowser, distFor, launchExtension, openExtensionPage, startServer, visit, type Extension, type TestServer } from './harness.ts';

const B = currentBrowser();
const embedded: Feed = (() => {
  const r = parseFeed(readFileSync(join(distFor(B), 'feeds/IT.json')));
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.feed;
})();
const agcomOnly = embedded.entries.find((g) => g.listings.length === 1 && g.listings[0]?.order === 'agcom-copyright');
const GONE = agcomOnly?.hosts[10] ?? '';
const KEPT = agcomOnly?.hosts[11] ?? '';
const GONE_UNDATED = agcomOnly?.hosts[12] ?? '';
const NEWER = 'test-agcom-newer';
const NEWER_UNDATED = 'test-agcom-undated';

/** The embedded feed, with a newer (test) edition of AGCOM's list that no longer names GONE. */
function feedWithRemoval(): Feed {
  const entries = embedded.entries.map((g) => ({ ...g, hosts: g.hosts.filter((h) => h !== GONE && h !== GONE_UNDATED) }));
  entries.push({ listings: [{ order: 'agcom-copyright', edition: 'agcom-2023-09-25', removedIn: NEWER }], hosts: [GONE] });
  entries.push({ listings: [{ order: 'agcom-copyright', edition: 'agcom-2023-09-25', removedIn: NEWER_UNDATED }], hosts: [GONE_UNDATED] });
  const editions = {
    ...embedded.editions,
    [NEWER]: { title: 'Test copy of the AGCOM list', date: '2024-02-01', source: 'test edition made by removed.e2e.test.ts' },
    // A newer edition whose source gives no date: the card names it and keeps the known date.
    [NEWER_UNDATED]: { title: 'Undated test copy', source: 'test edition made by removed.e2e.test.ts' },
  };
  return { ...embedded, serial: embedded.serial + 1, editions: Object.fromEntries(Object.entries(editions).sort(([a], [b]) => (a < b ? -1 : 1))), entries };
}

let server: TestServer;
let ext: Extension;
let options: Page;

beforeAll(async () => {
  const key = await generateKeyPair();
  const body = encodeUtf8(serializeFeed(feedWithRemoval()));
  const sig = serializeSignature(await sign(body, key.privateKey));
  server = await startServer();
  server.handler = (req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'unknown'}`);
    if (url.hostname !== '127.0.0.1') return false;
    const file = url.pathname === '/IT.json' ? body : url.pathname === '/IT.json.sig' ? encodeUtf8(sig) : null;
    res.writeHead(file ? 200 : 404, { 'content-type': 'application/json' });
    res.end(file ?? '');
    return true;
  };
  ext = await launchExtension(B, { server });
  options = await openExtensionPage(ext, '/src/pages/options.html');
  const r = await options.evaluate((patch) => chrome.runtime.sendMessage({ type: 'setSettings', patch }), {
    feedUrls: { IT: `${server.origin}/IT.json` },
    trustedKeys: [key.publicKey],
  });
  expect(r).toEqual({ ok: true });
  const status = (await options.evaluate(() => chrome.runtime.sendMessage({ type: 'syncNow' }))) as Status;
  expect(status.feeds[0]?.sync?.lastError ?? null).toBeNull();
  expect(status.feeds[0]?.serial).toBe(embedded.serial + 1);
});

afterAll(async () => {
  await ext?.close();
  await server?.close();
});

/** Searches `host` on a fresh options page (Firefox does not reload extension pages through the test driver). */
async function searchFor(host: string): Promise<void> {
  await options.close();
  options = await openExtensionPage(ext, '/src/pages/options.html');
  await options.waitForSelector('#search-input');
  await options.type('#search-input', host);
  await options.keyboard.press('Enter');
  await options.waitForFunction(() => document.querySelector('#search-result [data-verdict]') !== null);
}

describe(`[${B}] a host removed by a newer edition of its source`, () => {
  it('is no longer blocked, while its neighbour still is', async () => {
    const page = await ext.browser.newPage();
    expect((await visit(page, `http://${KEPT}/`)).outcome).toBe('blocked');
    expect((await visit(page, `http://${GONE}/`)).outcome).toBe('loaded');
    expect((await visit(page, `http://${GONE_UNDATED}/`)).outcome).toBe('loaded');
    await page.close();
  });

  it('the search says it was listed, and when it disappeared', async () => {
    await searchFor(GONE);
    const r = await options.$eval('#search-result', (el) => ({
      verdict: el.querySelector<HTMLElement>('[data-verdict]')?.dataset['verdict'],
      text: (el as HTMLElement).innerText,
    }));
    expect(r.verdict).toBe('listed-not-enforced');
    expect(r.text).toContain('a newer edition of the source no longer lists it.');
    expect(r.text).toContain('Listed in “AGCOM blocks as compiled by an ISP operator (censura-it hosts/agcom)” as of about September 25, 2023; no longer in its edition of February 1, 2024');
  });

  it('removed by an edition with no date: the card names that edition and keeps the date it has, with no "?"', async () => {
    await searchFor(GONE_UNDATED);
    // The Status line: the value after its <dt>.
    const status = await options.$$eval('#search-result dt', (dts) => dts.map((dt) => [dt.textContent, (dt.nextElementSibling as HTMLElement | null)?.innerText ?? '']));
    const line = status.find(([label]) => label === 'Status')?.[1] ?? '';
    expect(line).toBe(
      'Listed in “AGCOM blocks as compiled by an ISP operator (censura-it hosts/agcom)” as of about September 25, 2023; no longer in its newer edition “Undated test copy”, which gives no date, so Ordinanza does not block it for this order.',
    );
  });
});
