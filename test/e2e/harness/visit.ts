// Visiting a web address as a person would, and reporting what they would see: the site, or the
// block page with its verdict. Screenshots of what was seen, for people to look at.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { ARTIFACTS, firefoxBrowsers } from './env.ts';
import { until } from './until.ts';

export interface Visit {
  readonly finalUrl: string;
  /** 'blocked' (block page, explained), 'not-blocked' (block page saying so), 'loaded' (the site), 'error' */
  readonly outcome: 'blocked' | 'not-blocked' | 'loaded' | 'error';
  readonly text: string;
}

/** Navigates a page to `url` and reports what the person would see. */
export async function visit(page: Page, url: string): Promise<Visit> {
  if (firefoxBrowsers.has(page.browser())) return visitFirefox(page, url);
  try {
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 15_000 });
  } catch (e) {
    return { finalUrl: page.url(), outcome: 'error', text: String(e) };
  }
  const finalUrl = page.url();
  if (finalUrl.includes('/src/pages/blocked.html')) {
    // Polled on a timer: the default polls on animation frames, which a background tab never has.
    await page.waitForFunction(() => document.body.dataset['state'] !== undefined, { timeout: 10_000, polling: 50 });
    return blockPageVisit(page, finalUrl);
  }
  return siteVisit(page, finalUrl);
}

let visits = 0;

/**
 * Firefox over BiDi does not report a navigation that ends on a moz-extension:// page (a DNR redirect
 * to the block page): `goto` would time out and `page.url()` stay stale. So the current document is
 * marked, the page script navigates, and the new (unmarked) document is polled until it has loaded.
 */
async function visitFirefox(page: Page, url: string): Promise<Visit> {
  const token = `visit-${++visits}`;
  const here = await page.evaluate(() => location.href).catch(() => 'about:blank');
  if (!here.startsWith('http') && !here.startsWith('moz-extension:')) {
    // A fresh tab: give it a document to navigate from.
    await page.goto('http://start.invalid/', { waitUntil: 'domcontentloaded' }).catch(() => undefined);
  }
  await page.evaluate(
    (u, t) => {
      document.documentElement.dataset['visitToken'] = t;
      setTimeout(() => (location.href = u), 0);
    },
    url,
    token,
  );
  try {
    await until(`${url} has loaded`, () => page.evaluate(() => document.documentElement.dataset['visitToken'] === undefined && document.readyState !== 'loading' && location.href !== 'about:blank'), {
      timeoutMs: 15_000,
    });
  } catch (e) {
    return { finalUrl: await page.evaluate(() => location.href).catch(() => ''), outcome: 'error', text: String(e) };
  }
  const finalUrl = await page.evaluate(() => location.href);
  if (finalUrl.includes('/src/pages/blocked.html')) {
    try {
      await until('the block page has its verdict', () => page.evaluate(() => document.body.dataset['state'] !== undefined));
    } catch (e) {
      return { finalUrl, outcome: 'error', text: String(e) };
    }
    return blockPageVisit(page, finalUrl);
  }
  return siteVisit(page, finalUrl);
}

async function blockPageVisit(page: Page, finalUrl: string): Promise<Visit> {
  const state = await page.evaluate(() => document.body.dataset['state'] ?? '');
  const text = await page.evaluate(() => document.body.innerText);
  return { finalUrl, outcome: state === 'explained' ? 'blocked' : 'not-blocked', text };
}

async function siteVisit(page: Page, finalUrl: string): Promise<Visit> {
  const text = await page.evaluate(() => document.body?.innerText ?? '');
  return { finalUrl, outcome: text.startsWith('Loaded ') ? 'loaded' : 'error', text };
}

/** Saves a full-page PNG under test-artifacts/ for people to look at. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.setViewport({ width: 1000, height: 900 });
  await page.screenshot({ path: path as `${string}.png`, fullPage: true });
  return path;
}
