// Shared real-browser test harness: a local HTTP server that answers for every hostname, and a browser
// launched with the built extension, all its traffic sent to that server: Chromium resolves every
// hostname to it, Firefox uses it as its HTTP proxy. `launchExtension(name, …)` is the same interface
// for both; `launchChromium` is the Chromium-only one it builds on.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page, type Target, type WebWorker } from 'puppeteer-core';
import { zipDirectory } from '../../scripts/package.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CHROME_DIST = join(ROOT, 'dist/chrome');
export const CHROMIUM = process.env['CHROMIUM_BIN'] ?? '/usr/lib/chromium/chromium';
export const FIREFOX_DIST = join(ROOT, 'dist/firefox');
export const FIREFOX = process.env['FIREFOX_BIN'] ?? '/usr/bin/firefox-esr';
/** The add-on id of the Firefox build (vite.config.ts). */
export const GECKO_ID = 'ordinanza@ordinanza.eu';
/** Firefox gives each profile a random extension UUID; the tests pin it so the origin is known. */
export const FIREFOX_UUID = '7f3c2a91-5d4e-4b8a-9c61-0e2d4f6a8b13';

export type BrowserName = 'chromium' | 'firefox';
export const BROWSERS: readonly BrowserName[] = ['chromium', 'firefox'];

/** The browser this test run is for: ORDINANZA_BROWSER=chromium (default) or firefox. */
export function currentBrowser(): BrowserName {
  const b = process.env['ORDINANZA_BROWSER'] ?? 'chromium';
  if (b !== 'chromium' && b !== 'firefox') throw new Error(`ORDINANZA_BROWSER must be chromium or firefox, not ${b}`);
  return b;
}

/** The built extension for a browser. */
export function distFor(name: BrowserName): string {
  return name === 'firefox' ? FIREFOX_DIST : CHROME_DIST;
}

/** How the browser reports a request the extension refused (puppeteer's requestfailed errorText). */
export const BLOCKED_ERROR_TEXT: Record<BrowserName, string> = {
  chromium: 'net::ERR_BLOCKED_BY_CLIENT',
  // Firefox cancels a request that a DNR rule blocks with NS_ERROR_ABORT.
  firefox: 'NS_ERROR_ABORT',
};

export type Handler = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

export interface TestServer {
  readonly port: number;
  readonly origin: string;
  /** Every request seen, as "host path". */
  readonly requests: string[];
  /** Tests set this to serve feeds or faults; return true when handled. */
  handler: Handler | null;
  close(): Promise<void>;
}

