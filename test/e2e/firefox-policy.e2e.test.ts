// Managed policy in real Firefox ESR: `policies.json` in the system policy folder, with the
// extension's settings under `3rdparty` → `Extensions` → its id (docs/deploy.md, "Firefox").
//
// A policies.json applies to every Firefox on the machine, so this suite never names the shipped
// add-on: it loads a copy of dist/firefox whose manifest carries an id of its own, and its policy
// names only that id. It writes the file only where none exists, and removes exactly what it
// created (the file, and the folder if it made it and it is empty), whatever happens.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIREFOX_DIST, FIREFOX_UUID, launchExtension, screenshot, startServer, visit, type Extension, type TestServer } from './harness.ts';
import { openOptions } from './options-support.ts';

/** Firefox on Linux reads system policies here (Debian's ESR too: /etc/firefox-esr/policies is not read, measured). */
const POLICY_DIR = '/etc/firefox/policies';
const POLICY_FILE = join(POLICY_DIR, 'policies.json');
const ADDON_ID = `ordinanza-policy-e2e-${process.pid}@ordinanza.eu`;

const created = { dirs: [] as string[], file: false, copy: null as string | null };

function cleanUp(): void {
  if (created.file) rmSync(POLICY_FILE, { force: true });
  created.file = false;
  // Only folders this suite made, deepest first, and only when nothing else was put there meanwhile.
  for (const dir of created.dirs.reverse()) if (existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
  created.dirs = [];
  if (created.copy) rmSync(created.copy, { recursive: true, force: true });
  created.copy = null;
}

function writePolicy(settings: Record<string, unknown>): void {
  if (!created.file && existsSync(POLICY_FILE)) throw new Error(`${POLICY_FILE} already exists: this suite does not overwrite a policy it did not write`);
  for (const dir of [dirname(POLICY_DIR), POLICY_DIR]) {
    if (existsSync(dir)) continue;
    mkdirSync(dir);
    created.dirs.push(dir);
  }
  created.file = true;
  writeFileSync(POLICY_FILE, JSON.stringify({ policies: { '3rdparty': { Extensions: { [ADDON_ID]: settings } } } }, null, 2));
}

let server: TestServer;
let copy: string;

beforeAll(async () => {
  server = await startServer();
  // No feed is published at the policy's address: the feed, its delta and its signature are "not found".
  server.handler = (req, res) => {
    // Firefox asks its proxy (the server) for absolute URLs.
    if (!/^\/IT[.\w-]*\.(json|sig)/.test(new URL(req.url ?? '/', 'http://127.0.0.1').pathname)) return false;
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
    return true;
  };
  copy = realpathSync(mkdtempSync(join(tmpdir(), 'ordinanza-firefox-policy-ext-')));
  created.copy = copy;
  cpSync(FIREFOX_DIST, copy, { recursive: true });
  const manifestPath = join(copy, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { browser_specific_settings: { gecko: { id: string } } };
  manifest.browser_specific_settings.gecko.id = ADDON_ID;
  writeFileSync(manifestPath, JSON.stringify(manifest));
  process.once('exit', cleanUp);
});

afterAll(async () => {
  cleanUp();
  await server?.close();
});

describe('[firefox] a locked policy in policies.json', () => {
  let ext: Extension | undefined;

  beforeAll(async () => {
    writePolicy({
      locked: true,
      feedUrls: { IT: `http://127.0.0.1:${server.port}/IT.json` },
      categories: { IT: { gambling: false } },
      fetchTimeoutSeconds: 20,
      syncIntervalMinutes: 2,
    });
    ext = await launchExtension('firefox', { server, extensionDir: copy, firefoxPrefs: { 'extensions.webextensions.uuids': JSON.stringify({ [ADDON_ID]: FIREFOX_UUID }) } });
  });

  afterAll(async () => {
    await ext?.close();
  });

  it('reaches the add-on under 3rdparty → Extensions → its id: managed storage holds it, the rules follow it', async () => {
    const managed = await ext!.evaluateInExtension(() => chrome.storage.managed.get());
    expect(managed).toEqual({
      locked: true,
      feedUrls: { IT: `http://127.0.0.1:${server.port}/IT.json` },
      categories: { IT: { gambling: false } },
      fetchTimeoutSeconds: 20,
      syncIntervalMinutes: 2,
    });
    const page = await ext!.browser.newPage();
    expect((await visit(page, 'http://kickasstorrents.to/')).outcome).toBe('blocked');
    // A gambling site the policy turns off: loads.
    expect((await visit(page, 'http://1-casinosenligne.com/')).outcome).toBe('loaded');
  });

  it('the options page shows the lock, the policy`s values and the out-of-range one it ignored', async () => {
    const options = await openOptions(ext!);
    const state = await options.evaluate(() => ({
      notice: document.getElementById('policy-notice')?.textContent ?? '',
      enabled: [...document.querySelectorAll<HTMLInputElement>('#enforce-section input, #sync-form input')].filter((c) => !c.disabled).map((c) => c.id),
      gambling: (document.getElementById('c-IT-gambling') as HTMLInputElement | null)?.checked,
    }));
    expect(state.notice).toContain('These settings are set by your organisation and cannot be changed here');
    expect(state.notice).toContain('Wait allowed for the server: 20 s');
    // Firefox does not check managed_schema.json: the extension reports the value itself.
    expect(state.notice).toContain('policy key "syncIntervalMinutes" ignored');
    expect(state.enabled).toEqual([]);
    expect(state.gambling).toBe(false);
    await options.waitForFunction(() => /did not provide the list/.test(document.getElementById('sync-status')?.textContent ?? ''), { timeout: 30_000 });
    await screenshot(options, 'options-policy-locked-firefox');
    expect(await options.evaluate(() => chrome.runtime.sendMessage({ type: 'setSettings', patch: { categories: { IT: { gambling: true } } } }))).toEqual({
      ok: false,
      code: 'locked',
      error: 'settings are locked by your organisation',
    });
  });
});
