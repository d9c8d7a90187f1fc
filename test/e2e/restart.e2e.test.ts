// Rules and explanations survive a stopped service worker and a browser restart on the same profile.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newProfileDir, startServer, visit, type TestServer } from './harness.ts';

let server: TestServer;
const profile = newProfileDir();

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server?.close();
  rmSync(profile, { recursive: true, force: true });
});

describe('persistence', () => {
  it('after the service worker is stopped, the block holds and the page still explains', async () => {
    const ext = await launchChromium({ server, userDataDir: profile });
    try {
      const worker = await ext.worker();
      const stopped = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 10_000);
        ext.browser.on('targetdestroyed', (t) => {
          if (t.type() === 'service_worker' && t.url().startsWith(ext.origin)) {
            clearTimeout(timer);
            resolve(true);
          }
        });
      });
      await worker.close();
      // The worker is gone: the rules live in the browser, not in the worker.
      expect(await stopped).toBe(true);
      const page = await ext.browser.newPage();
      const v = await visit(page, 'http://kickasstorrents.to/');
      expect(v.outcome).toBe('blocked');
      expect(v.text).toContain('Tribunale di Milano');
    } finally {
      await ext.close({ keepProfile: true });
    }
  });

  it('after a browser restart with the same profile, the rules are in place and the page explains', async () => {
    const ext = await launchChromium({ server, userDataDir: profile });
    try {
      const w = await ext.worker();
      const ids = await w.evaluate(async () => (await chrome.declarativeNetRequest.getDynamicRules()).map((r) => r.id));
      expect(ids.length).toBeGreaterThan(0);
      const page = await ext.browser.newPage();
      const v = await visit(page, 'http://ilcorsaronero.pro/');
      expect(v.outcome).toBe('blocked');
      expect(v.text).toContain('Tribunale di Milano');
    } finally {
      await ext.close({ keepProfile: true });
    }
  });
});
