// The background engine on the in-memory platform (test/support/fake-platform.ts): first rules, the
// policy arriving late, worker restarts, the order of writes and recovery from a failure at each step.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Engine } from '../../src/background/engine.ts';
import { loadStored } from '../../src/background/settings.ts';
import { NO_SYNC_YET } from '../../src/background/sync.ts';
import type { Feed } from '../../src/core/feed.ts';
import { embeddedItalianFeed, freshPlatform, startEngine } from '../support/engine-setup.ts';
import type { FakePlatform } from '../support/fake-platform.ts';

vi.mock('../../src/platform/browser.ts', async () => (await import('../support/fake-platform.ts')).platform.current.browserModule());
vi.mock('../../src/platform/idb.ts', async () => (await import('../support/fake-platform.ts')).platform.current.idbModule());

const GAMBLING = '1-casinosenligne.com';
const COURT = 'kickasstorrents.to';

const embeddedFeed = embeddedItalianFeed;

/** The embedded feed one serial later, without `gone`. */
function nextFeed(gone: string): Feed {
  const f = embeddedFeed();
  return { ...f, serial: f.serial + 1, entries: f.entries.map((g) => ({ ...g, hosts: g.hosts.filter((h) => h !== gone) })).filter((g) => g.hosts.length > 0) };
}

let fake: FakePlatform;

const start = startEngine;

beforeEach(async () => {
  fake = await freshPlatform();
});

describe('first start', () => {
  it('installs the enabled lists first; the lists that are off are loaded after, without a rule change', async () => {
    const engine = new Engine();
    await engine.init(await loadStored());
    expect(fake.blocks(COURT)).toBe(true);
    expect(engine.status({}).feeds.map((f) => f.jurisdiction)).toEqual(['IT']);
    const writes = fake.writes.length;
    await engine.loadOthers();
    expect(
      engine
        .status({})
        .feeds.map((f) => f.jurisdiction)
        .sort(),
    ).toEqual(['CH', 'CZ', 'DE', 'IT']);
    expect(fake.writes.slice(writes).filter((w) => w === 'dnr' || w === 'local:applied')).toEqual([]);
  });

  it('installs the embedded list while managed storage does not answer, and explains without it', async () => {
    fake.managedAnswers = false;
    const engine = await start();
    expect(fake.blocks(COURT)).toBe(true);
    expect(fake.blocks(`www.${GAMBLING}`)).toBe(true);
    expect(fake.blocks('example.org')).toBe(false);
    expect(engine.policyOrigin).toBe('none');
    expect(engine.lookup(COURT).matches.length).toBeGreaterThan(0);
  });

  it('stores the embedded feed only after its rules are in', async () => {
    await start();
    const dnr = fake.writes.indexOf('dnr');
    expect(dnr).toBeGreaterThanOrEqual(0);
    expect(fake.writes.indexOf('idb:feed:IT')).toBeGreaterThan(dnr);
  });
});

