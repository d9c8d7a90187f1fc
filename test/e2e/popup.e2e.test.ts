// The toolbar popup in a real browser (ORDINANZA_BROWSER: Chromium or Firefox ESR), opened the way a
// person opens it: `action.openPopup()` on the window whose active tab is the one to explain (no
// test-only override in the popup's code). It explains a blocked site (the block page's URL hash) with
// the same order cards as the block page, says when a listed site is not enforced and why, and has
// plain words for pages that are not websites. Screenshots in English and Italian, at the popup's real
// size: its top and its lists.
//
// Firefox ESR 153 opens the real popup too: `action.openPopup()` from an extension page works there
// without a user gesture (`extensions.openPopupWithoutUserGesture.enabled` is true by default), and the
// popup reads the active tab of its window as it does for a click. Two things differ, because the
// popup panel is part of Firefox's own window, not a browsing context that WebDriver BiDi can reach:
// the test reads and drives the popup's document from another extension page
// (`extension.getViews({ type: 'popup' })`), so the Settings button is activated with `click()` rather
// than a key press; and the screenshots show the real popup's rendered document (its body, copied
// once rendered) in a tab of the popup's own size, which BiDi can capture.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFeed, type Feed } from '../../src/core/feed.ts';
import { ARTIFACTS, CHROME_DIST, currentBrowser, launchExtension, openExtensionPage, startServer, until, visit, type Extension, type TestServer } from './harness.ts';

const B = currentBrowser();
/** Screenshot names: Chromium's as they were, other browsers' with the browser's name. */
const SHOT = B === 'chromium' ? '' : `-${B}`;

const parsed = parseFeed(readFileSync(join(CHROME_DIST, 'feeds/IT.json')));
if (!parsed.ok) throw new Error(parsed.errors.join('; '));
const feed: Feed = parsed.feed;
const gamblingGroup = feed.entries.find((g) => g.listings.length === 1 && g.listings[0]?.order === 'adm-giochi');
const GAMBLING = gamblingGroup?.hosts[Math.floor(gamblingGroup.hosts.length / 2)] ?? '';

let server: TestServer;
let ext: Extension;

interface PopupView {
  readonly state: string;
  readonly text: string;
  readonly orders: string[];
  /** Runs `fn(document, …args)` in the open popup; `fn` is serialised (no closures). */
  run<A extends unknown[], R>(fn: (doc: Document, ...args: A) => R, ...args: A): Promise<R>;
  /** The popup's page (Chromium); null in Firefox, where the panel is not a BiDi browsing context. */
  readonly page: Page | null;
  /** Closes the popup (if still open) and waits until it is gone. */
  close(): Promise<void>;
}

/** Run in an extension page (Firefox): no popup of the extension is open. Serialised: no closures. */
function popupClosed(): boolean {
  return (globalThis as unknown as { browser: { extension: { getViews(o: { type: string }): Window[] } } }).browser.extension.getViews({ type: 'popup' }).length === 0;
}

/**
 * The URL of the document a tab shows. Not `page.url()`: Firefox's BiDi does not report navigations to
 * extension pages, and in Chromium a `goto('chrome://newtab/')` fails (ERR_ABORTED) while the tab goes
 * on to chrome://new-tab-page-third-party/, which `page.url()` misses too.
 */
async function tabUrl(tab: Page): Promise<string> {
  return tab.evaluate(() => location.href).catch(() => tab.url());
}

/** Waits until `test` holds in the extension (the worker in Chromium, an extension page in Firefox). */
async function untilInExtension<A extends unknown[]>(e: Extension, what: string, test: (...args: A) => boolean | Promise<boolean>, ...args: A): Promise<void> {
  await until(what, () => e.evaluateInExtension(test, ...args));
}

/**
 * Makes the newest tab showing `target` the active tab of its window, focuses that window and opens
 * the action popup on it, as a click on the toolbar button would. Returns the popup once it has
 * rendered.
 */
