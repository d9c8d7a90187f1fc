import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupKey, serializeFeed, type Feed } from '../../src/core/feed.ts';
import { describeChange } from '../../src/core/feed-stats.ts';
import { OrderIndex } from '../../src/core/order-index.ts';
import { loadFeed } from '../../src/core/selection.ts';
import {
  applyDelta,
  applyDeltaToIndex,
  type Delta,
  backoffMinutes,
  checkCandidate,
  deltaUrl,
  feedOfLoaded,
  makeDelta,
  redirectProblem,
  signatureUrl,
  untrustedStoredFeed,
  type CandidateContext,
  type FeedOrigin,
} from '../../src/core/sync.ts';

const base: Feed = {
  format: 2,
  jurisdiction: 'IT',
  serial: 10,
  generated: '2026-11-28T00:00:00Z',
  expires: '2027-11-28T00:00:00Z',
  authorities: { A: { name: { it: 'A' } } },
  orders: {
    X: { authority: 'A', category: 'copyright', act: { kind: 'register' }, sources: [{ url: 'https://example.org/x' }] },
    Y: { authority: 'A', category: 'gambling', act: { kind: 'register' }, sources: [{ url: 'https://example.org/y' }] },
  },
  editions: { e1: { source: 's1' }, e2: { source: 's2' } },
  entries: [
    { listings: [{ order: 'X', edition: 'e1' }], hosts: ['a.example', 'b.example', 'c.example'] },
    { listings: [{ order: 'Y', edition: 'e1' }], hosts: ['d.example', 'e.example'] },
  ],
};

