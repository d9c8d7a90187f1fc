// Rules and explanations survive a stopped background and a browser restart on the same profile.
// Chromium: the service worker is closed; the extension is loaded unpacked from dist/chrome.
// Firefox: the event page is suspended by the browser's own idle timeout (shortened here); the
// extension is a permanent add-on, an XPI of dist/firefox in the profile (an unsigned add-on, which
// ESR allows with xpinstall.signatures.required=false): a temporary add-on would not survive the
// restart, and the restart is what is tested.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentBrowser, launchExtension, newProfileDir, startServer, visit, type ExtensionLaunchOptions, type TestServer } from './harness.ts';

const B = currentBrowser();
let server: TestServer;
const profile = newProfileDir();
const stopped = B === 'chromium' ? 'the service worker is stopped' : 'the background event page is suspended';

function options(extra: Partial<ExtensionLaunchOptions> = {}): ExtensionLaunchOptions {
  return { server, userDataDir: profile, firefoxInstall: 'profile', ...extra };
}

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server?.close();
  rmSync(profile, { recursive: true, force: true });
});

describe(`[${B}] persistence`, () => {
  it(`after ${stopped}, the block holds and the page still explains`, async () => {
    const ext = await launchExtension(B, options({ firefoxPrefs: { 'extensions.background.idle.timeout': 2000 } }));
    try {
      // The background is gone: the rules live in the browser, not in the background.
      expect(await ext.stopBackground()).toBe(true);
      const page = await ext.browser.newPage();
      const v = await visit(page, 'http://kickasstorrents.to/');
      expect(v.outcome).toBe('blocked');
      expect(v.text).toContain('Tribunale di Milano');
    } finally {
      await ext.close({ keepProfile: true });
    }
  });

  it('after a browser restart with the same profile, the rules are in place and the page explains', async () => {
    const ext = await launchExtension(B, options());
    try {
      const ids = await ext.evaluateInExtension(async () => (await chrome.declarativeNetRequest.getDynamicRules()).map((r) => r.id));
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
