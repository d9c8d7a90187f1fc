// A new install protects from its first seconds, even in a browser that is busy loading pages. The
// first rules come from the embedded list and the user's settings; the organisation's policy is
// applied when managed storage answers, which Chromium does not do while pages keep loading.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentBrowser, launchExtension, startServer, until, visit, type TestServer } from './harness.ts';

const B = currentBrowser();
let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server?.close();
});

/** Loads a page every ~150 ms in `page` until `stop()` says so. */
async function keepLoading(load: () => Promise<unknown>, stop: () => boolean): Promise<number> {
  let n = 0;
  while (!stop()) {
    await load().catch(() => undefined);
    n++;
    await new Promise((r) => setTimeout(r, 150));
  }
  return n;
}

describe(`[${B}] first protection`, () => {
  it('a fresh profile that loads pages from its first second gets the embedded list enforced and explained while it keeps loading', async () => {
    // Longer than managed storage stays silent in a busy Chromium (> 20 s measured).
    const windowMs = 25_000;
    const ext = await launchExtension(B, { server, waitForReady: false });
    try {
      const started = Date.now();
      let done = false;
      const busy = await ext.browser.newPage();
      const other = keepLoading(
        () => visit(busy, `http://news-${Date.now()}.example/`),
        () => done || Date.now() - started > windowMs,
      );
      const page = await ext.browser.newPage();
      const seen: string[] = [];
      // Until the block page explains it, within a window longer than the policy's silence.
      const last = await until(
        'kickasstorrents.to is blocked and explained',
        async () => {
          const v = await visit(page, `http://kickasstorrents.to/?visit=${seen.length}`);
          seen.push(v.outcome);
          return v.outcome === 'blocked' ? v : null;
        },
        { timeoutMs: windowMs, intervalMs: 150 },
      ).catch((e: unknown) => {
        throw new Error(`outcomes: ${seen.join(', ')}: ${String(e)}`);
      });
      done = true;
      const otherLoads = await other;
      expect(otherLoads, 'the other tab kept the browser loading pages').toBeGreaterThan(0);
      expect(last.outcome).toBe('blocked');
      expect(last.text).toContain('Tribunale di Milano');
      // Another register's host, in the same busy browser.
      expect((await visit(page, 'http://ilcorsaronero.pro/')).outcome).toBe('blocked');
    } finally {
      await ext.close();
    }
  });
});
