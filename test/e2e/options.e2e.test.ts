// The options page in a real browser (ORDINANZA_BROWSER: Chromium or Firefox ESR), opened as the
// extension page it is: each toggle changes the DNR rules with no network request, the search
// explains a host, the update settings are validated, and the page works from the keyboard.
// Screenshots in English and Italian (Firefox ones end in -firefox; Firefox shows Italian only with
// its Italian language pack, Debian's firefox-esr-l10n-it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFeed, type Feed } from '../../src/core/feed.ts';
import { BROWSER_OWN, CHROME_DIST, currentBrowser, launchExtension, screenshot, startServer, until, visit, type Extension, type TestServer } from './harness.ts';
import { inRules, openOptions, searchFor } from './options-support.ts';

const B = currentBrowser();
/** Screenshot names: Chromium's as they were, other browsers' with the browser's name. */
const SHOT = B === 'chromium' ? '' : `-${B}`;

const parsed = parseFeed(readFileSync(join(CHROME_DIST, 'feeds/IT.json')));
if (!parsed.ok) throw new Error(parsed.errors.join('; '));
const feed: Feed = parsed.feed;

/** A host listed only under `orderId`, from the middle of its group. */
function sample(orderId: string): string {
  const group = feed.entries.find((g) => g.listings.length === 1 && g.listings[0]?.order === orderId);
  const host = group?.hosts[Math.floor(group.hosts.length / 2)];
  if (!host) throw new Error(`no hosts for ${orderId}`);
  return host;
}

const GAMBLING = sample('adm-giochi');
const TOBACCO = sample('adm-tabacchi');
const AGCOM = sample('agcom-copyright');
const KAT = 'kickasstorrents.to';

let server: TestServer;
let ext: Extension;
let options: Page;
let site: Page;

/** Rule domains currently installed (redirect and block rules), read where the extension APIs are. */
async function blockedDomains(): Promise<Set<string>> {
  const domains = await ext.evaluateInExtension(async () => {
    // The session rules too: an update's overlay is there until the background writes it to the dynamic rules.
    const rules = [...(await chrome.declarativeNetRequest.getDynamicRules()), ...(await chrome.declarativeNetRequest.getSessionRules())];
    return rules.filter((r) => r.action.type !== 'allow').flatMap((r) => r.condition.requestDomains ?? []);
  });
  return new Set(domains);
}

/**
 * Clicks a control and waits until `host` is (or no longer is) in the installed rules, as read where
 * the extension APIs are, with a generous deadline: what is checked is that they follow, not how fast.
 */
async function clickAndWait(selector: string, host: string, wantBlocked: boolean): Promise<void> {
  await options.bringToFront();
  await options.click(selector);
  await until(`${host} ${wantBlocked ? 'in' : 'out of'} the rules after a click on ${selector}`, async () => (await inRules(ext, host)) === wantBlocked, {
    timeoutMs: 30_000,
    intervalMs: 250,
  });
}

async function waitSaved(page: Page): Promise<string> {
  await page.waitForFunction(() => document.getElementById('saved')?.dataset['tone'] !== undefined && !/…$/.test(document.getElementById('saved')?.textContent ?? ''), {
    timeout: 10_000,
  });
  return page.$eval('#saved', (el) => el.textContent ?? '');
}

/** The requests the server saw since `mark`, minus the favicon a loaded page asks for and the browser's own. */
function requestsSince(mark: number): string[] {
  return server.requests.slice(mark).filter((r) => !r.endsWith(' /favicon.ico') && !BROWSER_OWN.test(r));
}

beforeAll(async () => {
  server = await startServer();
  ext = await launchExtension(B, { server });
  options = await openOptions(ext);
  site = await ext.browser.newPage();
});

afterAll(async () => {
  await ext?.close();
  await server?.close();
});