describe('checkCandidate', () => {
  const now = Date.parse('2026-12-01T00:00:00Z');
  const URL_A = 'https://feeds.example/IT.json';
  const URL_B = 'https://policy.example/feeds/IT.json';
  const OLD = '1111111111111111';
  const NEW = '2222222222222222';
  const remote = (serial: number, url: string | null, keyId: string | null): FeedOrigin => ({ source: 'remote', serial, url, keyId });
  const ctx = (installed: FeedOrigin | null, candidate: { url: string; keyId: string }, trusted: string[], release: string[] = []): CandidateContext => ({
    jurisdiction: 'IT',
    installed,
    candidate,
    trustedKeyIds: new Set(trusted),
    releaseKeyIds: new Set(release),
    now,
  });

  it('accepts a newer, unexpired feed of the same jurisdiction', () => {
    expect(checkCandidate({ ...base, serial: 11 }, ctx(remote(10, URL_A, OLD), { url: URL_A, keyId: OLD }, [OLD]))).toBeNull();
  });
  it.each([
    [{ serial: 10 }, 'same-serial'],
    [{ serial: 9 }, 'rollback'],
    [{ serial: 11, expires: '2026-11-30T00:00:00Z' }, 'expired'],
    [{ serial: 11, jurisdiction: 'DE' }, 'wrong-jurisdiction'],
  ])('same URL, trusted key: %j → %s', (patch, reason) => {
    expect(checkCandidate({ ...base, ...patch }, ctx(remote(10, URL_A, OLD), { url: URL_A, keyId: OLD }, [OLD]))?.reason).toBe(reason);
  });

  // installed, candidate, trusted key ids, candidate serial → refusal (null: accepted)
  const HIGH = 9_999_999_999;
  it.each<[string, FeedOrigin | null, { url: string; keyId: string }, string[], number, string | null]>([
    ['nothing installed: any serial', null, { url: URL_A, keyId: OLD }, [OLD], 1, null],
    ['rotation, old key still trusted: the serial still binds', remote(HIGH, URL_A, OLD), { url: URL_A, keyId: NEW }, [OLD, NEW], 5, 'rollback'],
    ['rotation, old key still trusted: a newer serial passes', remote(10, URL_A, OLD), { url: URL_A, keyId: NEW }, [OLD, NEW], 11, null],
    ['installed key revoked (compromise): a new line, lower serial accepted', remote(HIGH, URL_A, OLD), { url: URL_A, keyId: NEW }, [NEW], 5, null],
    ['installed key revoked: even the same serial starts afresh', remote(10, URL_A, OLD), { url: URL_A, keyId: NEW }, [NEW], 10, null],
    ['another URL (a locked policy`s own feed): a new line', remote(HIGH, URL_A, OLD), { url: URL_B, keyId: OLD }, [OLD], 5, null],
    ['the same URL spelled with a fragment is the same line', remote(10, URL_A, OLD), { url: `${URL_A}#x`, keyId: OLD }, [OLD], 9, 'rollback'],
    ['a query string makes another URL', remote(10, URL_A, OLD), { url: `${URL_A}?token=1`, keyId: OLD }, [OLD], 9, null],
    ['stored before origins were recorded: the serial binds', remote(10, null, null), { url: URL_B, keyId: NEW }, [NEW], 9, 'rollback'],
    ['embedded, same trusted key: no rollback below it', { source: 'embedded', serial: 10, url: null, keyId: OLD }, { url: URL_A, keyId: OLD }, [OLD], 9, 'rollback'],
    ['embedded, another key (an organisation`s own): a new line', { source: 'embedded', serial: 10, url: null, keyId: OLD }, { url: URL_A, keyId: NEW }, [OLD, NEW], 9, null],
    ['embedded, its key revoked: a new line', { source: 'embedded', serial: 10, url: null, keyId: OLD }, { url: URL_A, keyId: OLD }, [], 9, null],
    ['embedded without a signature: a new line', { source: 'embedded', serial: 10, url: null, keyId: null }, { url: URL_A, keyId: OLD }, [OLD], 9, null],
  ])('%s', (_name, installed, candidate, trusted, serial, reason) => {
    expect(checkCandidate({ ...base, serial }, ctx(installed, candidate, trusted))?.reason ?? null).toBe(reason);
  });

  // After a rotation both release keys are trusted: a feed signed by the older one (a stale mirror,
  // an old copy) must not replace a newer embedded feed signed by the newer one, nor the reverse.
  it.each<[string, string, string, string[], number, string | null]>([
    ['embedded by the new release key, candidate by the old one: older refused', NEW, OLD, [OLD, NEW], 9, 'rollback'],
    ['embedded by the old release key, candidate by the new one: older refused', OLD, NEW, [OLD, NEW], 9, 'rollback'],
    ['the same serial under the other release key', NEW, OLD, [OLD, NEW], 10, 'same-serial'],
    ['a newer serial under the other release key passes', NEW, OLD, [OLD, NEW], 11, null],
    ['the old release key revoked: its feed is no line of the embedded one', NEW, OLD, [NEW], 9, null],
  ])('%s', (_name, embeddedKey, candidateKey, trusted, serial, reason) => {
    const installed: FeedOrigin = { source: 'embedded', serial: 10, url: null, keyId: embeddedKey };
    expect(checkCandidate({ ...base, serial }, ctx(installed, { url: URL_A, keyId: candidateKey }, trusted, [OLD, NEW]))?.reason ?? null).toBe(reason);
  });

  it('a new line still refuses an expired feed', () => {
    expect(checkCandidate({ ...base, serial: 5, expires: '2026-11-30T00:00:00Z' }, ctx(remote(HIGH, URL_A, OLD), { url: URL_A, keyId: NEW }, [NEW]))?.reason).toBe('expired');
  });
});

