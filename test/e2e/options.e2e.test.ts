// The options page in real Chromium, opened as the extension page it is: each toggle changes the
// DNR rules within a second with no network request, the search explains a host, the update
// settings are validated, and the page works from the keyboard. Screenshots in English and Italian.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFeed, type Feed } from '../../src/core/feed.ts';
import { CHROME_DIST, launchChromium, screenshot, startServer, visit, type ExtBrowser, type TestServer } from './harness.ts';

const parsed = parseFeed(readFileSync(join(CHROME_DIST, 'feeds/IT.json')));
if (!parsed.ok) throw new Error(parsed.errors.join('; '));
const feed: Feed = parsed.feed;

/** A host listed only under `orderId`, from the middle of its group. */
function sample(orderId: string): string {
  const group = feed.entries.find((g) => g.orders.length === 1 && g.orders[0] === orderId);
  const host = group?.hosts[Math.floor(group.hosts.length / 2)];
  if (!host) throw new Error(`no hosts for ${orderId}`);
  return host;
}

const GAMBLING = sample('adm-giochi');
const TOBACCO = sample('adm-tabacchi');
const AGCOM = sample('agcom-680-13');
const KAT = 'kickasstorrents.to';

let server: TestServer;
let ext: ExtBrowser;
let options: Page;
let site: Page;

async function openOptions(e: ExtBrowser): Promise<Page> {
  const page = await e.browser.newPage();
  await page.setViewport({ width: 1000, height: 900 });
  await page.goto(`${e.origin}/src/pages/options.html`, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => document.body.dataset['state'] === 'ready', { timeout: 15_000 });
  return page;
}

/** Rule domains currently installed (redirect and block rules), from the service worker. */
async function blockedDomains(): Promise<Set<string>> {
  const w = await ext.worker();
  const domains = await w.evaluate(async () => {
    const rules = await chrome.declarativeNetRequest.getDynamicRules();
    return rules.filter((r) => r.action.type !== 'allow').flatMap((r) => r.condition.requestDomains ?? []);
  });
  return new Set(domains);
}

/**
 * Clicks a control and returns how long until `host` is (or is no longer) in the installed rules.
 * The check runs inside the worker, so each poll moves one boolean, not thousands of rule domains.
 */