describe(`[${B}] jurisdiction and category toggles`, () => {
  it('show Italy on and the categories its feed uses, with counts', async () => {
    const state = await options.evaluate(() => ({
      italy: (document.getElementById('j-IT') as HTMLInputElement | null)?.checked,
      categories: [...document.querySelectorAll<HTMLInputElement>('fieldset[data-jurisdiction="IT"] fieldset.categories input[type=checkbox]')].map((i) => [i.id, i.checked, i.disabled]),
      labels: [...document.querySelectorAll('label')].filter((l) => l.querySelector('input') || l.htmlFor).length,
    }));
    expect(state.italy).toBe(true);
    const used = [...new Set(Object.values(feed.orders).map((o) => o.category))].sort();
    expect(state.categories).toEqual(used.map((c) => [`c-IT-${c}`, true, false]));
    const gamblingLabel = await options.$eval('#c-IT-gambling', (el) => (el.closest('label') as HTMLElement).innerText);
    const gamblingHosts = feed.entries.filter((g) => g.listings.some((l) => feed.orders[l.order]?.category === 'gambling')).reduce((n, g) => n + g.hosts.length, 0);
    expect(gamblingLabel).toContain(new Intl.NumberFormat('en').format(gamblingHosts));
  });

  it('Italy off: kickasstorrents.to loads; on: blocked again; no network request meanwhile', async () => {
    expect((await visit(site, `http://${KAT}/`)).outcome).toBe('blocked');
    const mark = server.requests.length;

    await clickAndWait('#j-IT', KAT, false);
    expect(await waitSaved(options)).toBe('Saved. The blocking rules are updated.');
    expect(await options.$eval('#j-IT', (el) => (el as HTMLInputElement).checked)).toBe(false);
    expect((await blockedDomains()).size).toBe(0);
    const loaded = await visit(site, `http://${KAT}/`);
    expect(loaded.outcome).toBe('loaded');

    // Listed, but not enforced here: the search says why.
    const off = await searchFor(options, KAT);
    expect(off.verdict).toBe('listed-not-enforced');
    expect(off.text).toContain('the lists of Italy are turned off in the settings');
    expect(off.orders.sort()).toEqual(['agcom-copyright', 'tribunale-milano-2022']);

    await clickAndWait('#j-IT', KAT, true);
    await waitSaved(options);
    expect((await visit(site, `http://${KAT}/`)).outcome).toBe('blocked');

    // Only the test's own navigation reached the server: no feed, no signature, nothing else.
    const seen = requestsSince(mark);
    expect(seen).toEqual([`${KAT} /`]);
    expect(server.requests.filter((r) => /\.(json|sig)\b/.test(r) && !BROWSER_OWN.test(r))).toEqual([]);
  });

  it('gambling off: a sampled ADM gambling host loads while AGCOM and ADM tobacco hosts stay blocked', async () => {
    const mark = server.requests.length;
    await clickAndWait('#c-IT-gambling', GAMBLING, false);
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
    expect(agcom.orders).toEqual(['agcom-copyright']);

    await clickAndWait('#c-IT-gambling', GAMBLING, true);
    await waitSaved(options);
    expect((await visit(site, `http://${GAMBLING}/`)).outcome).toBe('blocked');
    expect(requestsSince(mark)).toEqual([`${GAMBLING} /`]);
  });

  it('works from the keyboard: Space on a focused toggle saves it and focus stays there', async () => {
    await options.bringToFront();
    await options.focus('#c-IT-tobacco');
    await options.keyboard.press(' ');
    await waitSaved(options);
    expect(await options.evaluate(() => document.activeElement?.id)).toBe('c-IT-tobacco');
    expect((await blockedDomains()).has(TOBACCO)).toBe(false);
    await options.keyboard.press(' ');
    await options.waitForFunction(() => (document.getElementById('c-IT-tobacco') as HTMLInputElement).checked);
    await waitSaved(options);
    expect((await blockedDomains()).has(TOBACCO)).toBe(true);
    // Every control has a label; every category group has a legend.
    const unlabelled = await options.evaluate(() => [...document.querySelectorAll<HTMLInputElement>('input')].filter((i) => i.labels === null || i.labels.length === 0).map((i) => i.id));
    expect(unlabelled).toEqual([]);
    expect(await options.$$eval('fieldset', (fs) => fs.filter((f) => !f.querySelector(':scope > legend')?.textContent).length)).toBe(0);
  });
});

describe(`[${B}] subresource blocking`, () => {
  it('off: a listed host embedded in another page is fetched; on: it is not', async () => {
    server.handler = (req, res) => {
      // Chromium asks for `/`; Firefox asks its proxy for `http://embedder.example/`.
      if (req.headers.host?.startsWith('embedder.example') && new URL(req.url ?? '', 'http://embedder.example').pathname === '/') {
        res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' });
        res.end(`<!doctype html><title>Loaded embedder</title><h1>Loaded embedder</h1><img src="http://${AGCOM}/pixel.png?n=${Date.now()}">`);
        return true;
      }
      return false;
    };
    try {
      const fetchedPixel = (): boolean => server.requests.some((r) => r.startsWith(`${AGCOM} /pixel.png`));
      // A refused image is `complete` too (broken): once it is, the request was made or refused.
      const imageSettled = (): Promise<true> => until('the embedded image has loaded or failed', () => site.evaluate(() => document.images[0]?.complete === true));
      await visit(site, 'http://embedder.example/');
      await imageSettled();
      expect(fetchedPixel()).toBe(false);

      await options.bringToFront();
      await options.click('#block-subresources');
      expect(await waitSaved(options)).toBe('Saved. The blocking rules are updated.');
      await visit(site, 'http://embedder.example/');
      await imageSettled();
      expect(fetchedPixel()).toBe(true);
      // The page itself is still blocked.
      expect((await visit(site, `http://${AGCOM}/`)).outcome).toBe('blocked');

      await options.bringToFront();
      await options.click('#block-subresources');
      await waitSaved(options);
      const before = server.requests.filter((r) => r.startsWith(`${AGCOM} /pixel.png`)).length;
      await visit(site, 'http://embedder.example/');
      await imageSettled();
      expect(server.requests.filter((r) => r.startsWith(`${AGCOM} /pixel.png`)).length).toBe(before);
    } finally {
      server.handler = null;
    }
  });
});