async function openPopupOn(e: Extension, target: Page | string): Promise<PopupView> {
  if (typeof target !== 'string') await target.bringToFront();
  const url = typeof target === 'string' ? target : await tabUrl(target);
  await e.evaluateInExtension(async (u) => {
    const tabs = (await chrome.tabs.query({})).filter((x) => x.url === u || x.pendingUrl === u);
    const t = tabs[tabs.length - 1];
    if (!t?.id) throw new Error(`no tab with ${u} among ${(await chrome.tabs.query({})).map((x) => x.url).join(', ')}`);
    await chrome.tabs.update(t.id, { active: true });
    await chrome.windows.update(t.windowId, { focused: true });
    await chrome.action.openPopup({ windowId: t.windowId });
  }, url);
  let page: Page | null = null;
  let run: PopupView['run'];
  if (e.name === 'chromium') {
    const t = await e.browser.waitForTarget((x) => x.url() === `${e.origin}/src/pages/popup.html`, { timeout: 10_000 });
    const popup = await t.asPage();
    page = popup;
    run = async <A extends unknown[], R>(fn: (doc: Document, ...args: A) => R, ...args: A): Promise<R> => {
      // Built here so `document` is passed where `fn` runs; the text goes to the page like any function.
      const call = new Function('...args', `return (${fn.toString()})(document, ...args);`) as (...a: unknown[]) => unknown;
      return (await popup.evaluate(call, ...args)) as R;
    };
  } else {
    run = async <A extends unknown[], R>(fn: (doc: Document, ...args: A) => R, ...args: A): Promise<R> => {
      const call = new Function(
        '...args',
        `const [view] = browser.extension.getViews({ type: 'popup' });
        if (!view) throw new Error('no popup is open');
        return (${fn.toString()})(view.document, ...args);`,
      ) as (...a: unknown[]) => unknown;
      return (await e.evaluateInExtension(call, ...args)) as R;
    };
    await untilInExtension(e, 'the popup', () =>
      (globalThis as unknown as { browser: { extension: { getViews(o: { type: string }): Window[] } } }).browser.extension
        .getViews({ type: 'popup' })
        .some((w) => w.document.body?.dataset['state'] !== undefined),
    );
  }
  await until('the popup has rendered', () => run((doc) => doc.body.dataset['state'] !== undefined), { intervalMs: 50 });
  const view = await run((doc) => ({
    state: doc.body.dataset['state'] ?? '',
    text: doc.body.innerText,
    orders: [...doc.querySelectorAll<HTMLElement>('#site article.order')].map((a) => a.dataset['order'] ?? ''),
  }));
  const close = async (): Promise<void> => {
    if (page) {
      await page.close().catch(() => undefined);
      return;
    }
    // Firefox: the popup closes itself (window.close()), as its Settings button does.
    await e.evaluateInExtension(() => {
      for (const w of (globalThis as unknown as { browser: { extension: { getViews(o: { type: string }): Window[] } } }).browser.extension.getViews({
        type: 'popup',
      }))
        w.close();
    });
    await untilInExtension(e, 'the popup to close', popupClosed);
  };
  return { ...view, run, page, close };
}

async function closePopup(p: PopupView): Promise<void> {
  await p.close();
}

/**
 * The popup as it appears (its top), and scrolled down to the lists, under test-artifacts/. A popup
 * surface is only as tall as its window, so a full-page capture would repeat the top. Firefox: BiDi
 * cannot capture the popup panel, so the popup's rendered body is shown in a tab of the popup's size
 * (popup.html itself, same stylesheet) and captured there.
 */
async function popupScreenshots(e: Extension, p: PopupView, name: string): Promise<void> {
  // A fresh clone has no test-artifacts/ until something writes there: this test may be the first.
  mkdirSync(ARTIFACTS, { recursive: true });
  const top = join(ARTIFACTS, `${name}${SHOT}.png`) as `${string}.png`;
  const lists = join(ARTIFACTS, `${name}${SHOT}-lists.png`) as `${string}.png`;
  if (p.page) {
    await p.page.screenshot({ path: top });
    await p.page.evaluate(() => document.getElementById('lists')?.scrollIntoView({ block: 'end' }));
    await p.page.screenshot({ path: lists });
    return;
  }
  const rendered = await p.run((doc) => ({
    body: doc.body.outerHTML,
    lang: doc.documentElement.lang,
    width: doc.defaultView?.innerWidth ?? 0,
    height: doc.defaultView?.innerHeight ?? 0,
  }));
  await p.close();
  const tab = await openExtensionPage(e, '/src/pages/popup.html');
  try {
    await tab.setViewport({ width: rendered.width, height: rendered.height });
    // The tab's own popup script renders first (about itself); the real popup's body then replaces it.
    await tab.waitForFunction(() => document.body.dataset['state'] !== undefined, { timeout: 10_000, polling: 50 });
    await tab.evaluate((r) => {
      document.documentElement.lang = r.lang;
      document.body.outerHTML = r.body;
    }, rendered);
    await tab.screenshot({ path: top });
    await tab.evaluate(() => document.getElementById('lists')?.scrollIntoView({ block: 'end' }));
    await tab.screenshot({ path: lists });
  } finally {
    await tab.close();
  }
}

beforeAll(async () => {
  server = await startServer();
  ext = await launchExtension(B, { server });
});

