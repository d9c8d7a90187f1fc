// Enforcement in a real browser (ORDINANZA_BROWSER: Chromium or Firefox ESR): the built extension on
// the embedded Italian feed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentBrowser, launchExtension, screenshot, startServer, visit, type Extension, type TestServer } from './harness.ts';

const B = currentBrowser();
let server: TestServer;
let ext: Extension;

beforeAll(async () => {
  server = await startServer();
  ext = await launchExtension(B, { server });
});

afterAll(async () => {
  await ext?.close();
  await server?.close();
});

describe(`[${B}] Milan 2022 order (Tribunale di Milano v. Cloudflare)`, () => {
  for (const url of ['http://kickasstorrents.to/', 'https://www.limetorrents.pro/x?y=1', 'http://ilcorsaronero.pro/']) {
    it(`${url} ends on the block page naming the order`, async () => {
      const page = await ext.browser.newPage();
      const v = await visit(page, url);
      expect(v.outcome).toBe('blocked');
      expect(v.finalUrl).toBe(`${ext.origin}/src/pages/blocked.html#${url}`);
      expect(v.text).toContain('Tribunale di Milano');
      expect(v.text).toContain(url);
      // Redirected before any connection: the server never saw the host, not even a CONNECT (https).
      expect(server.requests.filter((r) => r.startsWith(`${new URL(url).hostname} `))).toEqual([]);
      await screenshot(page, `blocked-${new URL(url).hostname}-en${B === 'chromium' ? '' : `-${B}`}`);
      await page.close();
    });
  }

  it('the address written with a trailing dot (http://kickasstorrents.to./) is blocked too', async () => {
    const page = await ext.browser.newPage();
    const v = await visit(page, 'http://kickasstorrents.to./');
    expect(v.outcome).toBe('blocked');
    expect(v.text).toContain('Tribunale di Milano');
    expect(server.requests.filter((r) => r.startsWith('kickasstorrents.to'))).toEqual([]);
    await page.close();
  });

  it('an unlisted look-alike and an unlisted host load normally', async () => {
    const page = await ext.browser.newPage();
    for (const url of ['http://notkickasstorrents.to/', 'http://example.org/']) {
      const v = await visit(page, url);
      expect(v.outcome, url).toBe('loaded');
    }
    await page.close();
  });
});

describe(`[${B}] the block page treats the blocked URL as untrusted text`, () => {
  const hostile = [
    `http://kickasstorrents.to/"><script>alert(1)</script>`,
    `http://kickasstorrents.to/?q="><img src=x onerror=alert(1)>`,
    `http://kickasstorrents.to/javascript:alert(1)`,
    `http://kickasstorrents.to/?next=javascript:alert(document.domain)#"><script>alert(2)</script>`,
  ];
  for (const url of hostile) {
    it(`shows ${url} as inert text`, async () => {
      const page = await ext.browser.newPage();
      const dialogs: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      const v = await visit(page, url);
      expect(v.outcome).toBe('blocked');
      const shown = await page.$eval('#url', (el) => ({ text: el.textContent ?? '', children: el.children.length }));
      // The browser percent-encodes some characters of the request URL; the text shows what it got.
      expect(shown.children).toBe(0);
      expect(decodeURI(shown.text)).toContain(new URL(url).hostname);
      const injected = await page.evaluate(() => ({
        scripts: document.querySelectorAll('script:not([src])').length,
        imgs: [...document.querySelectorAll('img')].filter((i) => i.getAttribute('src') === 'x').length,
        jsLinks: [...document.querySelectorAll('a')].filter((a) => a.href.startsWith('javascript:')).length,
      }));
      expect(injected).toEqual({ scripts: 0, imgs: 0, jsLinks: 0 });
      expect(dialogs).toEqual([]);
      await page.close();
    });
  }
});
