// The syncer against a scripted server (fetch stubbed) and a stand-in engine: delta fallback,
// signature URLs with a query, redirects, and serial lines across keys and URLs.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Engine, FeedChange, FeedProvenance } from '../../src/background/engine.ts';
import { Syncer, type SyncTarget } from '../../src/background/sync.ts';
import { serializeFeed, type Feed } from '../../src/core/feed.ts';
import type { SyncState } from '../../src/core/messages.ts';
import { loadFeed } from '../../src/core/selection.ts';
import { encodeUtf8, generateKeyPair, serializeSignature, sign, type PrivateKeyFile, type PublicKeyFile } from '../../src/core/signature.ts';
import { makeDelta, type FeedOrigin } from '../../src/core/sync.ts';

const stored = vi.hoisted(() => ({ writes: [] as unknown[], failNext: false }));
vi.mock('../../src/platform/browser.ts', () => ({
  alarms: { create: async () => undefined, clear: async () => true, get: async () => undefined },
  storage: {
    local: {
      set: async (v: unknown) => {
        if (stored.failNext) {
          stored.failNext = false;
          throw new Error('storage failed');
        }
        stored.writes.push(structuredClone(v));
      },
    },
  },
}));

const DAY = 86_400_000;
const iso = (t: number): string => new Date(t).toISOString().replace(/\.\d+Z$/, 'Z');

function feed(serial: number, hosts: string[] = ['a.example', 'b.example']): Feed {
  return {
    format: 2,
    jurisdiction: 'IT',
    serial,
    generated: iso(Date.now() - DAY),
    expires: iso(Date.now() + 30 * DAY),
    authorities: { A: { name: { it: 'A' } } },
    orders: { X: { authority: 'A', category: 'copyright', act: { kind: 'register' }, sources: [{ url: 'https://example.org/x' }] } },
    editions: { e1: { source: 's1' } },
    entries: [{ listings: [{ order: 'X', edition: 'e1' }], hosts: [...hosts].sort() }],
  };
}

type Reply = { status: number; body?: string; url?: string };
let routes = new Map<string, Reply>();
let fetched: string[] = [];

function stubFetch(): void {
  vi.stubGlobal('fetch', async (input: string) => {
    fetched.push(input);
    const r = routes.get(input) ?? { status: 404 };
    const res = new Response(r.status === 304 ? null : (r.body ?? ''), { status: r.status });
    if (r.url) Object.defineProperty(res, 'url', { value: r.url });
    return res;
  });
}

async function serve(url: string, body: string, key: PrivateKeyFile | null, sigUrl = `${url}.sig`): Promise<void> {
  routes.set(url, { status: 200, body });
  if (key) routes.set(sigUrl, { status: 200, body: serializeSignature(await sign(encodeUtf8(body), key)) });
}

class FakeEngine implements SyncTarget {
  current: { feed: Feed; origin: FeedOrigin };
  installs: { serial: number; provenance: FeedProvenance }[] = [];
  settings: { syncIntervalMinutes: number; fetchTimeoutSeconds: number; feedUrls: Record<string, string>; allTrustedKeys: PublicKeyFile[]; releaseKeyIds: string[] };

  constructor(installed: Feed, origin: Omit<FeedOrigin, 'serial'>, url: string, trusted: PublicKeyFile[]) {
    this.current = { feed: installed, origin: { ...origin, serial: installed.serial } };
    this.settings = { syncIntervalMinutes: 60, fetchTimeoutSeconds: 5, feedUrls: { IT: url }, allTrustedKeys: trusted, releaseKeyIds: [] };
  }
  installed(): ReturnType<Engine['installed']> {
    return { ...loadFeed(this.current.feed), source: this.current.origin.source };
  }
  origin(): FeedOrigin {
    return this.current.origin;
  }
  /** Runs when the install's turn comes, before the syncer's last check: what changed while it waited. */
  beforeInstall: (() => void) | null = null;
  async installFeed(f: Feed, source: 'remote', provenance: FeedProvenance, stillWanted?: () => void): Promise<FeedChange> {
    this.beforeInstall?.();
    stillWanted?.();
    this.installs.push({ serial: f.serial, provenance });
    const fromSerial = this.current.feed.serial;
    this.current = { feed: f, origin: { source, serial: f.serial, url: provenance.url ?? null, keyId: provenance.keyId ?? null } };
    return { fromSerial, toSerial: f.serial, added: 0, removed: 0, addedSample: [], removedSample: [] };
  }
}

