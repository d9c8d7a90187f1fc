// The toolbar popup in real Chromium, opened the way a person opens it: `action.openPopup()` on the
// window whose active tab is the one to explain (no test-only override in the popup's code). It
// explains a blocked site (the block page's URL hash) with the same order cards as the block page,
// says when a listed site is not enforced and why, and has plain words for pages that are not
// websites. Screenshots in English and Italian, at the popup's real size: its top and its lists.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFeed, type Feed } from '../../src/core/feed.ts';
import { ARTIFACTS, CHROME_DIST, launchChromium, startServer, visit, type ExtBrowser, type TestServer } from './harness.ts';

const parsed = parseFeed(readFileSync(join(CHROME_DIST, 'feeds/IT.json')));
if (!parsed.ok) throw new Error(parsed.errors.join('; '));
const feed: Feed = parsed.feed;
const gamblingGroup = feed.entries.find((g) => g.orders.length === 1 && g.orders[0] === 'adm-giochi');
const GAMBLING = gamblingGroup?.hosts[Math.floor(gamblingGroup.hosts.length / 2)] ?? '';

let server: TestServer;
let ext: ExtBrowser;

interface PopupView {
  readonly page: Page;
  readonly state: string;
  readonly text: string;
  readonly orders: string[];
}

/**
 * Makes `tab` the active tab of its window, focuses that window and opens the action popup on it,
 * as a click on the toolbar button would. Returns the popup once it has rendered.
 */
async function openPopupOn(e: ExtBrowser, tab: Page): Promise<PopupView> {
  await tab.bringToFront();
  const url = tab.url();
  const w = await e.worker();
  await w.evaluate(async (u) => {
    const tabs = await chrome.tabs.query({});
    const t = tabs.find((x) => x.url === u || x.pendingUrl === u);
    if (!t?.id) throw new Error(`no tab with ${u} among ${tabs.map((x) => x.url).join(', ')}`);
    await chrome.tabs.update(t.id, { active: true });
    await chrome.windows.update(t.windowId, { focused: true });
    await chrome.action.openPopup({ windowId: t.windowId });
  }, url);
  const target = await e.browser.waitForTarget((t) => t.url() === `${e.origin}/src/pages/popup.html`, { timeout: 10_000 });
  const page = await target.asPage();
  await page.waitForFunction(() => document.body.dataset['state'] !== undefined, { timeout: 10_000 });
  const view = await page.evaluate(() => ({
    state: document.body.dataset['state'] ?? '',
    text: document.body.innerText,
    orders: [...document.querySelectorAll<HTMLElement>('#site article.order')].map((a) => a.dataset['order'] ?? ''),
  }));
  return { page, ...view };
}

async function closePopup(p: PopupView): Promise<void> {
  await p.page.close().catch(() => undefined);
}

/**
 * The popup as it appears (its top), and scrolled down to the lists, under test-artifacts/. A popup
 * surface is only as tall as its window, so a full-page capture would repeat the top.
 */
async function popupScreenshots(p: PopupView, name: string): Promise<void> {
  await p.page.screenshot({ path: join(ARTIFACTS, `${name}.png`) as `${string}.png` });
  await p.page.evaluate(() => document.getElementById('lists')?.scrollIntoView({ block: 'end' }));
  await p.page.screenshot({ path: join(ARTIFACTS, `${name}-lists.png`) as `${string}.png` });
}

beforeAll(async () => {
  server = await startServer();
  ext = await launchChromium({ server });
});

afterAll(async () => {
  await ext?.close();
  await server?.close();
});