async function clickAndTime(selector: string, host: string, wantBlocked: boolean): Promise<number> {
  const w = await ext.worker();
  await options.bringToFront();
  const started = Date.now();
  await options.click(selector);
  for (;;) {
    const blocked = await w.evaluate(
      async (h) => (await chrome.declarativeNetRequest.getDynamicRules()).some((r) => r.action.type !== 'allow' && (r.condition.requestDomains ?? []).includes(h)),
      host,
    );
    if (blocked === wantBlocked) return Date.now() - started;
    if (Date.now() - started > 10_000) throw new Error(`rules did not change after clicking ${selector}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function waitSaved(page: Page): Promise<string> {
  await page.waitForFunction(() => document.getElementById('saved')?.dataset['tone'] !== undefined && !/…$/.test(document.getElementById('saved')?.textContent ?? ''), {
    timeout: 10_000,
  });
  return page.$eval('#saved', (el) => el.textContent ?? '');
}

async function searchFor(page: Page, input: string): Promise<{ verdict: string; text: string; orders: string[] }> {
  await page.bringToFront();
  await page.$eval('#search-input', (el) => ((el as HTMLInputElement).value = ''));
  await page.type('#search-input', input);
  await page.keyboard.press('Enter');
  await page.waitForFunction((i) => document.querySelector('#search-result [data-verdict]') !== null && (document.getElementById('search-input') as HTMLInputElement).value === i, {}, input);
  return page.$eval('#search-result', (el) => ({
    verdict: el.querySelector<HTMLElement>('[data-verdict]')?.dataset['verdict'] ?? '',
    text: (el as HTMLElement).innerText,
    orders: [...el.querySelectorAll<HTMLElement>('article.order')].map((a) => a.dataset['order'] ?? ''),
  }));
}

/** The requests the server saw since `mark`, minus the favicon a loaded page asks for. */
function requestsSince(mark: number): string[] {
  return server.requests.slice(mark).filter((r) => !r.endsWith(' /favicon.ico'));
}

beforeAll(async () => {
  server = await startServer();
  ext = await launchChromium({ server });
  options = await openOptions(ext);
  site = await ext.browser.newPage();
});

afterAll(async () => {
  await ext?.close();
  await server?.close();
});

describe('jurisdiction and category toggles', () => {
  it('show Italy on and the categories its feed uses, with counts', async () => {
    const state = await options.evaluate(() => ({
      italy: (document.getElementById('j-IT') as HTMLInputElement | null)?.checked,
      categories: [...document.querySelectorAll<HTMLInputElement>('fieldset.categories input[type=checkbox]')].map((i) => [i.id, i.checked, i.disabled]),
      labels: [...document.querySelectorAll('label')].filter((l) => l.querySelector('input') || l.htmlFor).length,
    }));
    expect(state.italy).toBe(true);
    const used = [...new Set(Object.values(feed.orders).map((o) => o.category))].sort();
    expect(state.categories).toEqual(used.map((c) => [`c-IT-${c}`, true, false]));
    const gamblingLabel = await options.$eval('#c-IT-gambling', (el) => (el.closest('label') as HTMLElement).innerText);
    const gamblingHosts = feed.entries.filter((g) => g.orders.some((o) => feed.orders[o]?.category === 'gambling')).reduce((n, g) => n + g.hosts.length, 0);
    expect(gamblingLabel).toContain(new Intl.NumberFormat('en').format(gamblingHosts));
  });

  it('Italy off: kickasstorrents.to loads; on: blocked again; no network request meanwhile', async () => {
    expect((await visit(site, `http://${KAT}/`)).outcome).toBe('blocked');
    const mark = server.requests.length;

    const offMs = await clickAndTime('#j-IT', KAT, false);
    expect(offMs).toBeLessThan(1000);
    expect(await waitSaved(options)).toBe('Saved. The blocking rules are updated.');
    expect(await options.$eval('#j-IT', (el) => (el as HTMLInputElement).checked)).toBe(false);
    expect((await blockedDomains()).size).toBe(0);
    const loaded = await visit(site, `http://${KAT}/`);
    expect(loaded.outcome).toBe('loaded');

    // Listed, but not enforced here: the search says why.
    const off = await searchFor(options, KAT);
    expect(off.verdict).toBe('listed-not-enforced');
    expect(off.text).toContain('the orders of Italy are turned off in the settings');
    expect(off.orders.sort()).toEqual(['agcom-680-13', 'tribunale-milano-2022']);

    const onMs = await clickAndTime('#j-IT', KAT, true);
    expect(onMs).toBeLessThan(1000);
    await waitSaved(options);
    expect((await visit(site, `http://${KAT}/`)).outcome).toBe('blocked');

    // Only the test's own navigation reached the server: no feed, no signature, nothing else.
    const seen = requestsSince(mark);
    expect(seen).toEqual([`${KAT} /`]);
    expect(server.requests.filter((r) => /\.(json|sig)\b/.test(r))).toEqual([]);
    console.log(`Italy off applied in ${offMs} ms, on in ${onMs} ms`);
  });

  it('gambling off: a sampled ADM gambling host loads while AGCOM and ADM tobacco hosts stay blocked', async () => {
    const mark = server.requests.length;
    const ms = await clickAndTime('#c-IT-gambling', GAMBLING, false);
    expect(ms).toBeLessThan(1000);
    console.log(`gambling off applied in ${ms} ms`);
    await waitSaved(options);
    const domains = await blockedDomains();
    expect(domains.has(AGCOM)).toBe(true);
    expect(domains.has(TOBACCO)).toBe(true);
    expect(domains.has(KAT)).toBe(true);

    expect((await visit(site, `http://${GAMBLING}/`)).outcome).toBe('loaded');
    expect((await visit(site, `http://${AGCOM}/`)).outcome).toBe('blocked');
    expect((await visit(site, `http://${TOBACCO}/`)).outcome).toBe('blocked');
    expect((await visit(site, `http://${KAT}/`)).outcome).toBe('blocked');

    const why = await searchFor(options, `https://${GAMBLING}/some/page`);
    expect(why.verdict).toBe('listed-not-enforced');
    expect(why.text).toContain('the category “Illegal gambling” is turned off for Italy in the settings');
    expect(why.orders).toEqual(['adm-giochi']);
    const agcom = await searchFor(options, AGCOM);
    expect(agcom.verdict).toBe('blocked');
    expect(agcom.orders).toEqual(['agcom-680-13']);

    await clickAndTime('#c-IT-gambling', GAMBLING, true);
    await waitSaved(options);
    expect((await visit(site, `http://${GAMBLING}/`)).outcome).toBe('blocked');
    expect(requestsSince(mark)).toEqual([`${GAMBLING} /`]);
  });

  it('works from the keyboard: Space on a focused toggle saves it and focus stays there', async () => {
    await options.bringToFront();
    await options.focus('#c-IT-tobacco');
    await options.keyboard.press('Space');
    await waitSaved(options);
    expect(await options.evaluate(() => document.activeElement?.id)).toBe('c-IT-tobacco');
    expect((await blockedDomains()).has(TOBACCO)).toBe(false);
    await options.keyboard.press('Space');
    await options.waitForFunction(() => (document.getElementById('c-IT-tobacco') as HTMLInputElement).checked);
    await waitSaved(options);
    expect((await blockedDomains()).has(TOBACCO)).toBe(true);
    // Every control has a label; every category group has a legend.
    const unlabelled = await options.evaluate(() =>
      [...document.querySelectorAll<HTMLInputElement>('input')].filter((i) => i.labels === null || i.labels.length === 0).map((i) => i.id),
    );
    expect(unlabelled).toEqual([]);
    expect(await options.$$eval('fieldset', (fs) => fs.filter((f) => !f.querySelector(':scope > legend')?.textContent).length)).toBe(0);
  });
});

