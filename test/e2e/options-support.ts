// What the options and jurisdictions suites do with the options page and the rules: open the page
// ready, search a host there, and ask whether the installed rules block a host.
import type { Page } from 'puppeteer-core';
import { openExtensionPage, type Extension } from './harness.ts';

/** The options page of `ext`, rendered and ready. */
export async function openOptions(ext: Extension): Promise<Page> {
  const page = await openExtensionPage(ext, '/src/pages/options.html');
  await page.setViewport({ width: 1000, height: 900 });
  await page.bringToFront();
  await page.waitForFunction(() => document.body.dataset['state'] === 'ready', { timeout: 15_000, polling: 50 });
  return page;
}

/** Types `input` into the page's search and returns its verdict, its text and the orders it shows. */
export async function searchFor(page: Page, input: string): Promise<{ verdict: string; text: string; orders: string[] }> {
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

/**
 * Whether the installed rules block `host`: a block or redirect rule names it and no allow rule lifts
 * it (see compiler.ts). Checked in the extension, so one boolean comes back instead of the rules.
 */
export async function inRules(ext: Extension, host: string): Promise<boolean> {
  return ext.evaluateInExtension(async (h) => {
    // The session rules too: an update's overlay is there until the background writes it to the dynamic rules.
    const rules = [...(await chrome.declarativeNetRequest.getDynamicRules()), ...(await chrome.declarativeNetRequest.getSessionRules())];
    const names = (r: chrome.declarativeNetRequest.Rule): boolean => (r.condition.requestDomains ?? []).includes(h);
    return rules.some((r) => r.action.type !== 'allow' && names(r)) && !rules.some((r) => r.action.type === 'allow' && names(r));
  }, host);
}
