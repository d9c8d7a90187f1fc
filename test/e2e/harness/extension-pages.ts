// The extension's own pages and its background's global scope, reached the same way in either
// browser: helpers over `Extension`.
import type { Page } from 'puppeteer-core';
import type { Extension } from './env.ts';
import { until } from './until.ts';

/**
 * Opens one of the extension's own pages (`path` like `/src/pages/options.html`) in a new tab and
 * resolves once it has loaded. Chromium navigates there directly. Firefox: BiDi may not navigate to
 * moz-extension:// and only the block page is web-accessible, so a web page opens the block page,
 * which (an extension page itself) may then open any page of the extension.
 */
export async function openExtensionPage(ext: Extension, path: string): Promise<Page> {
  const url = `${ext.origin}${path}`;
  const page = await ext.browser.newPage();
  if (ext.name === 'chromium') {
    await page.goto(url);
    return page;
  }
  await page.goto('http://extension-page.invalid/', { waitUntil: 'domcontentloaded' }).catch(() => undefined);
  for (const step of [`${ext.origin}/src/pages/blocked.html`, url]) {
    await page.evaluate((u) => {
      document.documentElement.dataset['leaving'] = '1';
      location.href = u;
    }, step);
    await until(`${step} has loaded`, () => page.evaluate((u) => location.href === u && document.documentElement.dataset['leaving'] === undefined && document.readyState === 'complete', step), {
      timeoutMs: 15_000,
    });
    if (step === url) break;
  }
  return page;
}

/**
 * Runs `fn(bg, …args)` with `bg` the background's own global scope: what `globalThis` is inside the
 * service worker (Chromium) or the event page (Firefox, reached with `runtime.getBackgroundPage()`
 * from the harness's extension page, which wakes a suspended page; Firefox runs both in one process).
 * `fn` is serialised (no closures) and `args` must be JSON. In Firefox a function `fn` creates lives in
 * the extension page's scope and can be handed to the background while that page stays open.
 */
export async function evaluateInBackground<A extends unknown[], R>(ext: Extension, fn: (bg: typeof globalThis, ...args: A) => R | Promise<R>, ...args: A): Promise<R> {
  const background = ext.name === 'firefox' ? 'await browser.runtime.getBackgroundPage()' : 'globalThis';
  // Built here so the background is looked up where `fn` runs; the text goes to the browser like any
  // function puppeteer sends.
  const run = new Function(
    `return (async () => {
      const bg = ${background};
      if (!bg) throw new Error('no background page');
      return (${fn.toString()})(bg, ...${JSON.stringify(args)});
    })();`,
  ) as () => Promise<R>;
  return ext.evaluateInExtension(run);
}