describe('subresource blocking', () => {
  it('off: a listed host embedded in another page is fetched; on: it is not', async () => {
    server.handler = (req, res) => {
      if (req.headers.host?.startsWith('embedder.example') && req.url === '/') {
        res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' });
        res.end(`<!doctype html><title>Loaded embedder</title><h1>Loaded embedder</h1><img src="http://${AGCOM}/pixel.png?n=${Date.now()}">`);
        return true;
      }
      return false;
    };
    try {
      const fetchedPixel = (): boolean => server.requests.some((r) => r.startsWith(`${AGCOM} /pixel.png`));
      await visit(site, 'http://embedder.example/');
      await new Promise((r) => setTimeout(r, 300));
      expect(fetchedPixel()).toBe(false);

      await options.bringToFront();
      await options.click('#block-subresources');
      expect(await waitSaved(options)).toBe('Saved. The blocking rules are updated.');
      await visit(site, 'http://embedder.example/');
      await site.waitForFunction(() => document.images[0]?.complete === true);
      expect(fetchedPixel()).toBe(true);
      // The page itself is still blocked.
      expect((await visit(site, `http://${AGCOM}/`)).outcome).toBe('blocked');

      await options.bringToFront();
      await options.click('#block-subresources');
      await waitSaved(options);
      const before = server.requests.filter((r) => r.startsWith(`${AGCOM} /pixel.png`)).length;
      await visit(site, 'http://embedder.example/');
      await new Promise((r) => setTimeout(r, 300));
      expect(server.requests.filter((r) => r.startsWith(`${AGCOM} /pixel.png`)).length).toBe(before);
    } finally {
      server.handler = null;
    }
  });
});

describe('list updates', () => {
  it('refuse a plain-http feed address and an interval out of range, with the reason next to the field', async () => {
    await options.bringToFront();
    const settingsBefore = await ext.worker().then((w) => w.evaluate(async () => (await chrome.storage.local.get('settings'))['settings'] as unknown));
    await options.type('#feed-IT', 'http://lists.example.org/IT.json');
    await options.$eval('#sync-interval', (el) => ((el as HTMLInputElement).value = ''));
    await options.type('#sync-interval', '3');
    await options.click('#save-sync');
    await options.waitForFunction(() => !(document.getElementById('feed-IT-error') as HTMLElement).hidden);
    const errors = await options.evaluate(() => ({
      feed: document.getElementById('feed-IT-error')?.textContent,
      feedInvalid: document.getElementById('feed-IT')?.getAttribute('aria-invalid'),
      interval: document.getElementById('sync-interval-error')?.textContent,
      focused: document.activeElement?.id,
      toast: document.getElementById('saved')?.textContent,
    }));
    expect(errors).toEqual({
      feed: 'The address must start with https:// (plain http:// only for this computer: localhost or 127.0.0.1).',
      feedInvalid: 'true',
      interval: 'Enter a whole number from 5 to 1440.',
      focused: 'feed-IT',
      toast: 'Not saved: correct the marked fields.',
    });
    const settingsAfter = await ext.worker().then((w) => w.evaluate(async () => (await chrome.storage.local.get('settings'))['settings'] as unknown));
    expect(settingsAfter).toEqual(settingsBefore);
  });

  it('save a local feed address and interval: the extension syncs from it and says in plain words what went wrong', async () => {
    const feedUrl = `${server.origin}/IT.json`;
    // No feed is published there: the feed, its delta and its signature are all "not found".
    server.handler = (req, res) => {
      if (!/^\/IT[.\w-]*\.(json|sig)/.test(req.url ?? '')) return false;
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return true;
    };
    try {
      await options.bringToFront();
      await options.$eval('#feed-IT', (el) => ((el as HTMLInputElement).value = ''));
      await options.type('#feed-IT', feedUrl);
      await options.$eval('#sync-interval', (el) => ((el as HTMLInputElement).value = ''));
      await options.type('#sync-interval', '60');
      await options.click('#save-sync');
      expect(await waitSaved(options)).toBe('Saved. The blocking rules are updated.');
      // A new feed address starts a sync at once; the test server has no feed there (404).
      await options.waitForFunction(() => /did not provide the list/.test(document.getElementById('sync-status')?.textContent ?? ''), { timeout: 15_000 });
      expect(server.requests.some((r) => r === '127.0.0.1 /IT.json')).toBe(true);
      const status = await options.$eval('#sync-status', (el) => (el as HTMLElement).innerText);
      expect(status).toContain('the server did not provide the list');
      expect(status).toContain('The list already installed stays in force.');
      const w = await ext.worker();
      expect(await w.evaluate(async () => (await chrome.alarms.get('ordinanza-sync'))?.periodInMinutes)).toBe(60);
      expect(await w.evaluate(async () => ((await chrome.storage.local.get('settings'))['settings'] as { feedUrls: unknown }).feedUrls)).toEqual({ IT: feedUrl });

      // "Check for updates now" asks again.
      const before = server.requests.filter((r) => r === '127.0.0.1 /IT.json').length;
      await options.click('#sync-now');
      await options.waitForFunction(() => /error/.test(document.getElementById('saved')?.textContent ?? ''), { timeout: 15_000 });
      expect(server.requests.filter((r) => r === '127.0.0.1 /IT.json').length).toBe(before + 1);
      await screenshot(options, 'options-sync-error-en');

      // Clearing the address turns updates off again.
      await options.$eval('#feed-IT', (el) => ((el as HTMLInputElement).value = ''));
      await options.click('#save-sync');
      await waitSaved(options);
      await options.waitForFunction(() => /Updates are off/.test(document.getElementById('sync-status')?.textContent ?? ''));
    } finally {
      server.handler = null;
    }
  });
});

