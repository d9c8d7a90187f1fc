// Without host access the browser accepts the redirect rules and silently applies none of them: pages
// of listed sites load (requests other pages make to them still fail: block rules need no access). Access is withdrawn the way a person does it — Chromium's extensions page
// ("on click", through the same developerPrivate call the page makes), Firefox's per-extension
// permission (permissions.remove, what about:addons does) — and Ordinanza must say that it cannot block.
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentBrowser, launchExtension, openExtensionPage, startServer, until, visit, type Extension, type TestServer } from './harness.ts';

const B = currentBrowser();

let server: TestServer;
let ext: Extension;

type HostAccess = 'ON_CLICK' | 'ON_ALL_SITES';
interface DeveloperPrivate {
  updateExtensionConfiguration(update: { extensionId: string; hostAccess: HostAccess }, done: () => void): void;
}

/** Chromium: the extensions page's own switch between "on click" and "on all sites". */
async function setChromiumSiteAccess(access: HostAccess): Promise<void> {
  const page = await ext.browser.newPage();
  try {
    await page.goto('chrome://extensions');
    await page.evaluate(
      (id, a) =>
        new Promise<void>((resolve) =>
          (globalThis as unknown as { chrome: { developerPrivate: DeveloperPrivate } }).chrome.developerPrivate.updateExtensionConfiguration({ extensionId: id, hostAccess: a }, resolve),
        ),
      new URL(ext.origin).host,
      access,
    );
  } finally {
    await page.close();
  }
}

async function withdrawAccess(): Promise<void> {
  if (B === 'chromium') await setChromiumSiteAccess('ON_CLICK');
  else expect(await ext.evaluateInExtension(() => chrome.permissions.remove({ origins: ['*://*/*'] }))).toBe(true);
}

async function noticeIn(page: Page): Promise<string | null> {
  await page.waitForFunction(() => document.body.dataset['state'] !== undefined && document.body.dataset['state'] !== 'loading', { timeout: 15_000 });
  return page.evaluate(() => document.getElementById('host-access')?.innerText ?? null);
}

beforeAll(async () => {
  server = await startServer();
  ext = await launchExtension(B, { server });
});

afterAll(async () => {
  await ext?.close();
  await server?.close();
});

describe(`[${B}] no access to sites`, () => {
  it('with access: listed sites are blocked and no page warns', async () => {
    const page = await ext.browser.newPage();
    expect((await visit(page, 'http://kickasstorrents.to/')).outcome).toBe('blocked');
    const options = await openExtensionPage(ext, '/src/pages/options.html');
    expect(await noticeIn(options)).toBeNull();
    expect(await ext.evaluateInExtension(() => chrome.action.getBadgeText({}))).toBe('');
  });

  it('access withdrawn: the listed site loads, and the status, options page, popup and toolbar badge say Ordinanza cannot block', async () => {
    await withdrawAccess();
    const page = await ext.browser.newPage();
    // What the warning is about: the rules are still installed, and do nothing.
    expect((await visit(page, 'http://limetorrents.pro/')).outcome).toBe('loaded');
    const options = await openExtensionPage(ext, '/src/pages/options.html');
    expect(await noticeIn(options)).toContain('Ordinanza cannot block sites: it has no access to them.');
    // The status the pages get: rules installed, no access.
    const status = await options.evaluate(() => chrome.runtime.sendMessage({ type: 'status' }) as Promise<{ hostAccess: boolean; rules: { ruleCount: number } }>);
    expect(status.hostAccess).toBe(false);
    expect(status.rules.ruleCount).toBeGreaterThan(0);
    const popup = await openExtensionPage(ext, '/src/pages/popup.html');
    expect(await noticeIn(popup)).toContain('Ordinanza cannot block sites');
    expect(await ext.evaluateInExtension(() => chrome.action.getBadgeText({}))).toBe('!');
    expect(await ext.evaluateInExtension(() => chrome.action.getTitle({}))).toContain('no access');
  });

  it('access withdrawn: an image of a listed site in another page is still refused', async () => {
    // Block rules need no host access, redirects do (the declarativeNetRequest permission): without
    // access the pages of listed sites load, the requests other pages make to them still fail.
    server.handler = (req, res) => {
      if (req.headers.host?.startsWith('embedder.example') && new URL(req.url ?? '', 'http://embedder.example').pathname === '/') {
        res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' });
        res.end(`<!doctype html><title>Embedder</title><img src="http://kickasstorrents.to/pixel.png?n=${Date.now()}">`);
        return true;
      }
      return false;
    };
    try {
      const page = await ext.browser.newPage();
      await visit(page, 'http://embedder.example/');
      await until('the embedded image has loaded or failed', () => page.evaluate(() => document.images[0]?.complete === true));
      expect(server.requests.some((r) => r.startsWith('kickasstorrents.to /pixel.png'))).toBe(false);
    } finally {
      server.handler = null;
    }
  });

  // Firefox gives access back only through its own prompt (permissions.request), which no test can answer.
  if (B === 'chromium')
    it('access allowed again: blocking resumes and the warning goes', async () => {
      const options = await openExtensionPage(ext, '/src/pages/options.html');
      expect(await noticeIn(options)).not.toBeNull();
      await setChromiumSiteAccess('ON_ALL_SITES');
      await options.waitForFunction(() => document.getElementById('host-access') === null, { timeout: 10_000 });
      const page = await ext.browser.newPage();
      expect((await visit(page, 'http://ilcorsaronero.pro/')).outcome).toBe('blocked');
      expect(await ext.evaluateInExtension(() => chrome.action.getBadgeText({}))).toBe('');
    });
});