const syncers = new WeakMap<FakeEngine, Syncer>();

async function run(engine: FakeEngine): Promise<SyncState> {
  // One syncer per engine, as in a worker: its state carries from one run to the next.
  const syncer = syncers.get(engine) ?? new Syncer(engine);
  syncers.set(engine, syncer);
  await syncer.syncAll();
  const s = syncer.states['IT'];
  if (!s) throw new Error('no sync state');
  return s;
}

let oldKey: { privateKey: PrivateKeyFile; publicKey: PublicKeyFile };
let newKey: { privateKey: PrivateKeyFile; publicKey: PublicKeyFile };
let strangerKey: { privateKey: PrivateKeyFile; publicKey: PublicKeyFile };

beforeAll(async () => {
  [oldKey, newKey, strangerKey] = await Promise.all([generateKeyPair(), generateKeyPair(), generateKeyPair()]);
});

afterEach(() => {
  vi.unstubAllGlobals();
  routes = new Map();
  fetched = [];
});

const URL_A = 'https://feeds.example/IT.json';
const DELTA_A = 'https://feeds.example/IT.delta-10.json';

describe('delta fallback', () => {
  const v10 = feed(10);
  const v11 = feed(11, ['a.example', 'c.example']);

  async function engineAt10(): Promise<FakeEngine> {
    stubFetch();
    await serve(URL_A, serializeFeed(v11), oldKey.privateKey);
    return new FakeEngine(v10, { source: 'remote', url: URL_A, keyId: oldKey.publicKey.keyId }, URL_A, [oldKey.publicKey]);
  }

  it('a good delta is installed, with no fallback', async () => {
    const e = await engineAt10();
    await serve(DELTA_A, JSON.stringify(await makeDelta(v10, v11)), oldKey.privateKey);
    const s = await run(e);
    expect(s.lastOutcome).toBe('installed-delta');
    expect(s.deltaFallback).toBeNull();
    expect(e.installs).toEqual([{ serial: 11, provenance: { keyId: oldKey.publicKey.keyId, url: URL_A } }]);
    expect(fetched).not.toContain(URL_A);
  });

  it.each<[string, (delta: string) => Promise<void>, string]>([
    ['no delta for the serial (404)', async () => undefined, 'http-status'],
    ['a delta without its .sig', async (d) => serve(DELTA_A, d, null), 'malformed-signature'],
    ['a delta signed by an untrusted key', async (d) => serve(DELTA_A, d, strangerKey.privateKey), 'unknown-key'],
    [
      'a delta whose signature does not match',
      async (d) => {
        await serve(DELTA_A, d, oldKey.privateKey);
        routes.set(DELTA_A, { status: 200, body: `${d} ` });
      },
      'bad-signature',
    ],
    ['a delta that is not JSON', async (d) => serve(DELTA_A, d.slice(0, 40), oldKey.privateKey), 'invalid-feed'],
    ['a delta that does not apply', async (d) => serve(DELTA_A, JSON.stringify({ ...(JSON.parse(d) as object), sha256: '0'.repeat(64) }), oldKey.privateKey), 'invalid-feed'],
    ['a delta the server fails on', async () => void routes.set(DELTA_A, { status: 500 }), 'http-status'],
    [
      'a delta whose .sig is a large page (a server answering missing files with 200)',
      async (d) => {
        routes.set(DELTA_A, { status: 200, body: d });
        routes.set(`${DELTA_A}.sig`, { status: 200, body: `<html>${'x'.repeat(70_000)}</html>` });
      },
      'oversized',
    ],
  ])('%s: the full feed is installed in the same sync', async (_name, arrange, reason) => {
    const e = await engineAt10();
    await arrange(JSON.stringify(await makeDelta(v10, v11)));
    const s = await run(e);
    expect(s.lastError).toBeNull();
    expect(s.lastOutcome).toBe('installed');
    expect(s.deltaFallback?.reason).toBe(reason);
    expect(e.installs.map((i) => i.serial)).toEqual([11]);
    expect(fetched).toContain(URL_A);
  });

  it('a fallback is recorded even when the full feed then fails', async () => {
    const e = await engineAt10();
    routes.delete(`${URL_A}.sig`);
    const s = await run(e);
    expect(s.lastError?.reason).toBe('malformed-signature');
    expect(s.deltaFallback?.reason).toBe('http-status');
    expect(e.installs).toEqual([]);
  });
});