afterAll(async () => {
  await ext?.close();
  await server?.close();
});

describe(`[${B}] the popup explains the active tab`, () => {
  it('a tab on the block page: the blocked URL from the hash, with the same order cards as the block page', async () => {
    const tab = await ext.browser.newPage();
    const v = await visit(tab, 'http://kickasstorrents.to/some/page');
    expect(v.outcome).toBe('blocked');
    const blockPageOrders = await tab.$$eval('article.order', (els) => els.map((a) => (a as HTMLElement).dataset['order'] ?? ''));
    const blockPageCard = await tab.$eval('article[data-order="tribunale-milano-2022"] dl', (el) => (el as HTMLElement).innerText);
    const p = await openPopupOn(ext, tab);
    expect(p.state).toBe('blocked');
    expect(p.orders).toEqual(blockPageOrders);
    expect(p.text).toContain('Tribunale di Milano ordered Cloudflare to block kickasstorrents.to on its DNS resolver.');
    expect(p.text).toContain('Ordinanza applies these orders in this browser.');
    // As on the block page: the data naming this site (the AGCOM compilation), apart from the list's newest.
    expect(await p.run((doc) => doc.querySelector<HTMLElement>('#site .host-data-age')?.innerText)).toContain('The list for Italy names this site in data of about September 25, 2023');
    expect(await p.run((doc) => doc.querySelector<HTMLElement>('#site article[data-order="tribunale-milano-2022"] dl')?.innerText)).toBe(blockPageCard);
    // The lists in use: jurisdiction, on, the date and age of the data (not of the file), sync status.
    expect(p.text).toContain('Italy');
    expect(p.text).toContain('Newest data in the list for Italy: February 2, 2024');
    expect(p.text).toContain('This list may be out of date');
    expect(p.text).not.toContain(`List serial ${feed.serial}`);
    expect(p.text).toContain('Updates are off: the list built into Ordinanza is used.');
    const size = await p.run((doc) => ({ w: doc.defaultView?.innerWidth ?? Infinity, scrollW: doc.documentElement.scrollWidth }));
    expect(size.w).toBeLessThanOrEqual(800);
    expect(size.scrollW).toBeLessThanOrEqual(size.w);
    await closePopup(p);
    await tab.close();
  });

  it('a listed site that was loaded: blocked, explained from the tab URL', async () => {
    // A tab that shows a listed host itself (loaded before the rules applied) is explained too.
    const tab = await ext.browser.newPage();
    // The rules as the browser holds them (in Firefox with the trailing-dot forms), put back as they were.
    const rules = await ext.evaluateInExtension(() => chrome.declarativeNetRequest.getDynamicRules());
    await ext.evaluateInExtension(
      (ids: number[]) => chrome.declarativeNetRequest.updateDynamicRules({ removeRuleIds: ids }),
      rules.map((r) => r.id),
    );
    try {
      expect((await visit(tab, `http://${GAMBLING}/`)).outcome).toBe('loaded');
    } finally {
      await ext.evaluateInExtension((r: chrome.declarativeNetRequest.Rule[]) => chrome.declarativeNetRequest.updateDynamicRules({ addRules: r }), rules);
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
    const options = await openExtensionPage(ext, '/src/pages/options.html');
    await options.bringToFront();
    await options.waitForFunction(() => document.body.dataset['state'] === 'ready', { polling: 50 });
    await options.click('#c-IT-gambling');
    await options.waitForFunction(() => (document.getElementById('saved')?.textContent ?? '').startsWith('Saved'), { polling: 50 });
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
      await options.bringToFront();
      await options.click('#c-IT-gambling');
      await options.waitForFunction(() => (document.getElementById('c-IT-gambling') as HTMLInputElement).checked, { polling: 50 });
      await options.waitForFunction(() => (document.getElementById('saved')?.textContent ?? '').startsWith('Saved'), { polling: 50 });
      await options.close();
    }
  });

  // Pages that are not websites. Chromium: the test navigates there. Firefox: BiDi navigates to
  // about:blank only, and the tabs API opens neither about:newtab nor about: pages by URL, so the new tab
  // page is opened as a new tab without a URL, and the browser's own page is a view-source: tab.
  const nonWeb: Record<typeof B, [string, string, string][]> = {
    chromium: [
      ['about:blank', 'new-tab', 'This is a new tab.'],
      ['chrome://version/', 'browser-page', 'This is a page of the browser itself.'],
      ['chrome://newtab/', 'new-tab', 'This is a new tab.'],
    ],
    firefox: [
      ['about:blank', 'new-tab', 'This is a new tab.'],
      ['view-source:http://example.org/', 'browser-page', 'This is a page of the browser itself.'],
      ['about:newtab', 'new-tab', 'This is a new tab.'],
    ],
  };
  for (const [url, state, text] of nonWeb[B]) {
    it(`${url}: ${state}`, async () => {
      let close: () => Promise<unknown>;
      let target: Page | string = url;
      if (B === 'chromium' || url === 'about:blank') {
        const tab = await ext.browser.newPage();
        await tab.goto(url).catch(() => undefined);
        // The document the tab ends on (chrome://newtab/ becomes another address), not the one asked for.
        if (url !== 'about:blank') await until(`the tab has left about:blank for ${url}`, async () => (await tabUrl(tab)) !== 'about:blank');
        target = tab;
        close = () => tab.close();
      } else {
        const id = await ext.evaluateInExtension(async (u) => (await chrome.tabs.create(u === 'about:newtab' ? {} : { url: u })).id ?? -1, url);
        await untilInExtension(ext, `a tab on ${url}`, async (i, u) => (await chrome.tabs.get(i)).url === u, id, url);
        close = () => ext.evaluateInExtension((i) => chrome.tabs.remove(i), id);
      }
      const p = await openPopupOn(ext, target);
      expect(p.state).toBe(state);
      expect(p.text).toContain(text);
      expect(p.text).toContain('Newest data in the list for Italy: February 2, 2024');
      await closePopup(p);
      await close();
    });
  }

  it("the extension's own options page: an extension page", async () => {
    const tab = await openExtensionPage(ext, '/src/pages/options.html');
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
    const optionsUrl = `${ext.origin}/src/pages/options.html`;
    if (p.page) {
      const opened = ext.browser.waitForTarget((t) => t.url() === optionsUrl, { timeout: 10_000 });
      await p.page.focus('#open-options');
      // The popup closes itself once the options page opens, possibly before the key event returns.
      await p.page.keyboard.press('Enter').catch(() => undefined);
      const target = await opened;
      const options = await target.asPage();
      await options.waitForFunction(() => document.body.dataset['state'] === 'ready');
      await options.close();
      await closePopup(p);
    } else {
      // Firefox: no key press reaches the popup panel over BiDi; the button is focused and clicked.
      await p.run((doc) => {
        const button = doc.getElementById('open-options');
        button?.focus();
        button?.click();
      });
      const ready = (u: string): boolean =>
        (globalThis as unknown as { browser: { extension: { getViews(o: { type: string }): Window[] } } }).browser.extension
          .getViews({ type: 'tab' })
          .some((w) => w.location.href === u && w.document.body?.dataset['state'] === 'ready');
      await untilInExtension(ext, 'the options page', ready, optionsUrl);
      // It closed itself once the options page had opened.
      await untilInExtension(ext, 'the popup to close', popupClosed);
      await ext.evaluateInExtension(async (u) => {
        for (const t of await chrome.tabs.query({})) if (t.url === u && t.id !== undefined) await chrome.tabs.remove(t.id);
      }, optionsUrl);
    }
    await tab.close();
  });
});

