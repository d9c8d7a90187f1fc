// Golden bytes of the versioned formats: the signed feed's serialisation, the stored order index, and
// the compiled rules. A change of bytes must come with a version bump (stored data and installed
// rules of the old version are then rebuilt, never misread), and the new hash is written here.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compile, CONSERVATIVE_LIMITS, RULE_LAYOUT_VERSION } from '../../src/core/compiler.ts';
import { FEED_FORMAT, serializeFeed, type Feed } from '../../src/core/feed.ts';
import { INDEX_VERSION, OrderIndex } from '../../src/core/order-index.ts';

const GOLDEN = {
  feed: { version: 2, sha256: '4817d931526d2535fb48616f642d4b871d971d18a253420d8ea0209a1a2b4b3a' },
  index: { version: 4, sha256: '374fa90eca78b045371cb239744a7c9af0df08d9da3191ed56e354af35969ebe' },
  rules: { version: 3, sha256: '4f4a7d3071616cbbee88d14dfec2519ee8ecdfdf6919f06d85ffbac5474ba117' },
};

const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

const FEED: Feed = {
  format: FEED_FORMAT,
  jurisdiction: 'IT',
  serial: 2026010101,
  generated: '2026-01-01T00:00:00Z',
  expires: '2027-01-01T00:00:00Z',
  authorities: { a: { name: { it: 'Autorità' }, kind: 'regulator' } },
  orders: {
    x: { authority: 'a', category: 'copyright', act: { kind: 'register', title: { it: 'elenco' } }, sources: [{ url: 'https://example.org/x' }] },
    y: { authority: 'a', category: 'gambling', act: { kind: 'court-order', date: '2022-07' }, sources: [{ url: 'https://example.org/y' }] },
  },
  editions: { e1: { source: 'copy of the list' } },
  entries: [
    { listings: [{ order: 'x', edition: 'e1' }], hosts: ['a.example', 'b.example', 'xn--caf-dma.example'] },
    {
      listings: [
        { order: 'x', edition: 'e1' },
        { order: 'y', edition: 'e1' },
      ],
      hosts: ['c.example'],
    },
  ],
};

const HOSTS = ['a.example', 'b.example', 'c.example', 'xn--caf-dma.example', '192.0.2.7'];

describe('golden bytes of the versioned formats', () => {
  it('feed serialisation (FEED_FORMAT)', () => {
    expect({ version: FEED_FORMAT, sha256: sha256(serializeFeed(FEED)) }).toEqual(GOLDEN.feed);
  });

  it('stored order index (INDEX_VERSION)', () => {
    const index = OrderIndex.build({ jurisdiction: 'IT', serial: 1, groups: [{ listings: [{ order: 'x', edition: 'e1' }] }, { listings: [{ order: 'y', edition: 'e1' }] }] }, HOSTS, [0, 0, 1, 0, 1]);
    expect({ version: INDEX_VERSION, sha256: sha256(new Uint8Array(index.buffer)) }).toEqual(GOLDEN.index);
  });

  it('compiled rules (RULE_LAYOUT_VERSION)', () => {
    const wanted = HOSTS.map((host, i) => ({ host, orders: [i % 2 ? 'IT:y' : 'IT:x'] }));
    const opts = { blockPageUrl: 'chrome-extension://ordinanza/src/pages/blocked.html', blockSubresources: true, limits: CONSERVATIVE_LIMITS };
    const r = compile(wanted, [], opts);
    // Small buckets, so that which bucket a host goes to is part of the bytes too.
    const partitioned = compile(wanted, [], { ...opts, bucketTarget: 1 });
    expect(partitioned.stats.buckets).toBe(8);
    expect({ version: RULE_LAYOUT_VERSION, sha256: sha256(JSON.stringify([r.rules, partitioned.rules])) }).toEqual(GOLDEN.rules);
  });
});