describe('feed URLs with a query, and redirects', () => {
  it('the signature and the delta keep the query string', async () => {
    stubFetch();
    const url = 'https://feeds.example/IT.json?token=1';
    await serve(url, serializeFeed(feed(11)), oldKey.privateKey, 'https://feeds.example/IT.json.sig?token=1');
    const e = new FakeEngine(feed(10), { source: 'remote', url, keyId: oldKey.publicKey.keyId }, url, [oldKey.publicKey]);
    const s = await run(e);
    expect(s.lastError).toBeNull();
    expect(s.lastOutcome).toBe('installed');
    expect(fetched).toEqual(['https://feeds.example/IT.delta-10.json?token=1', 'https://feeds.example/IT.json?token=1', 'https://feeds.example/IT.json.sig?token=1']);
  });

  it.each([
    ['http://feeds.example/IT.json', 'plain http'],
    ['ftp://feeds.example/IT.json', 'ftp:'],
  ])('a redirect to %s is refused and the list stays', async (to, words) => {
    stubFetch();
    await serve(URL_A, serializeFeed(feed(11)), oldKey.privateKey);
    routes.set(URL_A, { ...(routes.get(URL_A) as Reply), url: to });
    const e = new FakeEngine(feed(10), { source: 'remote', url: URL_A, keyId: oldKey.publicKey.keyId }, URL_A, [oldKey.publicKey]);
    const s = await run(e);
    expect(s.lastError?.reason).toBe('bad-redirect');
    expect(s.lastError?.message).toContain(words);
    expect(e.installs).toEqual([]);
  });

  it('a redirect to another https address is followed', async () => {
    stubFetch();
    await serve(URL_A, serializeFeed(feed(11)), oldKey.privateKey);
    routes.set(URL_A, { ...(routes.get(URL_A) as Reply), url: 'https://cdn.example/IT.json' });
    const e = new FakeEngine(feed(10), { source: 'remote', url: URL_A, keyId: oldKey.publicKey.keyId }, URL_A, [oldKey.publicKey]);
    expect((await run(e)).lastOutcome).toBe('installed');
  });
});

