// Managed policy in real Chromium: a policy file in Debian Chromium's managed-policy folder
// (/etc/chromium/policies/managed/), with a `3rdparty.extensions.<id>` block for the extension.
//
// Policy files apply to every Chromium on the machine, so this test never names the shared build:
// it loads a copy of dist/chrome from a folder of its own, whose unpacked-extension id is derived
// from that folder's path and belongs to nobody else. It writes one uniquely named file and removes
// exactly that file (and the folders it created, if they are empty) afterwards, whatever happens.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFeed } from '../../src/core/feed.ts';
import { CHROME_DIST, launchChromium, screenshot, startServer, until, visit, type ExtBrowser, type TestServer } from './harness.ts';

const parsed = parseFeed(readFileSync(join(CHROME_DIST, 'feeds/IT.json')));
if (!parsed.ok) throw new Error(parsed.errors.join('; '));
const gamblingGroup = parsed.feed.entries.find((g) => g.listings.length === 1 && g.listings[0]?.order === 'adm-giochi');
const GAMBLING = gamblingGroup?.hosts[Math.floor(gamblingGroup.hosts.length / 2)] ?? '';

const POLICY_ROOT = '/etc/chromium/policies';
const POLICY_DIR = join(POLICY_ROOT, 'managed');

/** Chromium's id for an unpacked extension: sha256 of its absolute path, 32 hex digits as a-p. */
function unpackedExtensionId(absolutePath: string): string {
  const hex = createHash('sha256').update(absolutePath).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode('a'.charCodeAt(0) + parseInt(c, 16))).join('');
}

/** The folders and the file this test created, so it removes only those. */
const created = { dirs: [] as string[], file: null as string | null, extensionCopy: null as string | null };

function writePolicy(extensionId: string, policy: Record<string, unknown>): void {
  for (const dir of [POLICY_ROOT, POLICY_DIR]) {
    if (!existsSync(dir)) {
      mkdirSync(dir);
      created.dirs.push(dir);
    }
  }
  created.file ??= join(POLICY_DIR, `ordinanza-e2e-${process.pid}-${Date.now().toString(36)}.json`);
  writeFileSync(created.file, JSON.stringify({ '3rdparty': { extensions: { [extensionId]: policy } } }, null, 2));
}

