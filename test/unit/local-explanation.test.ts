// The block page's own explanation (src/pages/local-explanation.ts), read from what the background
// stored, on the in-memory platform: it must say what the background says, or nothing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Engine } from '../../src/background/engine.ts';
import { loadStored } from '../../src/background/settings.ts';
import { parseFeed, type Feed } from '../../src/core/feed.ts';
import { explainFromStorage } from '../../src/pages/local-explanation.ts';
import { FakePlatform, platform } from '../support/fake-platform.ts';
import { generatedHosts } from '../support/generated-hosts.ts';
import { REPO_ROOT } from '../support/paths.ts';

vi.mock('../../src/platform/browser.ts', async () => (await import('../support/fake-platform.ts')).platform.current.browserModule());
vi.mock('../../src/platform/idb.ts', async () => (await import('../support/fake-platform.ts')).platform.current.idbModule());
// The page reaches storage.local and the version through extension-api.ts (browser.ts's same calls).
vi.mock('../../src/platform/extension-api.ts', async () => {
  const b = (await import('../support/fake-platform.ts')).platform.current.browserModule() as {
    storage: { local: unknown };
    runtime: { version: unknown; sendMessage: unknown };
    extensionUrl: unknown;
    message: unknown;
  };
  return { storageLocal: b.storage.local, extensionVersion: b.runtime.version, sendMessage: b.runtime.sendMessage, extensionUrl: b.extensionUrl, message: b.message };
});

let fake: FakePlatform;

beforeEach(() => {
  fake = platform.current;
  Object.assign(fake, new FakePlatform());
  fake.stubFetch();
});

async function start(): Promise<Engine> {
  const e = new Engine();
  await e.init(await loadStored());
  await e.loadOthers();
  return e;
}

function embeddedFeed(code = 'IT'): Feed {
  const r = parseFeed(new Uint8Array(readFileSync(join(REPO_ROOT, `extension/feeds/${code}.json`))));
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.feed;
}

const INPUTS = ['kickasstorrents.to', 'https://www.1-casinosenligne.com/x?y', 'WWW.Kickasstorrents.To', 'example.org', 'not a host', ''];

describe('explanation from storage', () => {
  it('says what the background says, for listed, covered and unlisted hosts', async () => {
    const engine = await start();
    for (const input of INPUTS) {
      const local = await explainFromStorage(input);
      if (engine.lookup(input).host === null) expect(local).toBeNull();
      else expect({ input, ex: local }).toEqual({ input, ex: engine.lookup(input) });
    }
  });

  it('follows the settings the background follows (a jurisdiction switched on)', async () => {
    const engine = await start();
    const r = await engine.updateSettings({ jurisdictions: { IT: true, DE: true } });
    expect(r.ok).toBe(true);
    const de = embeddedFeed('DE').entries[0]?.hosts[0] as string;
    expect(await explainFromStorage(de)).toEqual(engine.lookup(de));
    expect((await explainFromStorage(de))?.blocked).toBe(true);
  });

  it('reads a feed installed from a URL', async () => {
    const engine = await start();
    const f = embeddedFeed();
    await engine.installFeed({ ...f, serial: f.serial + 1, entries: f.entries.slice(1) }, 'remote', { keyId: null, url: 'https://example.org/IT.json' });
    for (const input of INPUTS.slice(0, 4)) if (engine.lookup(input).host) expect(await explainFromStorage(input)).toEqual(engine.lookup(input));
  });

  it('reads a large index by ranges, a small one whole: the same answers', async () => {
    const engine = await start();
    const f = embeddedFeed();
    const extra = generatedHosts(40_000, { avoid: new Set(f.entries.flatMap((g) => g.hosts)) }).sort();
    const edition = Object.keys(f.editions)[0] as string;
    const order = Object.keys(f.orders)[0] as string;
    await engine.installFeed({ ...f, serial: f.serial + 1, entries: [...f.entries, { listings: [{ order, edition }], hosts: extra }] }, 'remote', { keyId: null, url: 'https://example.org/IT.json' });
    // The page reads indexes above 512 KB by ranges (local-explanation.ts): this one is, DE's is read whole.
    expect((fake.idb.get('feed:IT') as { index: Blob }).index.size).toBeGreaterThan(512 * 1024);
    expect((fake.idb.get('feed:DE') as { index: Blob }).index.size).toBeLessThan(512 * 1024);
    for (const input of [...INPUTS.slice(0, 4), extra[123] as string, `www.${extra[4567]}`]) expect(await explainFromStorage(input)).toEqual(engine.lookup(input));
  });

  it('answers nothing where only the background can tell', async () => {
    await start();
    // A new extension version: the embedded feeds may replace the stored ones at the next start.
    fake.version = '9.9.9';
    expect(await explainFromStorage('kickasstorrents.to')).toBeNull();
  });

  it('answers nothing for a stored feed signed by a key no longer trusted (the background sets it aside)', async () => {
    const engine = await start();
    const f = embeddedFeed();
    await engine.installFeed({ ...f, serial: f.serial + 1 }, 'remote', { keyId: 'feedfacefeedface', url: 'https://example.org/IT.json' });
    expect(await explainFromStorage('kickasstorrents.to')).toBeNull();
  });

  it('answers nothing before the background has stored anything', async () => {
    expect(await explainFromStorage('kickasstorrents.to')).toBeNull();
  });
});