describe('serial lines: recovering from a lost or compromised key, and a locked policy`s own feed', () => {
  const HIGH = 9_999_999_999;

  it('the old key still trusted: a lower serial signed by the new key is a rollback', async () => {
    stubFetch();
    await serve(URL_A, serializeFeed(feed(5)), newKey.privateKey);
    const e = new FakeEngine(feed(HIGH), { source: 'remote', url: URL_A, keyId: oldKey.publicKey.keyId }, URL_A, [oldKey.publicKey, newKey.publicKey]);
    expect((await run(e)).lastError?.reason).toBe('rollback');
    expect(e.installs).toEqual([]);
  });

  it('the old key no longer trusted: the new key`s feed replaces the too-high serial', async () => {
    stubFetch();
    await serve(URL_A, serializeFeed(feed(5)), newKey.privateKey);
    const e = new FakeEngine(feed(HIGH), { source: 'remote', url: URL_A, keyId: oldKey.publicKey.keyId }, URL_A, [newKey.publicKey]);
    const s = await run(e);
    expect(s.lastError).toBeNull();
    expect(e.installs).toEqual([{ serial: 5, provenance: { keyId: newKey.publicKey.keyId, url: URL_A } }]);
    // The new line binds from now on.
    await serve(URL_A, serializeFeed(feed(4)), newKey.privateKey);
    expect((await run(e)).lastError?.reason).toBe('rollback');
  });

  it('a policy pointing to its own feed replaces a user`s feed whatever its serial', async () => {
    stubFetch();
    const policyUrl = 'https://policy.example/IT.json';
    await serve(policyUrl, serializeFeed(feed(3)), oldKey.privateKey);
    const e = new FakeEngine(feed(HIGH), { source: 'remote', url: URL_A, keyId: oldKey.publicKey.keyId }, policyUrl, [oldKey.publicKey]);
    expect((await run(e)).lastError).toBeNull();
    expect(e.installs.map((i) => i.serial)).toEqual([3]);
  });

  it('a new line still refuses an expired feed', async () => {
    stubFetch();
    await serve(URL_A, serializeFeed({ ...feed(5), generated: iso(Date.now() - 3 * DAY), expires: iso(Date.now() - DAY) }), newKey.privateKey);
    const e = new FakeEngine(feed(HIGH), { source: 'remote', url: URL_A, keyId: oldKey.publicKey.keyId }, URL_A, [newKey.publicKey]);
    expect((await run(e)).lastError?.reason).toBe('expired');
  });
});

