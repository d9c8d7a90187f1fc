// Small feeds for the compiler's tests: one order per group (`o<i>`, every third one gambling), so
// that selections by category have something to select.
import { FEED_FORMAT, type Feed, type Listing } from '../../src/core/feed.ts';

export function feedOfGroups(jurisdiction: string, serial: number, groups: readonly (readonly string[])[], opts: { listings?: (group: number) => Listing[]; editions?: Feed['editions'] } = {}): Feed {
  const listings = opts.listings ?? ((i: number) => [{ order: `o${i}`, edition: 'e' }]);
  return {
    format: FEED_FORMAT,
    jurisdiction,
    serial,
    generated: '2026-01-01T00:00:00Z',
    expires: '2027-01-01T00:00:00Z',
    authorities: { a: { name: { it: 'A' } } },
    orders: Object.fromEntries(
      groups.map((_, i) => [
        `o${i}`,
        { authority: 'a', category: i % 3 === 2 ? ('gambling' as const) : ('copyright' as const), act: { kind: 'register' as const }, sources: [{ url: 'https://example.org/' }] },
      ]),
    ),
    editions: opts.editions ?? { e: { source: 's' } },
    entries: groups.map((hosts, i) => ({ listings: listings(i), hosts: [...hosts].sort() })),
  };
}