describe('untrustedStoredFeed', () => {
  it.each<[FeedOrigin, string[], boolean]>([
    [{ source: 'remote', serial: 9, url: 'https://h/IT.json', keyId: 'aaaaaaaaaaaaaaaa' }, ['aaaaaaaaaaaaaaaa'], false],
    [{ source: 'remote', serial: 9, url: 'https://h/IT.json', keyId: 'aaaaaaaaaaaaaaaa' }, ['bbbbbbbbbbbbbbbb'], true],
    [{ source: 'remote', serial: 9, url: null, keyId: null }, [], false],
    [{ source: 'embedded', serial: 9, url: null, keyId: 'aaaaaaaaaaaaaaaa' }, [], false],
  ])('%j with trusted %j → set aside: %s', (origin, trusted, aside) => {
    const r = untrustedStoredFeed(origin, new Set(trusted));
    expect(r !== null).toBe(aside);
    if (r) expect(r).toContain('no longer trusted');
  });
});

describe('feed URLs', () => {
  it.each([
    ['https://h/feeds/IT.json', 'https://h/feeds/IT.json.sig'],
    ['https://h/feeds/IT.json?token=1', 'https://h/feeds/IT.json.sig?token=1'],
    ['https://h/feeds/IT.json?token=1#frag', 'https://h/feeds/IT.json.sig?token=1'],
    ['https://h/feeds/IT.json#frag', 'https://h/feeds/IT.json.sig'],
    ['https://h/feeds/IT.delta-7.json?a=1&b=2', 'https://h/feeds/IT.delta-7.json.sig?a=1&b=2'],
    ['http://127.0.0.1:8080/IT.json?x=%2F', 'http://127.0.0.1:8080/IT.json.sig?x=%2F'],
  ])('signature of %s is %s', (url, sig) => {
    expect(signatureUrl(url)).toBe(sig);
  });

  it.each([
    ['https://h/feeds/IT.json?token=1', 5, 'https://h/feeds/IT.delta-5.json?token=1'],
    ['https://h/feeds/IT.json#f', 5, 'https://h/feeds/IT.delta-5.json'],
    ['https://h/feeds/IT', 5, 'https://h/feeds/IT.delta-5.json'],
  ])('delta of %s from %d is %s', (url, serial, delta) => {
    expect(deltaUrl(url, serial)).toBe(delta);
    expect(signatureUrl(deltaUrl(url, serial))).toBe(delta.replace(/\.json/, '.json.sig'));
  });

  it.each<[string, string, string | null]>([
    ['https://h/IT.json', '', null],
    ['https://h/IT.json', 'https://h/IT.json', null],
    ['https://h/IT.json', 'https://cdn.example/IT.json?sig=abc', null],
    ['https://h/IT.json', 'http://cdn.example/IT.json', 'from https to plain http'],
    ['https://h/IT.json', 'http://127.0.0.1/IT.json', 'from https to plain http'],
    ['https://h/IT.json', 'ftp://cdn.example/IT.json', 'ftp: address'],
    ['https://h/IT.json', 'data:application/json,{}', 'data: address'],
    ['https://h/IT.json', 'file:///etc/passwd', 'file: address'],
    ['https://h/IT.json', 'https://user:pw@cdn.example/IT.json', 'may not have'],
    ['http://127.0.0.1:8080/IT.json', 'http://localhost:8080/IT.json', null],
    ['http://127.0.0.1:8080/IT.json', 'http://feeds.example/IT.json', 'plain http off this machine'],
    ['http://127.0.0.1:8080/IT.json', 'https://feeds.example/IT.json', null],
  ])('redirect %s → %s: %s', (from, to, problem) => {
    const r = redirectProblem(from, to);
    if (problem === null) expect(r).toBeNull();
    else expect(r).toContain(problem);
  });
});

describe('backoff', () => {
  it('doubles from one minute, capped by the interval', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((f) => backoffMinutes(f, 30))).toEqual([30, 1, 2, 4, 8, 16, 30, 30]);
  });
});

