import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INDEX_VERSION, OrderIndex } from '../../src/core/order-index.ts';
import { matchCandidates } from '../../src/core/hostname.ts';

const meta = (n = 2) => ({ jurisdiction: 'IT', serial: 1, groups: Array.from({ length: n }, (_, i) => ({ listings: [{ order: `O${i}`, edition: 'e' }] })) });

function naive(listed: Map<string, number>, host: string): string[] {
  return matchCandidates(host).filter((c) => listed.has(c));
}

describe('OrderIndex', () => {
  const hosts = ['example.com', 'sub.example.com', 'kickasstorrents.to', 'xn--casinvincenti-0kb.com', '1.2.3.4', 'co.uk'];
  const index = OrderIndex.build(meta(), hosts, [0, 1, 0, 1, 0, 1]);

  it.each([
    ['example.com', ['example.com']],
    ['www.example.com', ['example.com']],
    ['a.sub.example.com', ['sub.example.com', 'example.com']],
    ['notexample.com', []],
    ['example.co', []],
    ['kickasstorrents.to', ['kickasstorrents.to']],
    ['notkickasstorrents.to', []],
    ['1.2.3.4', ['1.2.3.4']],
    ['11.2.3.4', []],
    ['2.3.4', []],
    ['bbc.co.uk', ['co.uk']],
    ['com', []],
  ])('%s matches %j', (host, expected) => {
    expect(index.lookup(host).map((m) => m.listed)).toEqual(expected);
    expect(index.has(host)).toBe(expected.length > 0);
  });

  it('returns the group of each match', () => {
    expect(index.lookup('a.sub.example.com').map((m) => m.group.listings.map((l) => l.order))).toEqual([['O1'], ['O0']]);
  });

  it('loads from its own bytes and answers the same', () => {
    const copy = OrderIndex.load(index.buffer.slice(0));
    expect(copy.size).toBe(hosts.length);
    expect(copy.meta).toEqual(index.meta);
    for (const h of ['www.example.com', 'x.co.uk', 'nothing.test']) expect(copy.lookup(h)).toEqual(index.lookup(h));
  });

  it('refuses bytes of another version or a truncated buffer', () => {
    const bytes = index.buffer.slice(0);
    new Uint32Array(bytes, 0, 2)[1] = INDEX_VERSION + 1;
    expect(() => OrderIndex.load(bytes)).toThrow(/version/);
    expect(() => OrderIndex.load(index.buffer.slice(0, index.buffer.byteLength - 3))).toThrow(/length/);
    expect(() => OrderIndex.load(new ArrayBuffer(64))).toThrow(/not an Ordinanza index/);
  });

  it('an empty index matches nothing', () => {
    const empty = OrderIndex.build(meta(0), [], []);
    expect(empty.lookup('example.com')).toEqual([]);
    expect(OrderIndex.load(empty.buffer).has('example.com')).toBe(false);
  });

  it('rejects non-ASCII hosts', () => {
    expect(() => OrderIndex.build(meta(1), ['exämple.com'], [0])).toThrow(/ASCII/);
  });

  it('agrees with a set of names on 60k hosts and 60k probes (large tables, fingerprints)', () => {
    const listed = Array.from({ length: 60_000 }, (_, i) => `h${i.toString(36)}.l${i % 13}.example`);
    const idx = OrderIndex.load(
      OrderIndex.build(
        meta(1),
        listed,
        listed.map(() => 0),
      ).buffer,
    );
    const set = new Set(listed);
    for (let i = 0; i < 60_000; i++) {
      const p = i % 2 ? `w.h${(i * 7).toString(36)}.l${i % 13}.example` : `h${i.toString(36)}.l${(i + 1) % 13}.example`;
      expect(idx.has(p)).toBe(matchCandidates(p).some((c) => set.has(c)));
    }
  });

  it('agrees with a naive suffix lookup (property)', () => {
    const label = fc.stringMatching(/^[a-c]{1,2}$/);
    const host = fc.array(label, { minLength: 1, maxLength: 4 }).map((ls) => [...ls, 'it'].join('.'));
    fc.assert(
      fc.property(fc.uniqueArray(host, { maxLength: 40 }), fc.array(host, { maxLength: 40 }), (listed, probes) => {
        const idx = OrderIndex.build(
          meta(1),
          listed,
          listed.map(() => 0),
        );
        const map = new Map(listed.map((h) => [h, 0]));
        for (const p of [...probes, ...listed]) {
          expect(idx.lookup(p).map((m) => m.listed)).toEqual(naive(map, p));
          expect(idx.has(p)).toBe(naive(map, p).length > 0);
        }
      }),
      { numRuns: 300 },
    );
  });
});
