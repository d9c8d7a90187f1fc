// Shared real-browser test harness: a local HTTP server that answers for every hostname, and
// Chromium launched with the built extension, every hostname resolved to that server.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page, type WebWorker } from 'puppeteer-core';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CHROME_DIST = join(ROOT, 'dist/chrome');
export const CHROMIUM = process.env['CHROMIUM_BIN'] ?? '/usr/lib/chromium/chromium';

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
  await waitReady(ext);
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

export interface Visit {
  readonly finalUrl: string;
  /** 'blocked' (block page, explained), 'not-blocked' (block page saying so), 'loaded' (the site), 'error' */
  readonly outcome: 'blocked' | 'not-blocked' | 'loaded' | 'error';
  readonly text: string;
}

/** Navigates a page to `url` and reports what the person would see. */
export async function visit(page: Page, url: string): Promise<Visit> {
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

export const ARTIFACTS = join(ROOT, 'test-artifacts');

/** Saves a full-page PNG under test-artifacts/ for people to look at. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.setViewport({ width: 1000, height: 900 });
  await page.screenshot({ path: path as `${string}.png`, fullPage: true });
  return path;
}