describe(`[${B}] screenshots: a blocked and an unlisted host`, () => {
  for (const lang of ['en', 'it'] as const) {
    it(`in ${lang === 'en' ? 'English' : 'Italian'}`, async () => {
      const e = lang === 'en' ? ext : await launchExtension(B, { server, lang });
      try {
        const tab = await e.browser.newPage();
        expect((await visit(tab, 'http://kickasstorrents.to/')).outcome).toBe('blocked');
        const blocked = await openPopupOn(e, tab);
        expect(blocked.state).toBe('blocked');
        expect(blocked.text).toContain(lang === 'en' ? 'Blocked' : 'Bloccato');
        if (lang === 'it') {
          const why = B === 'firefox' ? 'Firefox shows Italian only with its Italian language pack installed (Debian: firefox-esr-l10n-it)' : undefined;
          expect(blocked.text, why).toContain('Impostazioni');
        }
        await popupScreenshots(e, blocked, `popup-blocked-${lang}`);
        await closePopup(blocked);
        expect((await visit(tab, 'http://example.org/')).outcome).toBe('loaded');
        const unlisted = await openPopupOn(e, tab);
        expect(unlisted.state).toBe('not-listed');
        expect(unlisted.text).toContain(lang === 'en' ? 'Not blocked' : 'Non bloccato');
        await popupScreenshots(e, unlisted, `popup-unlisted-${lang}`);
        await closePopup(unlisted);
      } finally {
        if (e !== ext) await e.close();
      }
    });
  }
});
