// Feed format v2: validation, canonical serialisation, refusal of v1, own-property lookups.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { activeOrders, countHosts, parseFeed, serializeFeed, validateFeed, type Feed } from '../../src/core/feed.ts';
import { hostHash } from '../../src/core/host-set.ts';
import { isCanonicalHost } from '../../src/core/hostname.ts';

const feed = (): Feed => ({
  format: 2,
  jurisdiction: 'IT',
  serial: 1,
  generated: '2026-01-01T00:00:00Z',
  expires: '2027-01-01T00:00:00Z',
  authorities: { a: { name: { it: 'Autorità' } } },
  orders: { o: { authority: 'a', category: 'gambling', act: { kind: 'register', title: { it: 'registro' } }, sources: [{ url: 'https://example.org/' }] } },
  editions: { e: { source: 'test' } },
  entries: [{ listings: [{ order: 'o', edition: 'e' }], hosts: ['a.it', 'b.it'] }],
});

describe('feed', () => {
  it('serialises to bytes that parse back to the same feed', () => {
    const text = serializeFeed(feed());
    const r = parseFeed(text);
    expect(r).toEqual({ ok: true, feed: feed() });
    expect(serializeFeed(r.ok ? r.feed : feed())).toBe(text);
    expect(countHosts(feed())).toBe(2);
    expect(text).toContain('"hosts": [\n   "a.it",\n   "b.it"\n  ]');
  });

  it('writes each host as JSON would, escaped only where JSON escapes', () => {
    const lists = [['a.it', 'b.it'], ['a.it', 'quote"d', 'back\\slash', 'new\nline'], []];
    for (const hosts of lists) {
      const text = serializeFeed({ ...feed(), entries: [{ listings: [{ order: 'o', edition: 'e' }], hosts }] });
      expect(text).toContain(`"hosts": [\n   ${hosts.map((h) => JSON.stringify(h)).join(',\n   ')}\n  ]`);
    }
  });

  it.each([
    ['a non-canonical host', (f: Feed) => void f.entries[0]?.hosts.push('B.IT'), /^entries\.0\.hosts\.2: not a canonical hostname or IPv4 address: "B.IT"$/],
    ['a host that is not a string', (f: Feed) => void (f.entries[0]?.hosts as unknown[] | undefined)?.push(5), /^entries\.0\.hosts\.2: a host is a string, not 5$/],
    ['hosts that are not an array', (f: Feed) => void Object.assign(f.entries[0] as object, { hosts: 'a.it' }), /^entries\.0\.hosts: hosts must be an array of host names$/],
    ['a duplicate host', (f: Feed) => void f.entries.push({ listings: [{ order: 'o', edition: 'e' }], hosts: ['a.it'] }), /listed more than once: a.it/],
    ['a duplicate host in its group', (f: Feed) => void f.entries[0]?.hosts.push('a.it'), /listed more than once: a.it/],
    ['an unknown order', (f: Feed) => void f.entries[0]?.listings.push({ order: 'x', edition: 'e' }), /known order/],
    ['an unknown edition', (f: Feed) => void f.entries[0]?.listings.push({ order: 'o', edition: 'x' }), /known editions/],
    ['an unknown removing edition', (f: Feed) => void f.entries[0]?.listings.push({ order: 'o', edition: 'e', removedIn: 'x' }), /known editions/],
    [
      'an unknown authority',
      (f: Feed) => {
        (f.orders.o as { authority: string }).authority = 'z';
      },
      /known authority/,
    ],
    [
      'expiry before generation',
      (f: Feed) => {
        f.expires = '2025-01-01T00:00:00Z';
      },
      /expires must be after generated/,
    ],
    ['an order without sources', (f: Feed) => void (f.orders.o as { sources: unknown[] }).sources.splice(0), /at least one public source/],
    ['an order with a v1 status', (f: Feed) => void Object.assign(f.orders.o as object, { status: 'active' }), /status/],
    ['an unknown field', (f: Feed) => void Object.assign(f, { extra: 1 }), /extra/],
  ])('rejects %s', (_n, mutate, message) => {
    const f = feed();
    mutate(f);
    const r = validateFeed(f);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join('; ')).toMatch(message);
  });

  it('names every host listed more than once, in feed order', () => {
    const f = feed();
    f.entries.push({ listings: [{ order: 'o', edition: 'e' }], hosts: ['c.it', 'b.it', 'c.it', 'a.it'] });
    expect(validateFeed(f)).toEqual({ ok: false, errors: ['hosts listed more than once: b.it, c.it, a.it'] });
  });

  // Two hosts with the same hash are different hosts: only a repeated name is a duplicate.
  it('does not take hosts of the same hash for duplicates', () => {
    const [x, y] = ['tvs.ovh', 'm2.hkt2.ddns.net'];
    expect(hostHash(x)).toBe(hostHash(y));
    const f = feed();
    f.entries.push({ listings: [{ order: 'o', edition: 'e' }], hosts: [x, y] });
    expect(validateFeed(f).ok).toBe(true);
    f.entries.push({ listings: [{ order: 'o', edition: 'e' }], hosts: [y] });
    expect(validateFeed(f)).toEqual({ ok: false, errors: [`hosts listed more than once: ${y}`] });
  });

  it('finds the duplicates among many hosts, hashes shared or not', async () => {
    const { generatedHosts } = await import('../support/generated-hosts.ts');
    const hosts = generatedHosts(200_000, { seed: 5 });
    // The list holds a pair of different hosts with one hash: the check must tell them apart.
    expect(new Set(hosts.map((h) => hostHash(h))).size).toBeLessThan(hosts.length);
    const f = feed();
    f.entries = [0, 1, 2].map((g) => ({ listings: [{ order: 'o', edition: 'e' }], hosts: hosts.filter((_, i) => i % 3 === g) }));
    expect(validateFeed(f).ok).toBe(true);
    const [a, b, c] = [hosts[0], hosts[4], hosts[199_999]] as [string, string, string];
    f.entries[2]?.hosts.push(a);
    f.entries[1]?.hosts.unshift(b, c);
    expect(validateFeed(f)).toEqual({ ok: false, errors: [`hosts listed more than once: ${b}, ${c}, ${a}`] });
  });

  it('reports bad hosts with the other problems, at most 20 a group and 20 in all', () => {
    const f = feed();
    f.entries[0]?.hosts.push('B.IT');
    f.entries[0]?.listings.push({ order: 'x', edition: 'e' });
    const both = validateFeed(f);
    expect(both.ok).toBe(false);
    if (!both.ok) expect(both.errors).toEqual([expect.stringMatching(/known order/), 'entries.0.hosts.2: not a canonical hostname or IPv4 address: "B.IT"']);
    const many = feed();
    many.entries = [0, 1].map(() => ({ listings: [{ order: 'o', edition: 'e' }], hosts: Array.from({ length: 30 }, (_, i) => `X${i}.it`) }));
    const r = validateFeed(many);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toEqual(Array.from({ length: 20 }, (_, i) => `entries.0.hosts.${i}: not a canonical hostname or IPv4 address: "X${i}.it"`));
  });

  // The check hashes and sorts instead of comparing names: it must decide as a plain set of names does.
  it('decides as a set of names would (property)', () => {
    const host = fc.oneof(fc.constantFrom('a.it', 'b.it', 'x.a.it', '1.2.3.4', 'xn--caf-dma.example', 'tvs.ovh', 'm2.hkt2.ddns.net', 'A.it', 'a..it'), fc.stringMatching(/^[a-c]{1,2}\.[a-c]{2}$/));
    const groups = fc.array(fc.array(host, { maxLength: 12 }), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(groups, (hostLists) => {
        const f = feed();
        f.entries = hostLists.map((hosts) => ({ listings: [{ order: 'o', edition: 'e' }], hosts }));
        const all = hostLists.flat();
        const seen = new Set<string>();
        const dupes = all.filter((h) => seen.has(h) || !seen.add(h));
        const r = validateFeed(f);
        if (!all.every(isCanonicalHost)) return !r.ok && r.errors.every((e) => /not a canonical hostname/.test(e));
        if (dupes.length > 0) return !r.ok && r.errors[0] === `hosts listed more than once: ${dupes.slice(0, 5).join(', ')}`;
        return r.ok;
      }),
      { numRuns: 2000 },
    );
  });

  it('parses the embedded feeds', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const { REPO_ROOT } = await import('../support/paths.ts');
    const dir = `${REPO_ROOT}/extension/feeds`;
    const files = readdirSync(dir).filter((name) => name.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const name of files) expect(parseFeed(readFileSync(`${dir}/${name}`)), name).toMatchObject({ ok: true });
  });

  // Inherited names are not ids of this feed: `in` would find them on Object.prototype.
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('does not take %s for a known order, edition or authority', (name) => {
    const asOrder = feed();
    asOrder.entries[0]?.listings.push({ order: name, edition: 'e' });
    expect(validateFeed(JSON.parse(JSON.stringify(asOrder))).ok).toBe(false);
    const asEdition = feed();
    asEdition.entries[0]?.listings.push({ order: 'o', edition: name });
    expect(validateFeed(JSON.parse(JSON.stringify(asEdition))).ok).toBe(false);
    const asAuthority = feed();
    (asAuthority.orders.o as { authority: string }).authority = name;
    expect(validateFeed(JSON.parse(JSON.stringify(asAuthority))).ok).toBe(false);
  });

  it('refuses a format 1 feed with a plain reason', () => {
    const old = { ...feed(), format: 1 };
    expect(validateFeed(old)).toEqual({ ok: false, errors: [expect.stringMatching(/^feed format 1 is no longer read: this version reads format 2/)] });
    expect(validateFeed({ ...feed(), format: 9 })).toEqual({ ok: false, errors: [expect.stringMatching(/feed format 9 is not supported/)] });
  });

  it('counts an order as active only while its listing is not removed', () => {
    expect(
      activeOrders({
        listings: [
          { order: 'o', edition: 'e' },
          { order: 'p', edition: 'e', removedIn: 'f' },
        ],
      }),
    ).toEqual(['o']);
  });

  it('names truncated JSON and bad UTF-8', () => {
    expect(parseFeed(serializeFeed(feed()).slice(0, 50))).toMatchObject({
      ok: false,
      errors: [expect.stringContaining('not valid JSON (truncated or corrupt)')],
    });
    expect(parseFeed(new Uint8Array([0xff, 0xfe]))).toEqual({ ok: false, errors: ['feed is not valid UTF-8'] });
  });
});