describe('the policy arriving late', () => {
  it('narrows enforcement when it arrives, and widens it again when it changes', async () => {
    fake.managedAnswers = false;
    const engine = await start();
    expect(fake.blocks(GAMBLING)).toBe(true);
    expect(await engine.applyPolicy({ categories: { IT: { gambling: false } } })).toBe(false);
    expect(fake.blocks(GAMBLING)).toBe(false);
    expect(fake.blocks(COURT)).toBe(true);
    expect(engine.policyOrigin).toBe('live');
    await engine.applyPolicy({});
    expect(fake.blocks(GAMBLING)).toBe(true);
  });

  it('is cached: the next worker start enforces it before managed storage answers', async () => {
    const first = await start();
    await first.applyPolicy({ categories: { IT: { gambling: false } } });
    fake.managedAnswers = false;
    const engine = await start();
    expect(engine.policyOrigin).toBe('cached');
    expect(fake.blocks(GAMBLING)).toBe(false);
    expect(engine.lookup(GAMBLING).matches.length).toBeGreaterThan(0);
  });

  it('says a sync is due when it brings a feed address or another interval, not otherwise', async () => {
    const engine = await start();
    expect(await engine.applyPolicy({ locked: true })).toBe(false);
    expect(await engine.applyPolicy({ locked: true })).toBe(false);
    expect(await engine.applyPolicy({ feedUrls: { IT: 'https://feeds.example/IT.json' } })).toBe(true);
    expect(engine.settings.feedUrls['IT']).toBe('https://feeds.example/IT.json');
    expect(await engine.applyPolicy({ feedUrls: { IT: 'https://feeds.example/IT.json' }, syncIntervalMinutes: 120 })).toBe(true);
  });

  it('a feed address for a code with no list shows in the status until its list is installed', async () => {
    const engine = await start();
    await engine.applyPolicy({ feedUrls: { AT: 'https://lists.example.org/AT.json', IT: 'https://lists.example.org/IT.json' } });
    const status = engine.status({ AT: { ...NO_SYNC_YET, url: 'https://lists.example.org/AT.json', failures: 1 } });
    expect(status.awaiting).toEqual([{ jurisdiction: 'AT', feedUrl: 'https://lists.example.org/AT.json', sync: expect.objectContaining({ failures: 1 }), setAside: null }]);
    expect(status.feeds.find((f) => f.jurisdiction === 'IT')?.feedUrl).toBe('https://lists.example.org/IT.json');
  });

  it('a list of a code with no embedded list, set aside: shown with why, as no list applies', async () => {
    const ORG = { alg: 'Ed25519' as const, keyId: '0123456789abcdef', publicKey: 'AAAA' };
    const engine = await start();
    await engine.applyPolicy({ trustedKeys: [ORG] });
    await engine.installFeed({ ...embeddedFeed(), jurisdiction: 'AT', serial: 5 }, 'remote', { keyId: ORG.keyId, url: 'https://lists.example.org/AT.json' });
    expect(engine.installed('AT')).toBeDefined();
    await engine.applyPolicy({});
    expect(engine.installed('AT')).toBeUndefined();
    expect(engine.status({}).awaiting).toEqual([{ jurisdiction: 'AT', feedUrl: null, sync: null, setAside: expect.objectContaining({ serial: 5, keyId: ORG.keyId }) }]);
  });

  it('a user change is refused for a key the late policy sets', async () => {
    const engine = await start();
    await engine.applyPolicy({ categories: { IT: { gambling: true } } });
    const r = await engine.updateSettings({ categories: { IT: { gambling: false } } });
    expect(r.ok).toBe(false);
    expect(await engine.updateSettings({ blockSubresources: false })).toEqual({ ok: true, syncDue: false });
    expect(await engine.updateSettings({ feedUrls: { IT: 'https://feeds.example/IT.json' } })).toEqual({ ok: true, syncDue: true });
    expect(fake.blocks(GAMBLING)).toBe(true);
  });
});

