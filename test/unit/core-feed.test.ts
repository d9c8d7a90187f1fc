// Feed format v1: validation, canonical serialisation.
import { describe, expect, it } from 'vitest';
import { countHosts, parseFeed, serializeFeed, validateFeed, type Feed } from '../../src/core/feed.ts';

const feed = (): Feed => ({
  format: 1,
  jurisdiction: 'IT',
  serial: 1,
  generated: '2026-01-01T00:00:00Z',
  expires: '2027-01-01T00:00:00Z',
  authorities: { a: { name: { it: 'Autorità' } } },
  orders: { o: { authority: 'a', title: { it: 'registro' }, category: 'gambling', status: 'active', sources: [{ url: 'https://example.org/' }] } },
  editions: { e: { source: 'test' } },
  entries: [{ orders: ['o'], edition: 'e', hosts: ['a.it', 'b.it'] }],
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
    ['a duplicate host', (f: Feed) => void f.entries.push({ orders: ['o'], edition: 'e', hosts: ['a.it'] }), /listed more than once: a.it/],
    ['an unknown order', (f: Feed) => void f.entries[0]?.orders.push('x'), /known orders/],
    ['an unknown authority', (f: Feed) => void ((f.orders.o as { authority: string }).authority = 'z'), /known authority/],
    ['expiry before generation', (f: Feed) => void (f.expires = '2025-01-01T00:00:00Z'), /expires must be after generated/],
    ['an order without sources', (f: Feed) => void (f.orders.o as { sources: unknown[] }).sources.splice(0), /at least one public source/],
    ['an unknown field', (f: Feed) => void Object.assign(f, { extra: 1 }), /extra/],
  ])('rejects %s', (_n, mutate, message) => {
    const f = feed();
    mutate(f);
    const r = validateFeed(f);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join('; ')).toMatch(message);
  });

  it('names truncated JSON and bad UTF-8', () => {
    expect(parseFeed(serializeFeed(feed()).slice(0, 50))).toMatchObject({ ok: false, errors: [expect.stringContaining('not valid JSON (truncated or corrupt)')] });
    expect(parseFeed(new Uint8Array([0xff, 0xfe]))).toEqual({ ok: false, errors: ['feed is not valid UTF-8'] });
  });
});
