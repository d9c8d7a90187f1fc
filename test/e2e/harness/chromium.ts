// Chromium with the built extension loaded unpacked, every hostname resolved to the test server.
// `launchChromium` is also used on its own where Chromium itself is the subject (policy, npm start).
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type Target, type WebWorker } from 'puppeteer-core';
import { CHROME_DIST, CHROMIUM, newProfileDir, type Extension, type LaunchOptions } from './env.ts';
import { until } from './until.ts';

export interface ExtBrowser {
  readonly browser: Browser;
  readonly extensionId: string;
  readonly origin: string;
  readonly userDataDir: string;
  worker(): Promise<WebWorker>;
  close(opts?: { keepProfile?: boolean }): Promise<void>;
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
  const ready = await until(
    'the service worker is ready',
    async () => {
      const n = await (await ext.worker()).evaluate(async () => {
        const g = globalThis as unknown as { ordinanza?: { ready: Promise<void> } };
        if (!g.ordinanza) return -1;
        await g.ordinanza.ready;
        return (await chrome.declarativeNetRequest.getDynamicRules()).length;
      });
      return n >= 0 ? { n } : null;
    },
    { timeoutMs: 30_000 },
  );
  return ready.n;
}

/** The browser-neutral handle on a Chromium launch. */
export function chromiumExtension(ext: ExtBrowser): Extension {
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