describe('installing a feed', () => {
  it('writes in order: applied cleared, rules, with the feed stored beside them; applied record; then the overlay to the dynamic rules', async () => {
    const engine = await start();
    fake.writes = [];
    const change = await engine.installFeed(nextFeed(GAMBLING), 'remote');
    expect(change.removed).toBe(1);
    // The overlay goes to the session rules after the record is cleared; beside them, the feed and the
    // list of codes installed from a URL go in one transaction. Then the copy of the overlay rules,
    // which the record vouches for.
    const update = ['local:applied', 'session', 'idb:feed:IT', 'idb:remote-jurisdictions', 'idb:overlay-rules', 'local:applied'];
    const beside = fake.writes.slice(0, 4);
    expect([...beside].sort()).toEqual([...update.slice(0, 4)].sort());
    expect(beside.indexOf('local:applied')).toBeLessThan(beside.indexOf('session'));
    expect(beside.indexOf('idb:remote-jurisdictions')).toBe(beside.indexOf('idb:feed:IT') + 1);
    expect(fake.writes.slice(4, update.length)).toEqual(update.slice(4));
    expect(fake.local.get('applied')).toMatchObject({ sessionOverlay: true });
    expect(fake.blocks(GAMBLING)).toBe(false);
    // After the pause: the copy of the feed the base rules were compiled from (engine-base.test.ts),
    // then the overlay is written to the dynamic rules, the session's emptied, and the record says so.
    await engine.settled();
    expect(fake.writes.slice(update.length)).toEqual(['idb:base:IT', 'dnr', 'session', 'local:applied']);
    expect(fake.local.get('applied')).toMatchObject({ sessionOverlay: false });
    expect(fake.sessionRules).toEqual([]);
    expect(fake.blocks(GAMBLING)).toBe(false);
  });

  it('the browser refusing the rules leaves the old rules and the old feed', async () => {
    const engine = await start();
    const before = structuredClone(fake.rules);
    fake.writes = [];
    fake.failNextDnr = 'Dynamic rule count exceeded.';
    await expect(engine.installFeed(nextFeed(GAMBLING), 'remote')).rejects.toThrow('Dynamic rule count exceeded.');
    expect(fake.rules).toEqual(before);
    expect(engine.installed('IT')?.head.serial).toBe(embeddedFeed().serial);
    expect(engine.lookup(GAMBLING).matches.length).toBeGreaterThan(0);
    // The feed stored beside the refused rules was put back: a restart keeps the old list too.
    expect(fake.writes.filter((w) => w === 'idb:feed:IT')).toHaveLength(2);
    const restarted = await start();
    expect(restarted.installed('IT')?.head.serial).toBe(embeddedFeed().serial);
    expect(fake.blocks(GAMBLING)).toBe(true);
  });

  it('a worker killed after the new feed is stored and before its rules are in comes back with the new feed and its rules', async () => {
    await start();
    // Not one of start()'s engines, which a restart waits for: this one never settles.
    const killed = new Engine();
    await killed.init(await loadStored());
    fake.writes = [];
    fake.stallNextDnr = true;
    void killed.installFeed(nextFeed(GAMBLING), 'remote');
    await vi.waitFor(() => expect(fake.writes).toContain('idb:feed:IT'));
    expect(fake.blocks(GAMBLING)).toBe(true);
    const restarted = await start();
    expect(restarted.installed('IT')?.head.serial).toBe(embeddedFeed().serial + 1);
    expect(fake.blocks(GAMBLING)).toBe(false);
    expect(fake.blocks(COURT)).toBe(true);
  });

  it('the feed failing to be stored after its rules are in: the rules go back to the list kept, in this worker and after a restart', async () => {
    const engine = await start();
    const before = structuredClone(fake.rules);
    fake.failNextIdb = 'QuotaExceededError';
    await expect(engine.installFeed(nextFeed(GAMBLING), 'remote')).rejects.toThrow('QuotaExceededError');
    // The new rules were in for a moment; the list kept is the old one, and so are the rules now.
    expect(engine.installed('IT')?.head.serial).toBe(embeddedFeed().serial);
    expect(fake.blocks(GAMBLING)).toBe(true);
    expect(fake.local.get('applied')).toMatchObject({ fingerprint: expect.stringContaining(`IT@${embeddedFeed().serial}`) });
    expect(engine.status({}).rules.ruleCount).toBeGreaterThan(0);
    const restarted = await start();
    expect(restarted.installed('IT')?.head.serial).toBe(embeddedFeed().serial);
    expect(fake.blocks(GAMBLING)).toBe(true);
    expect(fake.rules.map((r) => r.id).sort()).toEqual(before.map((r) => r.id).sort());
    // The overlay of the update that failed is taken out of the session rules.
    expect(fake.sessionRules).toEqual([]);
  });

  it('the record failing to be written after the list is in force: the install stands, and a restart keeps it', async () => {
    const engine = await start();
    fake.failIdbKey = 'overlay-rules';
    await engine.installFeed(nextFeed(GAMBLING), 'remote');
    expect(engine.installed('IT')?.head.serial).toBe(embeddedFeed().serial + 1);
    expect(fake.blocks(GAMBLING)).toBe(false);
    expect(fake.local.get('applied')).toBeNull();
    const restarted = await start();
    await restarted.settled();
    expect(restarted.installed('IT')?.head.serial).toBe(embeddedFeed().serial + 1);
    expect(fake.blocks(GAMBLING)).toBe(false);
    expect(fake.blocks(COURT)).toBe(true);
  });

  it('a restarted worker keeps an installed newer feed and rewrites no rule', async () => {
    const engine = await start();
    await engine.installFeed(nextFeed(GAMBLING), 'remote');
    await engine.settled();
    fake.writes = [];
    const restarted = await start();
    expect(restarted.installed('IT')?.head.serial).toBe(embeddedFeed().serial + 1);
    expect(fake.writes.filter((w) => w === 'dnr')).toEqual([]);
  });
});

