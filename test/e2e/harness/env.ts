// What every real-browser test shares: where the builds and browsers are, which browser this run is
// for, and `Extension`, the same handle on the loaded extension in Chromium and in Firefox.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'puppeteer-core';
import type { TestServer } from './server.ts';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const CHROME_DIST = join(ROOT, 'dist/chrome');
export const CHROMIUM = process.env['CHROMIUM_BIN'] ?? '/usr/lib/chromium/chromium';
export const FIREFOX_DIST = join(ROOT, 'dist/firefox');
export const FIREFOX = process.env['FIREFOX_BIN'] ?? '/usr/bin/firefox-esr';
/** The add-on id of the Firefox build (vite.config.ts). */
export const GECKO_ID = 'ordinanza@ordinanza.eu';
/** Firefox gives each profile a random extension UUID; the tests pin it so the origin is known. */
export const FIREFOX_UUID = '7f3c2a91-5d4e-4b8a-9c61-0e2d4f6a8b13';
export const ARTIFACTS = join(ROOT, 'test-artifacts');

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

export function newProfileDir(): string {
  return mkdtempSync(join(tmpdir(), 'ordinanza-profile-'));
}

/** Browsers launched as Firefox: `visit` navigates differently there. */
export const firefoxBrowsers = new WeakSet<Browser>();

export interface LaunchOptions {
  readonly server: TestServer;
  readonly extensionDir?: string;
  /** Reuse a profile (browser restart tests). */
  readonly userDataDir?: string;
  readonly lang?: string;
  /** false: return as soon as the browser runs, without waiting for the first rules (default true). */
  readonly waitForReady?: boolean;
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