function cleanUp(): void {
  if (created.file) rmSync(created.file, { force: true });
  created.file = null;
  // Only folders this test made, and only when nothing else was put there meanwhile.
  for (const dir of [...created.dirs].reverse()) {
    if (existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
  }
  created.dirs = [];
  if (created.extensionCopy) rmSync(created.extensionCopy, { recursive: true, force: true });
  created.extensionCopy = null;
}

let server: TestServer;
let extensionDir: string;
let extensionId: string;
let feedUrl: string;

/** Launches Chromium and waits until the worker has read and applied the policy file. */
async function launchWithPolicy(): Promise<ExtBrowser> {
  const e = await launchChromium({ server, extensionDir });
  // The first rules never wait for the policy (managed storage can be slow): the test is about the policy applied.
  const w = await e.worker();
  await w.evaluate(async () => {
    await (globalThis as unknown as { ordinanza: { policyRead: Promise<boolean> } }).ordinanza.policyRead;
  });
  return e;
}

async function openOptions(e: ExtBrowser): Promise<Page> {
  const page = await e.browser.newPage();
  await page.setViewport({ width: 1000, height: 900 });
  await page.goto(`${e.origin}/src/pages/options.html`, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => document.body.dataset['state'] === 'ready', { timeout: 15_000 });
  await page.bringToFront();
  return page;
}

/** A `setSettings` message sent from the extension's own page, as the options page sends it. */
async function setSettingsFrom(page: Page, patch: Record<string, unknown>): Promise<unknown> {
  return page.evaluate((p) => chrome.runtime.sendMessage({ type: 'setSettings', patch: p }), patch);
}

/** The domains of the dynamic rules that block, once an overlay of the last update is written there (src/background/session-overlay.ts). */
async function ruleDomains(e: ExtBrowser): Promise<string[]> {
  const w = await e.worker();
  type Bg = { ordinanza: { engine: { status(s: object): { rules: { sessionOverlay: boolean } } } } };
  await until('the overlay written to the dynamic rules', () => w.evaluate(() => !(globalThis as unknown as Bg).ordinanza.engine.status({}).rules.sessionOverlay), { timeoutMs: 30_000 });
  return w.evaluate(async () =>
    (await chrome.declarativeNetRequest.getDynamicRules())
      .filter((r) => r.action.type !== 'allow')
      .flatMap((r) => r.condition.requestDomains ?? [])
      .sort(),
  );
}

beforeAll(async () => {
  server = await startServer();
  feedUrl = `http://127.0.0.1:${server.port}/IT.json`;
  // No feed is published at the policy's address: the feed, its delta and its signature are "not found".
  server.handler = (req, res) => {
    if (!/^\/IT[.\w-]*\.(json|sig)/.test(req.url ?? '')) return false;
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
    return true;
  };
  created.extensionCopy = realpathSync(mkdtempSync(join(tmpdir(), 'ordinanza-policy-ext-')));
  extensionDir = created.extensionCopy;
  cpSync(CHROME_DIST, extensionDir, { recursive: true });
  extensionId = unpackedExtensionId(extensionDir);
  // Also on an abrupt end of the test process: never leave a policy file behind.
  process.once('exit', cleanUp);
});

afterAll(async () => {
  cleanUp();
  await server?.close();
});

describe('a locked policy', () => {
  let ext: ExtBrowser | undefined;
  let options: Page;

  beforeAll(async () => {
    writePolicy(extensionId, { locked: true, feedUrls: { IT: feedUrl }, syncIntervalMinutes: 120, categories: { IT: { tobacco: false } } });
    ext = await launchWithPolicy();
    options = await openOptions(ext);
  });

  afterAll(async () => {
    await ext?.close();
    if (created.file) rmSync(created.file, { force: true });
  });

  it('reaches the extension: the id is the one computed from the path, and managed storage holds the policy', async () => {
    expect(ext?.extensionId).toBe(extensionId);
    const w = await ext!.worker();
    expect(await w.evaluate(() => chrome.storage.managed.get())).toEqual({
      locked: true,
      feedUrls: { IT: feedUrl },
      syncIntervalMinutes: 120,
      categories: { IT: { tobacco: false } },
    });
  });

  it('the extension syncs from the policy’s feed address, and the status shows the failed attempt', async () => {
    await options.waitForFunction(() => /did not provide the list/.test(document.getElementById('sync-status')?.textContent ?? ''), { timeout: 20_000 });
    expect(server.requests.filter((r) => r === '127.0.0.1 /IT.json').length).toBeGreaterThanOrEqual(1);
    const status = await options.$eval('#sync-status', (el) => (el as HTMLElement).innerText);
    expect(status).toContain('The last attempt');
    expect(status).toContain('the server did not provide the list');
    expect(await options.$eval('#sync-status details code', (el) => el.textContent)).toContain('HTTP 404');
  });

  it('the options page shows every setting disabled under a notice, with the policy’s values', async () => {
    const state = await options.evaluate(() => ({
      notice: document.getElementById('policy-notice')?.hidden === false ? document.getElementById('policy-notice')?.innerText : null,
      enabledControls: [...document.querySelectorAll<HTMLInputElement | HTMLButtonElement>('#enforce-section input, #sync-form input, #save-sync')].filter((c) => !c.disabled).map((c) => c.id),
      feed: (document.getElementById('feed-IT') as HTMLInputElement).value,
      interval: (document.getElementById('sync-interval') as HTMLInputElement).value,
      tobacco: (document.getElementById('c-IT-tobacco') as HTMLInputElement).checked,
      italy: (document.getElementById('j-IT') as HTMLInputElement).checked,
      tags: document.querySelectorAll('.managed-tag').length,
      searchEnabled: !(document.getElementById('search-input') as HTMLInputElement).disabled,
    }));
    expect(state.notice).toBe('These settings are set by your organisation and cannot be changed here.');
    expect(state.enabledControls).toEqual([]);
    expect(state).toMatchObject({ feed: feedUrl, interval: '120', tobacco: false, italy: true, searchEnabled: true });
    // Locked: one notice says it, rather than a tag on every control.
    expect(state.tags).toBe(0);
    await screenshot(options, 'options-policy-locked-en');
  });

  it('the toggles cannot change the rules, and the background refuses setSettings', async () => {
    const before = await ruleDomains(ext!);
    expect(before).toContain('kickasstorrents.to');
    await options.click('#j-IT').catch(() => undefined);
    await options.focus('#c-IT-copyright').catch(() => undefined);
    await options.keyboard.press('Space');
    expect(await options.$eval('#j-IT', (el) => (el as HTMLInputElement).checked)).toBe(true);
    for (const patch of [{ jurisdictions: { IT: false } }, { categories: { IT: { copyright: false } } }, { blockSubresources: false }, { feedUrls: {} }]) {
      expect(await setSettingsFrom(options, patch)).toEqual({ ok: false, code: 'locked', error: 'settings are locked by your organisation' });
    }
    expect(await ruleDomains(ext!)).toEqual(before);
    const site = await ext!.browser.newPage();
    expect((await visit(site, 'http://kickasstorrents.to/')).outcome).toBe('blocked');
    await site.close();
  });
});

describe('a policy that sets some keys, not locked', () => {
  let ext: ExtBrowser | undefined;
  let options: Page;

  beforeAll(async () => {
    // Mistakes: a number out of range, a value of another type (dataMaxAgeMonths), one bad feed URL
    // and one bad key beside good ones; and a key with no control on the page (fetchTimeoutSeconds).
    writePolicy(extensionId, {
      categories: { IT: { gambling: false } },
      blockSubresources: true,
      syncIntervalMinutes: 1,
      dataMaxAgeMonths: 'soon',
      fetchTimeoutSeconds: 45,
      feedUrls: { IT: feedUrl, AT: 'http://intranet.example/AT.json' },
      trustedKeys: [
        { alg: 'Ed25519', keyId: '0123456789abcdef', publicKey: 'AAAA' },
        { alg: 'RSA', keyId: 'x', publicKey: '' },
      ],
    });
    ext = await launchWithPolicy();
    options = await openOptions(ext);
  });

  afterAll(async () => {
    await ext?.close();
    cleanUp();
  });

  it('Chromium drops a value of another type than managed_schema.json says; the extension lists each bad entry of the others as ignored', async () => {
    const w = await ext!.worker();
    // The schema checks types only: one bad entry of a map or list would make Chromium drop the whole key.
    const managedRaw = (await w.evaluate(() => chrome.storage.managed.get())) as Record<string, unknown>;
    expect(Object.keys(managedRaw).sort()).toEqual(['blockSubresources', 'categories', 'feedUrls', 'fetchTimeoutSeconds', 'syncIntervalMinutes', 'trustedKeys']);
    const ignored = await options.$$eval('#policy-notice details li', (li) => li.map((e) => e.textContent ?? ''));
    expect(ignored.map((e) => e.replace(/ ignored: .*/, ''))).toEqual(['policy key "feedUrls.AT"', 'policy key "syncIntervalMinutes"', 'policy key "trustedKeys[1]"']);
    // The good entries beside them apply.
    expect(await options.$eval('#feed-IT', (el) => [(el as HTMLInputElement).value, (el as HTMLInputElement).disabled])).toEqual([feedUrl, true]);
  });

  it('says the value of a key the page has no control for', async () => {
    const text = await options.$eval('#policy-notice', (e) => (e as HTMLElement).innerText);
    expect(text).toContain('Also set by your organisation (no control on this page):');
    expect(await options.$$eval('#policy-other-keys li', (li) => li.map((e) => e.textContent))).toEqual([
      'Wait allowed for the server: 45 s (a whole download may take up to 20 times as long)',
      'Keys whose signed lists are accepted, besides Ordinanza’s: 0123456789abcdef',
    ]);
  });

  it('shows only the keys the policy sets as disabled; the others still work', async () => {
    const state = await options.evaluate(() => ({
      notice: document.getElementById('policy-notice')?.innerText,
      disabled: [...document.querySelectorAll<HTMLInputElement>('#enforce-section input, #sync-form input')].filter((c) => c.disabled).map((c) => c.id),
      gambling: (document.getElementById('c-IT-gambling') as HTMLInputElement).checked,
      tagged: [...document.querySelectorAll('.managed-tag')].map((t) => t.closest('label')?.querySelector('input')?.id ?? t.closest('label')?.htmlFor),
    }));
    expect(state.notice?.split('\n')[0]).toBe('Some settings are set by your organisation: they are shown but cannot be changed here.');
    expect(state.disabled.sort()).toEqual(['block-subresources', 'c-IT-gambling', 'feed-IT']);
    expect(state.gambling).toBe(false);
    expect(state.tagged.sort()).toEqual(['block-subresources', 'c-IT-gambling', 'feed-IT']);
    const domains = await ruleDomains(ext!);
    expect(domains).not.toContain(GAMBLING);
    expect(domains).toContain('kickasstorrents.to');

    // A key the policy does not set: saved and applied.
    await options.click('#c-IT-tobacco');
    await options.waitForFunction(() => (document.getElementById('saved')?.textContent ?? '').startsWith('Saved'));
    expect(await options.$eval('#c-IT-tobacco', (el) => (el as HTMLInputElement).checked)).toBe(false);
    // Keys the policy sets: refused, whole or per category.
    expect(await setSettingsFrom(options, { categories: { IT: { gambling: true } } })).toEqual({
      ok: false,
      code: 'managed',
      error: 'set by your organisation: categories.IT.gambling',
    });
    expect(await setSettingsFrom(options, { blockSubresources: false })).toEqual({
      ok: false,
      code: 'managed',
      error: 'set by your organisation: blockSubresources',
    });
    expect(await setSettingsFrom(options, { categories: { IT: { tobacco: true } } })).toEqual({ ok: true });
    await screenshot(options, 'options-policy-partial-en');
  });

  it('a policy changed while Chromium runs applies at once (chrome://policy → Reload policies): gambling enforced again', async () => {
    writePolicy(extensionId, { categories: { IT: { gambling: true } }, blockSubresources: true });
    const page = await ext!.browser.newPage();
    await page.goto('chrome://policy');
    // The page's own "Reload policies" button.
    await page.evaluate(() => (globalThis as unknown as { chrome: { send(m: string): void } }).chrome.send('reloadPolicies'));
    await page.close();
    await until('the gambling site in the rules again', async () => (await ruleDomains(ext!)).includes(GAMBLING), { timeoutMs: 30_000 });
    const w = await ext!.worker();
    expect(await w.evaluate(() => chrome.storage.managed.get())).toEqual({ categories: { IT: { gambling: true } }, blockSubresources: true });
  });
});
