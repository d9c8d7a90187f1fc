// Firefox ESR with the built extension, driven over WebDriver BiDi, every request sent to the test
// server as its HTTP proxy. BiDi reaches neither moz-extension:// navigations nor the background page,
// so extension APIs are called from an extension page the harness opens (see docs/firefox.md).
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Page } from 'puppeteer-core';
import { zipDirectory } from '../../../scripts/package.ts';
import { FIREFOX, FIREFOX_DIST, FIREFOX_UUID, firefoxBrowsers, GECKO_ID, newProfileDir, type Extension, type ExtensionLaunchOptions } from './env.ts';
import type { TestServer } from './server.ts';
import { until } from './until.ts';

/** Firefox preferences that send every request to the test server and keep http as http. */
function firefoxPrefs(server: TestServer, lang: string, extra: Record<string, unknown> | undefined): Record<string, unknown> {
  return {
    'network.proxy.type': 1,
    'network.proxy.http': '127.0.0.1',
    'network.proxy.http_port': server.port,
    'network.proxy.ssl': '127.0.0.1',
    'network.proxy.ssl_port': server.port,
    'network.proxy.no_proxies_on': '',
    'network.proxy.allow_hijacking_localhost': true,
    'dom.security.https_first': false,
    'dom.security.https_only_mode': false,
    // Chromium's host mapping fails HSTS-preloaded hosts over TLS; here they would go to CONNECT.
    'network.stricttransportsecurity.preloadlist': false,
    'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: FIREFOX_UUID }),
    // A permanent unsigned add-on from the profile folder (ESR honours this; release Firefox does not).
    'xpinstall.signatures.required': false,
    'extensions.startupScanScopes': 1,
    // Only languages with an installed language pack take effect (Debian's ESR ships en-US; .ci/run adds the it and fr packs).
    'intl.locale.requested': lang,
    ...extra,
  };
}

export async function launchFirefox(opts: ExtensionLaunchOptions): Promise<Extension> {
  const source = opts.extensionDir ?? FIREFOX_DIST;
  const packed = /\.(xpi|zip)$/.test(source);
  if (!packed && !existsSync(join(source, 'manifest.json'))) throw new Error(`no built extension in ${source}: run npm run build`);
  const install = opts.firefoxInstall ?? 'temporary';
  if (packed && install !== 'profile') throw new Error('a packed add-on is installed with firefoxInstall: profile');
  const userDataDir = opts.userDataDir ?? newProfileDir();
  if (install === 'profile') {
    // Firefox takes <profile>/extensions/<id>.xpi as an add-on installed in that profile. Written once:
    // a changed file at a later start would be an update, not the same add-on restarting.
    const xpi = join(userDataDir, 'extensions', `${GECKO_ID}.xpi`);
    if (!existsSync(xpi)) {
      mkdirSync(join(userDataDir, 'extensions'), { recursive: true });
      if (packed) copyFileSync(source, xpi);
      else writeFileSync(xpi, zipDirectory(source));
    }
  }
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    userDataDir,
    extraPrefsFirefox: firefoxPrefs(opts.server, opts.lang ?? 'en-US', opts.firefoxPrefs),
    env: { ...process.env, LANGUAGE: opts.lang ?? 'en-US' },
  });
  firefoxBrowsers.add(browser);
  try {
    if (install === 'temporary') await browser.installExtension(source);
  } catch (e) {
    await browser.close().catch(() => undefined);
    throw e;
  }
  const origin = `moz-extension://${FIREFOX_UUID}`;
  let extPage: Page | null = null;

  /** The extension page the harness evaluates in: the block page, the one a web page may open. */
  async function extensionPage(): Promise<Page> {
    if (extPage && !extPage.isClosed()) {
      const href = await extPage.evaluate(() => location.href).catch(() => '');
      if (href.startsWith(origin)) return extPage;
      await extPage.close().catch(() => undefined);
    }
    const page = await browser.newPage();
    // BiDi refuses to navigate to moz-extension:// itself; a page script may, to a web-accessible page.
    await page.goto('http://extension-context.invalid/', { waitUntil: 'domcontentloaded' }).catch(() => undefined);
    await page.evaluate((u) => {
      location.href = u;
    }, `${origin}/src/pages/blocked.html`);
    await until('the harness extension page has loaded', () => page.evaluate(() => location.href.startsWith('moz-extension:') && document.readyState === 'complete'), {
      timeoutMs: 15_000,
    });
    extPage = page;
    return page;
  }

  const ext: Extension = {
    name: 'firefox',
    browser,
    origin,
    userDataDir,
    async evaluateInExtension<A extends unknown[], R>(fn: (...args: A) => R | Promise<R>, ...args: A): Promise<R> {
      const page = await extensionPage();
      return (await page.evaluate(fn as (...a: unknown[]) => unknown, ...args)) as R;
    },
    async waitReady() {
      const ready = await until(
        'the background is ready',
        async () => {
          const n = await ext.evaluateInExtension(async () => {
            // getBackgroundPage() starts a suspended event page; in Firefox it is in this process.
            const api = (globalThis as unknown as { browser: { runtime: { getBackgroundPage(): Promise<Window | null> } } }).browser;
            const bg = (await api.runtime.getBackgroundPage()) as unknown as { ordinanza?: { ready: Promise<void> } } | null;
            if (!bg?.ordinanza) return -1;
            await bg.ordinanza.ready;
            return (await chrome.declarativeNetRequest.getDynamicRules()).length;
          });
          return n >= 0 ? { n } : null;
        },
        { timeoutMs: 30_000, intervalMs: 200 },
      );
      return ready.n;
    },
    async stopBackground(timeoutMs = 15_000) {
      // Asks which extension views are open; getViews() does not wake a suspended page.
      const gone = async (): Promise<boolean> => {
        const views = await ext.evaluateInExtension(() => (globalThis as unknown as { browser: { extension: { getViews(): Window[] } } }).browser.extension.getViews().map((w) => w.location.pathname));
        return !views.some((p) => p.includes('background'));
      };
      return until('the event page is suspended', gone, { timeoutMs, intervalMs: 250 }).then(
        () => true,
        () => false,
      );
    },
    async close(closeOpts) {
      await browser.close().catch(() => undefined);
      if (!closeOpts?.keepProfile && !opts.userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    },
  };
  try {
    if (opts.waitForReady !== false) await ext.waitReady();
  } catch (e) {
    await ext.close();
    throw e;
  }
  return ext;
}