describe('a new version of the extension', () => {
  const ORG_KEY = { alg: 'Ed25519' as const, keyId: '0123456789abcdef', publicKey: 'AAAA' };
  const RELEASE_KEY_ID = '1dca7a4cbc504a2a';

  it('keeps an organisation`s own list, whatever its serial, and leaves it stored', async () => {
    const engine = await start();
    await engine.applyPolicy({ trustedKeys: [ORG_KEY] });
    // The organisation's serials start afresh: far below the embedded feed's.
    const own = { ...nextFeed(GAMBLING), serial: 2026010101 };
    await engine.installFeed(own, 'remote', { keyId: ORG_KEY.keyId, url: 'https://lists.example.org/IT.json' });
    await engine.settled();
    expect(fake.blocks(GAMBLING)).toBe(false);
    fake.version = '9.9.9';
    fake.writes = [];
    const updated = await start();
    expect(updated.installed('IT')?.head.serial).toBe(own.serial);
    expect(updated.installed('IT')?.keyId).toBe(ORG_KEY.keyId);
    expect(fake.blocks(GAMBLING)).toBe(false);
    expect(fake.writes).not.toContain('idb:feed:IT');
  });

  it('a lock sets aside a list signed by a key the user added; lifting it brings the list back', async () => {
    const engine = await start();
    expect(await engine.updateSettings({ trustedKeys: [ORG_KEY] })).toMatchObject({ ok: true });
    await engine.installFeed({ ...nextFeed(GAMBLING), serial: embeddedFeed().serial + 5 }, 'remote', { keyId: ORG_KEY.keyId, url: 'https://lists.example.org/IT.json' });
    await engine.settled();
    expect(fake.blocks(GAMBLING)).toBe(false);
    await engine.applyPolicy({ locked: true });
    await engine.settled();
    expect(engine.installed('IT')?.source).toBe('embedded');
    expect(engine.status({}).feeds.find((f) => f.jurisdiction === 'IT')?.setAside?.keyId).toBe(ORG_KEY.keyId);
    expect(fake.blocks(GAMBLING)).toBe(true);
    await engine.applyPolicy({});
    await engine.settled();
    expect(engine.installed('IT')?.keyId).toBe(ORG_KEY.keyId);
    expect(fake.blocks(GAMBLING)).toBe(false);
  });

  it('a list set aside for the embedded one of the same serial: the rules follow the embedded one', async () => {
    const engine = await start();
    await engine.applyPolicy({ trustedKeys: [ORG_KEY] });
    await engine.installFeed({ ...nextFeed(GAMBLING), serial: embeddedFeed().serial }, 'remote', { keyId: ORG_KEY.keyId, url: 'https://lists.example.org/IT.json' });
    await engine.settled();
    expect(fake.blocks(GAMBLING)).toBe(false);
    // The organisation's key removed: its list is set aside, the embedded one (same serial) enforced.
    await engine.applyPolicy({});
    await engine.settled();
    expect(engine.installed('IT')?.source).toBe('embedded');
    expect(fake.blocks(GAMBLING)).toBe(true);
  });

  it('replaces an older list signed by a release key with the newer embedded one', async () => {
    const engine = await start();
    const older = { ...nextFeed(GAMBLING), serial: embeddedFeed().serial - 1 };
    await engine.installFeed(older, 'remote', { keyId: RELEASE_KEY_ID, url: 'https://feeds.example/IT.json' });
    await engine.settled();
    expect(fake.blocks(GAMBLING)).toBe(false);
    fake.version = '9.9.9';
    const updated = await start();
    expect(updated.installed('IT')?.head.serial).toBe(embeddedFeed().serial);
    expect(updated.installed('IT')?.source).toBe('embedded');
    // Until the new overlay reaches the dynamic rules, the older one may still lift the host it
    // removed (docs/architecture.md, "Overlay in the session rules first").
    await updated.settled();
    expect(fake.blocks(GAMBLING)).toBe(true);
  });
});

describe('a stored list that cannot be read', () => {
  it('the embedded list is enforced, and the engine says a sync is needed now', async () => {
    const engine = await start();
    await engine.installFeed(nextFeed(GAMBLING), 'remote', { keyId: '1dca7a4cbc504a2a', url: 'https://feeds.example/IT.json' });
    await engine.settled();
    expect(engine.unreadableLists.size).toBe(0);
    // An index of another layout (an update that changed it), or damaged on disk.
    const stored = fake.idb.get('feed:IT') as { index: Blob };
    fake.idb.set('feed:IT', { ...stored, index: new Blob([new Uint8Array(64)]) });
    const restarted = await start();
    expect([...restarted.unreadableLists]).toEqual(['IT']);
    expect(restarted.installed('IT')?.source).toBe('embedded');
    await restarted.settled();
    expect(fake.blocks(GAMBLING)).toBe(true);
  });
});

describe('stored records', () => {
  it('a corrupt record of the applied rules is not trusted: the rules are written from the feeds', async () => {
    fake.local.set('applied', { fingerprint: 42 });
    await start();
    expect(fake.blocks(COURT)).toBe(true);
    expect(fake.writes).toContain('dnr');
  });

  it('records from before versioning are migrated once and written back', async () => {
    // A state as written before deltaFallback was recorded.
    const { deltaFallback: _, ...legacy } = NO_SYNC_YET;
    fake.local.set('sync', { IT: legacy });
    const stored = await loadStored();
    expect(stored.sync['IT']?.deltaFallback).toBeNull();
    expect(fake.local.get('storedVersion')).toBe(1);
    expect(fake.local.get('sync')).toEqual(stored.sync);
    fake.writes = [];
    await loadStored();
    expect(fake.writes).toEqual([]);
  });
});
