// Enforcement in real Chromium: the built extension on the embedded Italian feed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, launchChromium, startServer, visit, type ExtBrowser, type TestServer } from './harness.ts';

let server: TestServer;
let ext: ExtBrowser;

beforeAll(async () => {
  server = await startServer();
  ext = await launchChromium({ server });
});

afterAll(async () => {
  await ext?.close();
  await server?.close();
});

describe('Milan 2022 order (Tribunale di Milano v. Cloudflare)', () => {
  for (const url of ['http://kickasstorrents.to/', 'https://www.limetorrents.pro/x?y=1', 'http://ilcorsaronero.pro/']) {
    it(`${url} ends on the block page naming the order`, async () => {
      const page = await ext.browser.newPage();
      const v = await visit(page, url);
      expect(v.outcome).toBe('blocked');
      expect(v.finalUrl).toBe(`${ext.origin}/src/pages/blocked.html#${url}`);
      expect(v.text).toContain('Tribunale di Milano');
      expect(v.text).toContain(url);
      await screenshot(page, `blocked-${new URL(url).hostname}-en`);
      await page.close();
    });
  }

  it('an unlisted look-alike and an unlisted host load normally', async () => {
    const page = await ext.browser.newPage();
    for (const url of ['http://notkickasstorrents.to/', 'http://example.org/']) {
      const v = await visit(page, url);
      expect(v.outcome, url).toBe('loaded');
    }
    await page.close();
  });
});