describe('the popup explains the active tab', () => {
  it('a tab on the block page: the blocked URL from the hash, with the same order cards as the block page', async () => {
    const tab = await ext.browser.newPage();
    const v = await visit(tab, 'http://kickasstorrents.to/some/page');
    expect(v.outcome).toBe('blocked');
    const blockPageOrders = await tab.$$eval('article.order', (els) => els.map((a) => (a as HTMLElement).dataset['order'] ?? ''));
    const blockPageCard = await tab.$eval('article[data-order="tribunale-milano-2022"] dl', (el) => (el as HTMLElement).innerText);
    const p = await openPopupOn(ext, tab);
    expect(p.state).toBe('blocked');
    expect(p.orders).toEqual(blockPageOrders);
    expect(p.text).toContain('kickasstorrents.to is blocked in this browser because of the orders below.');
    expect(await p.page.$eval('#site article[data-order="tribunale-milano-2022"] dl', (el) => (el as HTMLElement).innerText)).toBe(blockPageCard);
    // The lists in use: jurisdiction, on, serial, age, and sync status in plain words.
    expect(p.text).toContain('Italy');
    expect(p.text).toContain(`List serial ${feed.serial}`);
    expect(p.text).toContain('Updates are off: the list built into Ordinanza is used.');
    const size = await p.page.evaluate(() => ({ w: innerWidth, scrollW: document.documentElement.scrollWidth }));
    expect(size.w).toBeLessThanOrEqual(800);
    expect(size.scrollW).toBeLessThanOrEqual(size.w);
    await closePopup(p);
    await tab.close();
  });

  it('a listed site that was loaded: blocked, explained from the tab URL', async () => {
    // A tab that shows a listed host itself (loaded before the rules applied) is explained too.
    const tab = await ext.browser.newPage();
    const w = await ext.worker();
    const rules = await w.evaluate(() => chrome.declarativeNetRequest.getDynamicRules());
    await w.evaluate((ids: number[]) => chrome.declarativeNetRequest.updateDynamicRules({ removeRuleIds: ids }), rules.map((r) => r.id));
    try {
      expect((await visit(tab, `http://${GAMBLING}/`)).outcome).toBe('loaded');
    } finally {
      await w.evaluate((r) => chrome.declarativeNetRequest.updateDynamicRules({ addRules: r }), rules);
    }
    const p = await openPopupOn(ext, tab);
    expect(p.state).toBe('blocked');
    expect(p.orders).toEqual(['adm-giochi']);
    await closePopup(p);
    await tab.close();
  });

  it('an unlisted site: not blocked', async () => {
    const tab = await ext.browser.newPage();
    expect((await visit(tab, 'http://example.org/')).outcome).toBe('loaded');
    const p = await openPopupOn(ext, tab);
    expect(p.state).toBe('not-listed');
    expect(p.text).toContain('example.org is not on any list in use, so it is not blocked.');
    expect(p.orders).toEqual([]);
    await closePopup(p);
    await tab.close();
  });

  it('a listed site whose category is off: says it is listed, not blocked here, and why', async () => {
    const options = await ext.browser.newPage();
    await options.goto(`${ext.origin}/src/pages/options.html`);
    await options.waitForFunction(() => document.body.dataset['state'] === 'ready');
    await options.click('#c-IT-gambling');
    await options.waitForFunction(() => (document.getElementById('saved')?.textContent ?? '').startsWith('Saved'));
    try {
      const tab = await ext.browser.newPage();
      expect((await visit(tab, `http://${GAMBLING}/`)).outcome).toBe('loaded');
      const p = await openPopupOn(ext, tab);
      expect(p.state).toBe('listed-not-enforced');
      expect(p.text).toContain('the category “Illegal gambling” is turned off for Italy in the settings.');
      expect(p.orders).toEqual(['adm-giochi']);
      await closePopup(p);
      await tab.close();
    } finally {
      await options.click('#c-IT-gambling');
      await options.waitForFunction(() => (document.getElementById('c-IT-gambling') as HTMLInputElement).checked);
      await options.close();
    }
  });

  const nonWeb: [string, string, string][] = [
    ['about:blank', 'new-tab', 'This is a new tab.'],
    ['chrome://version/', 'browser-page', 'This is a page of the browser itself.'],
    ['chrome://newtab/', 'new-tab', 'This is a new tab.'],
  ];
  for (const [url, state, text] of nonWeb) {
    it(`${url}: ${state}`, async () => {
      const tab = await ext.browser.newPage();
      await tab.goto(url).catch(() => undefined);
      const p = await openPopupOn(ext, tab);
      expect(p.state).toBe(state);
      expect(p.text).toContain(text);
      expect(p.text).toContain(`List serial ${feed.serial}`);
      await closePopup(p);
      await tab.close();
    });
  }

  it("the extension's own options page: an extension page", async () => {
    const tab = await ext.browser.newPage();
    await tab.goto(`${ext.origin}/src/pages/options.html`);
    const p = await openPopupOn(ext, tab);
    expect(p.state).toBe('extension-page');
    expect(p.text).toContain('This page belongs to a browser extension.');
    await closePopup(p);
    await tab.close();
  });

  it('the Settings button opens the options page', async () => {
    const tab = await ext.browser.newPage();
    await visit(tab, 'http://example.org/');
    const p = await openPopupOn(ext, tab);
    const opened = ext.browser.waitForTarget((t) => t.url() === `${ext.origin}/src/pages/options.html`, { timeout: 10_000 });
    await p.page.focus('#open-options');
    // The popup closes itself once the options page opens, possibly before the key event returns.
    await p.page.keyboard.press('Enter').catch(() => undefined);
    const target = await opened;
    const options = await target.asPage();
    await options.waitForFunction(() => document.body.dataset['state'] === 'ready');
    await options.close();
    await closePopup(p);
    await tab.close();
  });
});

describe('screenshots: a blocked and an unlisted host', () => {
  for (const lang of ['en', 'it'] as const) {
    it(`in ${lang === 'en' ? 'English' : 'Italian'}`, async () => {
      const e = lang === 'en' ? ext : await launchChromium({ server, lang });
      try {
        const tab = await e.browser.newPage();
        expect((await visit(tab, 'http://kickasstorrents.to/')).outcome).toBe('blocked');
        const blocked = await openPopupOn(e, tab);
        expect(blocked.state).toBe('blocked');
        expect(blocked.text).toContain(lang === 'en' ? 'Blocked' : 'Bloccato');
        if (lang === 'it') expect(blocked.text).toContain('Impostazioni');
        await popupScreenshots(blocked, `popup-blocked-${lang}`);
        await closePopup(blocked);
        expect((await visit(tab, 'http://example.org/')).outcome).toBe('loaded');
        const unlisted = await openPopupOn(e, tab);
        expect(unlisted.state).toBe('not-listed');
        expect(unlisted.text).toContain(lang === 'en' ? 'Not blocked' : 'Non bloccato');
        await popupScreenshots(unlisted, `popup-unlisted-${lang}`);
        await closePopup(unlisted);
      } finally {
        if (e !== ext) await e.close();
      }
    });
  }
});