describe('what the lists contain', () => {
  it('counts sites per authority and per category, as the feed has them', async () => {
    const rows = await options.$$eval('table.counts tbody tr', (trs) => trs.map((tr) => [tr.querySelector('th')?.textContent ?? '', tr.querySelector('td')?.textContent ?? '']));
    const byCategory = new Map<string, number>();
    const byAuthority = new Map<string, number>();
    for (const g of feed.entries) {
      const orders = g.orders.map((o) => feed.orders[o]).filter((o) => o !== undefined);
      for (const c of new Set(orders.map((o) => o.category))) byCategory.set(c, (byCategory.get(c) ?? 0) + g.hosts.length);
      for (const a of new Set(orders.map((o) => o.authority))) byAuthority.set(a, (byAuthority.get(a) ?? 0) + g.hosts.length);
    }
    const fmt = (n: number): string => new Intl.NumberFormat('en').format(n);
    expect(rows).toContainEqual(['Illegal gambling', fmt(byCategory.get('gambling') ?? -1)]);
    expect(rows).toContainEqual(['Copyright', fmt(byCategory.get('copyright') ?? -1)]);
    expect(rows).toContainEqual(['Agenzia delle Dogane e dei Monopoli (ADM)', fmt(byAuthority.get('adm') ?? -1)]);
    expect(rows).toContainEqual(['Tribunale di Milano', fmt(byAuthority.get('tribunale-milano') ?? -1)]);
    expect(rows).toHaveLength(byCategory.size + byAuthority.size);
  });
});

describe('screenshots: the search on a blocked and an unlisted host', () => {
  for (const lang of ['en', 'it'] as const) {
    it(`in ${lang === 'en' ? 'English' : 'Italian'}`, async () => {
      const e = lang === 'en' ? ext : await launchChromium({ server, lang });
      try {
        const page = lang === 'en' ? options : await openOptions(e);
        const blocked = await searchFor(page, `http://${KAT}/`);
        expect(blocked.verdict).toBe('blocked');
        expect(blocked.text).toContain(lang === 'en' ? 'is blocked in this browser' : 'è bloccato in questo browser');
        if (lang === 'it') expect(await page.$eval('h1', (el) => el.textContent)).toBe('Impostazioni di Ordinanza');
        await screenshot(page, `options-blocked-${lang}`);
        const unlisted = await searchFor(page, 'example.org');
        expect(unlisted.verdict).toBe('not-listed');
        expect(unlisted.text).toContain(lang === 'en' ? 'is not on any list in use' : 'non è in nessuna delle liste in uso');
        await screenshot(page, `options-unlisted-${lang}`);
      } finally {
        if (e !== ext) await e.close();
      }
    });
  }
});