describe('settings that change during a sync', () => {
  const URL_B = 'https://policy.example/IT.json';

  /** A list at serial 10 from URL_A; serial 11 is served there, serial 3 at URL_B. */
  async function atA(): Promise<{ e: FakeEngine; syncer: Syncer }> {
    stubFetch();
    await serve(URL_A, serializeFeed(feed(11)), oldKey.privateKey);
    await serve(URL_B, serializeFeed(feed(3)), oldKey.privateKey);
    const e = new FakeEngine(feed(10), { source: 'remote', url: URL_A, keyId: oldKey.publicKey.keyId }, URL_A, [oldKey.publicKey]);
    return { e, syncer: new Syncer(e) };
  }

  it('a feed address set while a sync runs is fetched once that sync ends, and the old address`s list is not installed', async () => {
    const { e, syncer } = await atA();
    // The policy arrives while the first sync waits for its turn to install.
    e.beforeInstall = () => {
      e.beforeInstall = null;
      e.settings.feedUrls = { IT: URL_B };
      void syncer.syncAll();
    };
    const first = syncer.syncAll();
    await first;
    await vi.waitFor(() => expect(e.installs.map((i) => i.provenance.url)).toEqual([URL_B]));
    expect(e.current.feed.serial).toBe(3);
    expect(fetched).toContain(URL_B);
  });

  it('a list is due for a sync when never tried at its address, or when its retry has come', async () => {
    stubFetch();
    const e = new FakeEngine(feed(10), { source: 'remote', url: URL_A, keyId: oldKey.publicKey.keyId }, URL_A, [oldKey.publicKey]);
    const syncer = new Syncer(e);
    expect(syncer.due('IT', undefined)).toBe(false);
    expect(syncer.due('IT', URL_A)).toBe(true);
    await syncer.syncAll();
    // The attempt failed (nothing served): its retry is a minute away.
    expect(syncer.states['IT']?.lastError?.reason).toBe('http-status');
    expect(syncer.due('IT', URL_A)).toBe(false);
    expect(syncer.due('IT', URL_B)).toBe(true);
  });

  it('the run queued for a new address starts even when the running one fails', async () => {
    const { e, syncer } = await atA();
    let queued: Promise<void> | null = null;
    e.beforeInstall = () => {
      e.beforeInstall = null;
      e.settings.feedUrls = { IT: URL_B };
      queued = syncer.syncAll();
      // The running sync's final write of its states fails: that run rejects.
      stored.failNext = true;
    };
    await expect(syncer.syncAll()).rejects.toThrow('storage failed');
    await queued;
    expect(e.installs.map((i) => i.provenance.url)).toEqual([URL_B]);
  });

  it('a key removed while the list waits to be installed: refused, the installed list kept', async () => {
    stubFetch();
    await serve(URL_A, serializeFeed(feed(11)), newKey.privateKey);
    const e = new FakeEngine(feed(10), { source: 'remote', url: URL_A, keyId: oldKey.publicKey.keyId }, URL_A, [oldKey.publicKey, newKey.publicKey]);
    e.beforeInstall = () => {
      e.settings.allTrustedKeys = [oldKey.publicKey];
    };
    const s = await run(e);
    expect(s.lastError?.reason).toBe('superseded');
    expect(e.installs).toEqual([]);
    expect(e.current.feed.serial).toBe(10);
  });

  it('each list`s state is stored as soon as it is done, not only at the end of the run', async () => {
    stubFetch();
    await serve(URL_A, serializeFeed(feed(11)), oldKey.privateKey);
    const e = new FakeEngine(feed(10), { source: 'remote', url: URL_A, keyId: oldKey.publicKey.keyId }, URL_A, [oldKey.publicKey]);
    e.settings.feedUrls = { IT: URL_A, AT: 'https://feeds.example/AT.json' };
    stored.writes = [];
    await new Syncer(e).syncAll();
    const states = stored.writes.map((w) => Object.keys((w as { sync: object }).sync).sort());
    expect(states).toEqual([['IT'], ['AT', 'IT']]);
  });

  it('an error of the browser while installing is reported as such', async () => {
    stubFetch();
    await serve(URL_A, serializeFeed(feed(11)), oldKey.privateKey);
    const e = new FakeEngine(feed(10), { source: 'remote', url: URL_A, keyId: oldKey.publicKey.keyId }, URL_A, [oldKey.publicKey]);
    e.beforeInstall = () => {
      throw new Error('QuotaExceededError');
    };
    const s = await run(e);
    expect(s.lastError?.reason).toBe('apply-failed');
    expect(s.lastError?.message).toBe('the new list could not be installed (its rules or its storage failed): QuotaExceededError');
    expect(e.current.feed.serial).toBe(10);
  });
});

describe('the full feed: the signature decides before the parse', () => {
  const v10 = feed(10);
  const v11 = feed(11, ['a.example', 'c.example']);
  const cut = serializeFeed(v11).slice(0, 100);

  it.each<[string, () => Promise<void>, string]>([
    [
      'cut short and its signature not matching',
      async () => {
        await serve(URL_A, cut, oldKey.privateKey);
        routes.set(URL_A, { status: 200, body: cut.slice(0, 90) });
      },
      'bad-signature',
    ],
    ['cut short, signed by an untrusted key', async () => serve(URL_A, cut, strangerKey.privateKey), 'unknown-key'],
    ['cut short, without its signature', async () => serve(URL_A, cut, null), 'malformed-signature'],
    ['signed, but not a feed', async () => serve(URL_A, cut, oldKey.privateKey), 'invalid-feed'],
  ])('%s: refused, the installed list kept', async (_name, arrange, reason) => {
    stubFetch();
    await arrange();
    // No delta is served: the full feed is the one tried.
    const e = new FakeEngine(v10, { source: 'remote', url: URL_A, keyId: oldKey.publicKey.keyId }, URL_A, [oldKey.publicKey]);
    const s = await run(e);
    expect(s.lastError?.reason).toBe(reason);
    expect(e.installs).toEqual([]);
    expect(e.current.feed.serial).toBe(10);
  });
});