describe('deltas', () => {
  const next: Feed = {
    ...base,
    serial: 11,
    orders: { ...base.orders, Z: { authority: 'A', category: 'finance', act: { kind: 'register' }, sources: [{ url: 'https://example.org/z' }] } },
    entries: [
      { listings: [{ order: 'X', edition: 'e1' }], hosts: ['a.example', 'c.example', 'f.example'] },
      { listings: [{ order: 'Y', edition: 'e2' }], hosts: ['d.example', 'e.example'] },
      { listings: [{ order: 'Z', edition: 'e2' }], hosts: ['b.example'] },
    ],
  };

  it('names the delta beside the full feed', () => {
    expect(deltaUrl('https://x.example/feeds/IT.json', 42)).toBe('https://x.example/feeds/IT.delta-42.json');
  });

  it('rebuild the next feed exactly, from the compact index a browser holds', async () => {
    const d = await makeDelta(base, next);
    expect(d.removed).toEqual(['b.example', 'd.example', 'e.example']);
    const current = feedOfLoaded(loadFeed(base));
    expect(serializeFeed(current)).toBe(serializeFeed(base));
    const r = await applyDelta(current, JSON.parse(JSON.stringify(d)));
    expect(r.ok && serializeFeed(r.feed)).toBe(serializeFeed(next));
  });

  it('are applied to the installed index: hosts read from it, the result indexed once, the change known', async () => {
    const d = await makeDelta(base, next);
    const installed = loadFeed(base);
    const r = await applyDeltaToIndex(installed, JSON.parse(JSON.stringify(d)));
    if (!r.ok) throw new Error(r.message);
    expect(serializeFeed(r.feed)).toBe(serializeFeed(next));
    expect(loadFeed(r.feed)).toBe(r.loaded);
    const inIndex: string[] = [];
    r.loaded.index.forEachHost((_, __, e) => void inIndex.push(r.loaded.index.hostAt(e)));
    expect(inIndex).toEqual(next.entries.flatMap((g) => g.hosts));
    // The change the delta records is the one a walk over both indexes finds (b, d and e moved: neither added nor removed).
    const known = describeChange(installed, r.loaded);
    const walked = describeChange({ head: installed.head, index: OrderIndex.load(installed.index.buffer.slice(0)) }, { head: r.loaded.head, index: OrderIndex.load(r.loaded.index.buffer.slice(0)) });
    expect({ ...known, addedSample: [...known.addedSample].sort(), removedSample: [...known.removedSample].sort() }).toEqual(walked);
    expect(walked).toMatchObject({ added: 1, removed: 0, addedSample: ['f.example'] });
  });

  // Each case: the installed feed, the published next one (each group sorted, as the feed tool writes it).
  const group = (order: string, edition: string, hosts: string[]): Feed['entries'][number] => ({ listings: [{ order, edition }], hosts });
  it.each<[string, Feed['entries'], Feed['entries']]>([
    ['nothing changes but the serial', base.entries, base.entries],
    ['a group is gone, one of its hosts moves to a new group', base.entries, [group('X', 'e1', ['a.example', 'b.example', 'c.example']), group('Z', 'e2', ['e.example', 'z.example'])]],
    [
      'IPv4 and IDN hosts added and removed',
      [group('X', 'e1', ['10.0.0.1', 'a.example', 'xn--caf-dma.fr'])],
      [group('X', 'e1', ['10.0.0.2', '192.0.2.1', 'a.example', 'xn--80ajbekothchmme.xn--p1ai'])],
    ],
    [
      'an installed group out of order',
      [group('X', 'e1', ['c.example', 'a.example', 'b.example']), group('Y', 'e1', ['d.example'])],
      [group('X', 'e1', ['a.example', 'b.example', 'c.example', 'f.example']), group('Y', 'e1', [])],
    ],
    [
      'two installed groups of the same listings, one group now',
      [group('X', 'e1', ['b.example', 'd.example']), group('X', 'e1', ['a.example', 'c.example'])],
      [group('X', 'e1', ['a.example', 'b.example', 'c.example', 'e.example'])],
    ],
    ['every host removed, then a group added', base.entries, [group('Y', 'e1', []), group('X', 'e2', ['a.example'])]],
  ])('rebuild the published feed and its index, and say what changed: %s', async (_, before, after) => {
    const prev: Feed = { ...next, serial: 10, entries: before };
    const published: Feed = { ...next, serial: 11, entries: after };
    const installed = loadFeed(prev);
    const r = await applyDeltaToIndex(installed, JSON.parse(JSON.stringify(await makeDelta(prev, published))));
    if (!r.ok) throw new Error(r.message);
    expect(serializeFeed(r.feed)).toBe(serializeFeed(published));
    expect(r.loaded.head).toEqual(loadFeed({ ...published }).head);
    // Laid out byte for byte as the feed's own index: the same stored bytes, whichever way it was made.
    expect(new Uint8Array(r.loaded.index.buffer)).toEqual(new Uint8Array(loadFeed({ ...published }).index.buffer));
    const known = describeChange(installed, r.loaded);
    const walked = describeChange({ head: installed.head, index: OrderIndex.load(installed.index.buffer.slice(0)) }, { head: r.loaded.head, index: OrderIndex.load(r.loaded.index.buffer.slice(0)) });
    expect({ ...known, addedSample: [...known.addedSample].sort(), removedSample: [...known.removedSample].sort() }).toEqual({
      ...walked,
      addedSample: [...walked.addedSample].sort(),
      removedSample: [...walked.removedSample].sort(),
    });
  });

  it('tell apart groups whose listings differ only where ids may hold a "-"', async () => {
    // Edition "e-2", and edition "e" no longer naming the hosts in edition "2": two groups.
    const editions = { ...next.editions, e: { source: 's1' }, 'e-2': { source: 's1' }, '2': { source: 's1' } };
    const prev: Feed = { ...next, serial: 10, editions, entries: [group('X', 'e-2', ['a.example']), { listings: [{ order: 'X', edition: 'e', removedIn: '2' }], hosts: ['b.example'] }] };
    const published: Feed = {
      ...prev,
      serial: 11,
      entries: [group('X', 'e-2', ['a.example', 'c.example']), { listings: [{ order: 'X', edition: 'e', removedIn: '2' }], hosts: ['b.example', 'd.example'] }],
    };
    expect(groupKey(published.entries[0] as Feed['entries'][number])).not.toBe(groupKey(published.entries[1] as Feed['entries'][number]));
    const r = await applyDeltaToIndex(loadFeed(prev), JSON.parse(JSON.stringify(await makeDelta(prev, published))));
    if (!r.ok) throw new Error(r.message);
    expect(serializeFeed(r.feed)).toBe(serializeFeed(published));
  });

  // Any installed feed (groups in or out of order, groups of the same listings) and any published
  // one: the one-pass merge and its fallback give the published bytes and the feed's own index.
  it('rebuild any published feed and its index, whichever way they are applied', async () => {
    const pool = ['10.0.0.1', '192.0.2.7', 'a.example', 'b.example', 'c.example', 'd.example', 'e.example', 'f.example', 'g.example', 'xn--caf-dma.fr'];
    const listings = [[{ order: 'X', edition: 'e1' }], [{ order: 'Y', edition: 'e1' }], [{ order: 'Z', edition: 'e2' }]];
    // A group (or none, -1) for each host of the pool, the groups' listings, and whether each group keeps the pool's order.
    const feedOf = (distinct: boolean) =>
      fc.record({
        listing: distinct ? fc.uniqueArray(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 3 }) : fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 4 }),
        groupOf: fc.array(fc.integer({ min: -1, max: 3 }), { minLength: pool.length, maxLength: pool.length }),
        shuffle: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: pool.length, maxLength: pool.length }),
      });
    const entries = (f: { listing: number[]; groupOf: number[]; shuffle: number[] }, sorted: boolean): Feed['entries'] =>
      f.listing.map((l, g) => {
        const hosts = pool.filter((_, i) => f.groupOf[i] === g);
        const order = new Map(pool.map((h, i) => [h, f.shuffle[i] as number]));
        return { listings: listings[l] as Feed['entries'][number]['listings'], hosts: sorted ? hosts.sort() : hosts.sort((a, b) => (order.get(a) as number) - (order.get(b) as number)) };
      });
    await fc.assert(
      // Published groups have distinct listings, as the feed tool writes them (a delta cannot tell
      // two of the same apart: its checksum then fails and the full feed is fetched).
      fc.asyncProperty(feedOf(false), feedOf(true), fc.boolean(), async (a, b, sortedBefore) => {
        const prev: Feed = { ...next, serial: 10, entries: entries(a, sortedBefore) };
        const published: Feed = { ...next, serial: 11, entries: entries(b, true) };
        const r = await applyDeltaToIndex(loadFeed(prev), JSON.parse(JSON.stringify(await makeDelta(prev, published))));
        if (!r.ok) throw new Error(r.message);
        expect(serializeFeed(r.feed)).toBe(serializeFeed(published));
        expect(new Uint8Array(r.loaded.index.buffer)).toEqual(new Uint8Array(loadFeed({ ...published }).index.buffer));
      }),
      { numRuns: 300 },
    );
  });

  it("give the feed's hosts as read from the new index when first asked for, as plain arrays", async () => {
    const apply = async (): Promise<Feed> => {
      const r = await applyDeltaToIndex(loadFeed(base), JSON.parse(JSON.stringify(await makeDelta(base, next))));
      if (!r.ok) throw new Error(r.message);
      return r.feed;
    };
    const feed = await apply();
    expect(structuredClone(feed)).toEqual(next);
    expect(JSON.parse(JSON.stringify(feed))).toEqual(next);
    expect(feed.entries.map((g) => Object.keys(g))).toEqual(next.entries.map(() => ['listings', 'hosts']));
    expect(Object.getOwnPropertyDescriptor(feed.entries[0], 'hosts')).toEqual({ value: ['a.example', 'c.example', 'f.example'], enumerable: true, writable: true, configurable: true });
    // Set before any read: kept, and the other groups still read from the index.
    const other = await apply();
    (other.entries[1] as Feed['entries'][number]).hosts = ['x.example'];
    expect(other.entries.map((g) => g.hosts)).toEqual([['a.example', 'c.example', 'f.example'], ['x.example'], ['b.example']]);
  });

  it('refuse a delta that lists a host twice or adds a host that is not canonical', async () => {
    const d = JSON.parse(JSON.stringify(await makeDelta(base, next))) as Delta;
    const installed = loadFeed(base);
    const twice = { ...d, added: [...d.added, { group: 1, hosts: ['a.example'] }] };
    expect(await applyDeltaToIndex(installed, twice)).toEqual({ ok: false, message: 'delta result is invalid: hosts listed more than once: a.example' });
    const again = { ...d, added: [...d.added, { group: 0, hosts: ['f.example'] }] };
    expect(await applyDeltaToIndex(installed, again)).toMatchObject({ ok: false, message: expect.stringContaining('more than once: f.example') });
    const upper = { ...d, added: [...d.added, { group: 0, hosts: ['G.example'] }] };
    expect(await applyDeltaToIndex(installed, upper)).toMatchObject({ ok: false, message: expect.stringContaining('not a canonical hostname') });
  });

  it('are refused from another serial, and when the result does not match the checksum', async () => {
    const d = await makeDelta(base, next);
    expect(await applyDelta({ ...base, serial: 9 }, d)).toMatchObject({ ok: false });
    expect(await applyDelta(base, { ...d, sha256: '0'.repeat(64) })).toEqual({ ok: false, message: 'delta result does not match the published feed (checksum)' });
    expect(await applyDelta(base, { ...d, added: [{ group: 9, hosts: ['x.example'] }] })).toMatchObject({ ok: false });
    expect(await applyDelta(base, { nonsense: true })).toMatchObject({ ok: false });
  });
});