describe(`[${B}] list updates`, () => {
  it('refuse a plain-http feed address and an interval out of range, with the reason next to the field', async () => {
    await options.bringToFront();
    const settingsBefore = await ext.evaluateInExtension(async () => (await chrome.storage.local.get('settings'))['settings'] as unknown);
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
    const settingsAfter = await ext.evaluateInExtension(async () => (await chrome.storage.local.get('settings'))['settings'] as unknown);
    expect(settingsAfter).toEqual(settingsBefore);
  });

  it('save a local feed address and interval: the extension syncs from it and says in plain words what went wrong', async () => {
    const feedUrl = `${server.origin}/IT.json`;
    // No feed is published there: the feed, its delta and its signature are all "not found".
    server.handler = (req, res) => {
      if (!/^\/IT[.\w-]*\.(json|sig)/.test(new URL(req.url ?? '', 'http://127.0.0.1').pathname)) return false;
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
      expect(status).toContain('The list already installed stays in use.');
      expect(await ext.evaluateInExtension(async () => (await chrome.alarms.get('ordinanza-sync'))?.periodInMinutes)).toBe(60);
      expect(await ext.evaluateInExtension(async () => ((await chrome.storage.local.get('settings'))['settings'] as { feedUrls: unknown }).feedUrls)).toEqual({
        IT: feedUrl,
      });

      // "Check for updates now" asks again.
      const before = server.requests.filter((r) => r === '127.0.0.1 /IT.json').length;
      await options.click('#sync-now');
      await options.waitForFunction(() => /error/.test(document.getElementById('saved')?.textContent ?? ''), { timeout: 15_000 });
      expect(server.requests.filter((r) => r === '127.0.0.1 /IT.json').length).toBe(before + 1);
      await screenshot(options, `options-sync-error-en${SHOT}`);

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

describe(`[${B}] the age of the data`, () => {
  it('says the list may be out of date past the threshold (12 months by default), and not after raising it', async () => {
    await options.bringToFront();
    const text = () => options.evaluate(() => document.body.innerText);
    expect(await text()).toContain('Newest data in the list for Italy: February 2, 2024');
    expect(await text()).toContain('This list may be out of date: its newest data is more than 12 months old.');
    expect(await options.$eval('#data-max-age', (el) => (el as HTMLInputElement).value)).toBe('12');
    const setMonths = async (n: string) => {
      await options.$eval('#data-max-age', (el) => ((el as HTMLInputElement).value = ''));
      await options.type('#data-max-age', n);
      await options.click('#save-sync');
      expect(await waitSaved(options)).toBe('Saved. The blocking rules are updated.');
    };
    await setMonths('120');
    await options.waitForFunction(() => !/This list may be out of date/.test(document.body.innerText));
    expect(await ext.evaluateInExtension(async () => ((await chrome.storage.local.get('settings'))['settings'] as { dataMaxAgeMonths: unknown }).dataMaxAgeMonths)).toBe(120);
    await setMonths('12');
    await options.waitForFunction(() => /This list may be out of date/.test(document.body.innerText));
  });
});

describe(`[${B}] what the lists contain`, () => {
  it('counts sites per authority and per category, as the feed has them', async () => {
    const rows = await options.$$eval('.stats-block[data-jurisdiction="IT"] table.counts tbody tr', (trs) =>
      trs.map((tr) => [tr.querySelector('th')?.textContent ?? '', tr.querySelector('td')?.textContent ?? '']),
    );
    const byCategory = new Map<string, number>();
    const byAuthority = new Map<string, number>();
    for (const g of feed.entries) {
      const orders = g.listings.map((l) => feed.orders[l.order]).filter((o) => o !== undefined);
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

describe(`[${B}] screenshots: the search on a blocked and an unlisted host`, () => {
  for (const lang of ['en', 'it'] as const) {
    it(`in ${lang === 'en' ? 'English' : 'Italian'}`, async () => {
      const e = lang === 'en' ? ext : await launchExtension(B, { server, lang });
      try {
        const page = lang === 'en' ? options : await openOptions(e);
        const blocked = await searchFor(page, `http://${KAT}/`);
        expect(blocked.verdict).toBe('blocked');
        expect(blocked.text).toContain(lang === 'en' ? 'Ordinanza applies these orders in this browser.' : 'Ordinanza applica questi ordini in questo browser.');
        if (lang === 'it') {
          const why = B === 'firefox' ? 'Firefox shows Italian only with its Italian language pack installed (Debian: firefox-esr-l10n-it)' : undefined;
          expect(await page.$eval('h1', (el) => el.textContent), why).toBe('Impostazioni di Ordinanza');
        }
        await screenshot(page, `options-blocked-${lang}${SHOT}`);
        const unlisted = await searchFor(page, 'example.org');
        expect(unlisted.verdict).toBe('not-listed');
        expect(unlisted.text).toContain(lang === 'en' ? 'is not on any list in use' : 'non è in nessuna delle liste in uso');
        await screenshot(page, `options-unlisted-${lang}${SHOT}`);
      } finally {
        if (e !== ext) await e.close();
      }
    });
  }
});
