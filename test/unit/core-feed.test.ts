// Feed format v2: validation, canonical serialisation, refusal of v1, own-property lookups.
import { describe, expect, it } from 'vitest';
import { activeOrders, countHosts, parseFeed, serializeFeed, validateFeed, type Feed } from '../../src/core/feed.ts';

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

  it.each([
    ['a non-canonical host', (f: Feed) => void f.entries[0]?.hosts.push('B.IT'), /not a canonical hostname/],
    ['a duplicate host', (f: Feed) => void f.entries.push({ listings: [{ order: 'o', edition: 'e' }], hosts: ['a.it'] }), /listed more than once: a.it/],
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