/** A server that answers any Host with a small page naming it ("Loaded <host>"). */
export async function startServer(): Promise<TestServer> {
  const requests: string[] = [];
  const state: { handler: Handler | null } = { handler: null };
  const server = createServer((req, res) => {
    void (async () => {
      // Proxy-style absolute URIs (Firefox) and plain requests (Chromium host mapping) alike.
      const target = new URL(req.url ?? '/', `http://${req.headers.host ?? 'unknown'}`);
      requests.push(`${target.hostname} ${target.pathname}${target.search}`);
      if (state.handler && (await state.handler(req, res))) return;
      const body = `<!doctype html><title>Loaded ${target.hostname}</title><h1 id="loaded">Loaded ${target.hostname}</h1>`;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(body);
    })().catch((e: unknown) => {
      res.writeHead(500);
      res.end(String(e));
    });
  });
  // Firefox asks its proxy to CONNECT for https: logged, then refused (there is no TLS here). A blocked
  // https address never gets this far: the browser redirects it before connecting.
  server.on('connect', (req, socket) => {
    requests.push(`${(req.url ?? '').replace(/:\d+$/, '')} CONNECT`);
    socket.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    requests,
    get handler() {
      return state.handler;
    },
    set handler(h) {
      state.handler = h;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export interface ExtBrowser {
  readonly browser: Browser;
  readonly extensionId: string;
  readonly origin: string;
  readonly userDataDir: string;
  worker(): Promise<WebWorker>;
  close(opts?: { keepProfile?: boolean }): Promise<void>;
}

export interface LaunchOptions {
  readonly server: TestServer;
  readonly extensionDir?: string;
  /** Reuse a profile (browser restart tests). */
  readonly userDataDir?: string;
  readonly lang?: string;
  /** false: return as soon as the browser runs, without waiting for the first rules (default true). */
  readonly waitForReady?: boolean;
}

export function newProfileDir(): string {
  return mkdtempSync(join(tmpdir(), 'ordinanza-profile-'));
}

export async function launchChromium(opts: LaunchOptions): Promise<ExtBrowser> {
  const extensionDir = opts.extensionDir ?? CHROME_DIST;
  if (!existsSync(join(extensionDir, 'manifest.json'))) throw new Error(`no built extension in ${extensionDir}: run npm run build`);
  const userDataDir = opts.userDataDir ?? newProfileDir();
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir,
    enableExtensions: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-features=HttpsUpgrades,HttpsFirstBalancedModeAutoEnable',
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      `--host-resolver-rules=MAP * 127.0.0.1:${opts.server.port}, EXCLUDE localhost`,
      `--lang=${opts.lang ?? 'en-US'}`,
    ],
    env: { ...process.env, LANGUAGE: opts.lang ?? 'en-US' },
  });
  const target = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'), { timeout: 30_000 });
  const extensionId = new URL(target.url()).host;
  const origin = `chrome-extension://${extensionId}`;
  const ext: ExtBrowser = {
    browser,
    extensionId,
    origin,
    userDataDir,
    async worker() {
      const t = await browser.waitForTarget((x) => x.type() === 'service_worker' && x.url().startsWith(origin), { timeout: 30_000 });
      const w = await t.worker();
      if (!w) throw new Error('service worker target has no worker');
      return w;
    },
    async close(closeOpts) {
      await browser.close().catch(() => undefined);
      if (!closeOpts?.keepProfile && !opts.userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    },
  };
  if (opts.waitForReady !== false) await waitReady(ext);
  return ext;
}

/** Waits until the worker has initialised and installed its rules; returns the rule count. */
export async function waitReady(ext: ExtBrowser): Promise<number> {
  // The worker's module may still be evaluating when its target appears: poll from here.
  const deadline = Date.now() + 30_000;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const w = await ext.worker();
      const n = await w.evaluate(async () => {
        const g = globalThis as unknown as { ordinanza?: { ready: Promise<void> } };
        if (!g.ordinanza) return -1;
        await g.ordinanza.ready;
        return (await chrome.declarativeNetRequest.getDynamicRules()).length;
      });
      if (n >= 0) return n;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the service worker did not become ready: ${String(last)}`);
}

/** The same handle on the extension in either browser. */
export interface Extension {
  readonly name: BrowserName;
  readonly browser: Browser;
  /** chrome-extension://<id> or moz-extension://<uuid> */
  readonly origin: string;
  readonly userDataDir: string;
  /**
   * Runs `fn` in an extension context that has the extension APIs (`chrome.declarativeNetRequest`,
   * storage…): the service worker in Chromium; in Firefox, whose background page is not reachable
   * over WebDriver BiDi, an extension page the harness keeps open. `fn` is serialised: no closures.
   */
  evaluateInExtension<A extends unknown[], R>(fn: (...args: A) => R | Promise<R>, ...args: A): Promise<R>;
  /** Waits until the background has initialised and installed its rules; returns the rule count. */
  waitReady(): Promise<number>;
  /**
   * Stops the background and resolves true once it is gone. Chromium: the service worker is closed.
   * Firefox: the event page is suspended by the browser when idle, which needs the launch option
   * `firefoxPrefs: { 'extensions.background.idle.timeout': <ms> }`.
   */
  stopBackground(timeoutMs?: number): Promise<boolean>;
  close(opts?: { keepProfile?: boolean }): Promise<void>;
}

export interface ExtensionLaunchOptions extends LaunchOptions {
  /**
   * Firefox only. 'temporary' (default): installed over BiDi as a temporary add-on, gone at the next
   * start. 'profile': packed to an XPI in the profile's extensions folder before start, a permanent
   * (unsigned) add-on that survives a browser restart; `extensionDir` may then also be an .xpi/.zip.
   */
  readonly firefoxInstall?: 'temporary' | 'profile';
  /** Extra Firefox preferences. */
  readonly firefoxPrefs?: Record<string, unknown>;
}

const launchedAs = new WeakMap<Browser, BrowserName>();

export async function launchExtension(name: BrowserName, opts: ExtensionLaunchOptions): Promise<Extension> {
  return name === 'firefox' ? launchFirefox(opts) : fromChromium(await launchChromium(opts));
}

function fromChromium(ext: ExtBrowser): Extension {
  return {
    name: 'chromium',
    browser: ext.browser,
    origin: ext.origin,
    userDataDir: ext.userDataDir,
    async evaluateInExtension<A extends unknown[], R>(fn: (...args: A) => R | Promise<R>, ...args: A): Promise<R> {
      const w = await ext.worker();
      return (await w.evaluate(fn as (...a: unknown[]) => unknown, ...args)) as R;
    },
    waitReady: () => waitReady(ext),
    async stopBackground(timeoutMs = 10_000) {
      const worker = await ext.worker();
      let onDestroyed: (t: Target) => void = () => undefined;
      const stopped = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        onDestroyed = (t) => {
          if (t.type() === 'service_worker' && t.url().startsWith(ext.origin)) {
            clearTimeout(timer);
            resolve(true);
          }
        };
        ext.browser.on('targetdestroyed', onDestroyed);
      });
      await worker.close();
      const gone = await stopped;
      ext.browser.off('targetdestroyed', onDestroyed);
      return gone;
    },
    close: (o) => ext.close(o),
  };
}

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

async function launchFirefox(opts: ExtensionLaunchOptions): Promise<Extension> {
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
  launchedAs.set(browser, 'firefox');
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
    await pollPage(page, () => location.href.startsWith('moz-extension:') && document.readyState === 'complete', 15_000);
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
      const deadline = Date.now() + 30_000;
      let last: unknown;
      while (Date.now() < deadline) {
        try {
          const n = await ext.evaluateInExtension(async () => {
            // getBackgroundPage() starts a suspended event page; in Firefox it is in this process.
            const api = (globalThis as unknown as { browser: { runtime: { getBackgroundPage(): Promise<Window | null> } } }).browser;
            const bg = (await api.runtime.getBackgroundPage()) as unknown as { ordinanza?: { ready: Promise<void> } } | null;
            if (!bg?.ordinanza) return -1;
            await bg.ordinanza.ready;
            return (await chrome.declarativeNetRequest.getDynamicRules()).length;
          });
          if (n >= 0) return n;
        } catch (e) {
          last = e;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`the background did not become ready: ${String(last)}`);
    },
    async stopBackground(timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const views = await ext.evaluateInExtension(() =>
          (globalThis as unknown as { browser: { extension: { getViews(): Window[] } } }).browser.extension.getViews().map((w) => w.location.pathname),
        );
        if (!views.some((p) => p.includes('background'))) return true;
        await new Promise((r) => setTimeout(r, 250));
      }
      return false;
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

/** Polls `test` in the page's current document until it is true (navigation errors are retried). */
async function pollPage(page: Page, test: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = 'timeout';
  while (Date.now() < deadline) {
    try {
      if (await page.evaluate(test)) return;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`page condition not met in ${timeoutMs} ms: ${String(last)}`);
}

export interface Visit {
  readonly finalUrl: string;
  /** 'blocked' (block page, explained), 'not-blocked' (block page saying so), 'loaded' (the site), 'error' */
  readonly outcome: 'blocked' | 'not-blocked' | 'loaded' | 'error';
  readonly text: string;
}

/** Navigates a page to `url` and reports what the person would see. */
export async function visit(page: Page, url: string): Promise<Visit> {
  if (launchedAs.get(page.browser()) === 'firefox') return visitFirefox(page, url);
  try {
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 15_000 });
  } catch (e) {
    return { finalUrl: page.url(), outcome: 'error', text: String(e) };
  }
  const finalUrl = page.url();
  if (finalUrl.includes('/src/pages/blocked.html')) {
    await page.waitForFunction(() => document.body.dataset['state'] !== undefined, { timeout: 10_000 });
    const state = await page.evaluate(() => document.body.dataset['state'] ?? '');
    const text = await page.evaluate(() => document.body.innerText);
    return { finalUrl, outcome: state === 'explained' ? 'blocked' : 'not-blocked', text };
  }
  const text = await page.evaluate(() => document.body?.innerText ?? '');
  return { finalUrl, outcome: text.startsWith('Loaded ') ? 'loaded' : 'error', text };
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
    await pollPage(
      page,
      () => document.documentElement.dataset['visitToken'] === undefined && document.readyState !== 'loading' && location.href !== 'about:blank',
      15_000,
    );
  } catch (e) {
    return { finalUrl: await page.evaluate(() => location.href).catch(() => ''), outcome: 'error', text: String(e) };
  }
  const finalUrl = await page.evaluate(() => location.href);
  if (finalUrl.includes('/src/pages/blocked.html')) {
    try {
      await pollPage(page, () => document.body.dataset['state'] !== undefined, 10_000);
    } catch (e) {
      return { finalUrl, outcome: 'error', text: String(e) };
    }
    const state = await page.evaluate(() => document.body.dataset['state'] ?? '');
    const text = await page.evaluate(() => document.body.innerText);
    return { finalUrl, outcome: state === 'explained' ? 'blocked' : 'not-blocked', text };
  }
  const text = await page.evaluate(() => document.body?.innerText ?? '');
  return { finalUrl, outcome: text.startsWith('Loaded ') ? 'loaded' : 'error', text };
}

export const ARTIFACTS = join(ROOT, 'test-artifacts');

/** Saves a full-page PNG under test-artifacts/ for people to look at. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.setViewport({ width: 1000, height: 900 });
  await page.screenshot({ path: path as `${string}.png`, fullPage: true });
  return path;
}

// ---- Extension pages and the background's own globals, in either browser --------------------------
// (sync and registers tests). Kept apart from the interface above: these are helpers over `Extension`.

/** Polls `test(arg)` in the page's current document until it is true (navigation errors are retried). */
async function pollPageWith(page: Page, test: (arg: string) => boolean, arg: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = 'timeout';
  while (Date.now() < deadline) {
    try {
      if (await page.evaluate(test, arg)) return;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`page condition not met in ${timeoutMs} ms: ${String(last)}`);
}

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
    await pollPageWith(page, (u) => location.href === u && document.documentElement.dataset['leaving'] === undefined && document.readyState === 'complete', step, 15_000);
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
