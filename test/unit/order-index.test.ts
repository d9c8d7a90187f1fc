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

  it('refuses bytes of another version, a truncated buffer or a full table', () => {
    const bytes = index.buffer.slice(0);
    new Uint32Array(bytes, 0, 2)[1] = INDEX_VERSION + 1;
    expect(() => OrderIndex.load(bytes)).toThrow(/version/);
    expect(() => OrderIndex.load(index.buffer.slice(0, index.buffer.byteLength - 3))).toThrow(/length/);
    expect(() => OrderIndex.load(new ArrayBuffer(64))).toThrow(/not an Ordinanza index/);
    const full = index.buffer.slice(0);
    new Uint32Array(full, 0, 3)[2] = new Uint32Array(full, 0, 4)[3] as number;
    expect(() => OrderIndex.load(full)).toThrow(/damaged/);
  });

  it('an empty index matches nothing', () => {
    const empty = OrderIndex.build(meta(0), [], []);
    expect(empty.lookup('example.com')).toEqual([]);
    expect(OrderIndex.load(empty.buffer).has('example.com')).toBe(false);
  });

  it('rejects non-ASCII hosts', () => {
    expect(() => OrderIndex.build(meta(1), ['exämple.com'], [0])).toThrow(/ASCII/);
  });

  it('keeps hosts in group runs, stably, whatever order the groups come in', () => {
    const idx = OrderIndex.load(OrderIndex.build(meta(3), ['c.it', 'a.it', 'b.it', 'd.it', 'e.it'], [2, 0, 2, 0, 1]).buffer.slice(0));
    const walked: [string, number][] = [];
    idx.forEachHost((h, g, e) => {
      expect(idx.entryOf(h)).toBe(e);
      expect(idx.hostAt(e)).toBe(h);
      expect(idx.groupIndexAt(e)).toBe(g);
      walked.push([h, g]);
    });
    expect(walked).toEqual([
      ['a.it', 0],
      ['d.it', 0],
      ['e.it', 1],
      ['c.it', 2],
      ['b.it', 2],
    ]);
    expect([0, 1, 2].map((g) => idx.groupSize(g))).toEqual([2, 1, 2]);
    expect(idx.lookup('x.b.it').map((m) => m.group.listings[0]?.order)).toEqual(['O2']);
  });

  it('finds the group of a host when groups around it are empty', () => {
    const idx = OrderIndex.fromGroups(meta(5), [[], ['a.it'], [], [], ['b.it', 'c.it']]);
    expect(['a.it', 'b.it', 'c.it'].map((h) => idx.groupIndexAt(idx.entryOf(h)))).toEqual([1, 4, 4]);
    expect([0, 1, 2, 3, 4].map((g) => idx.groupSize(g))).toEqual([0, 1, 0, 0, 2]);
  });

  it('holds hosts of every length up to 253 (a length byte of 128 or more among the host bytes)', () => {
    const long = (n: number, c: string): string => `${`${c.repeat(60)}.`.repeat(5).slice(0, n - 3)}.it`;
    const listed = [long(253, 'a'), 'x.it', long(128, 'b'), long(200, 'c'), 'y.it'];
    const idx = OrderIndex.load(
      OrderIndex.build(
        meta(1),
        listed,
        listed.map(() => 0),
      ).buffer.slice(0),
    );
    const walked: string[] = [];
    idx.forEachHost((h, _, e) => void walked.push(h, idx.hostAt(e)));
    expect(walked).toEqual(listed.flatMap((h) => [h, h]));
    for (const h of listed) expect(idx.lookup(`w.${h}`).map((m) => m.listed)).toEqual([h]);
  });

  it('refuses a host longer than a record holds, or a group it does not have', () => {
    expect(() => OrderIndex.build(meta(1), [`${'a'.repeat(253)}.it`], [0])).toThrow(/too long/);
    expect(() => OrderIndex.build(meta(1), ['a.it'], [1])).toThrow(/not a group/);
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
      // Groups in any order per host: the index sorts them into runs.
      fc.property(fc.uniqueArray(fc.tuple(host, fc.nat(2)), { maxLength: 40, selector: ([h]) => h }), fc.array(host, { maxLength: 40 }), (listedWithGroup, probes) => {
        const listed = listedWithGroup.map(([h]) => h);
        const idx = OrderIndex.build(
          meta(3),
          listed,
          listedWithGroup.map(([, g]) => g),
        );
        const map = new Map(listedWithGroup);
        for (const p of [...probes, ...listed]) {
          expect(idx.lookup(p).map((m) => [m.listed, m.group.listings[0]?.order])).toEqual(naive(map, p).map((h) => [h, `O${map.get(h)}`]));
          expect(idx.has(p)).toBe(naive(map, p).length > 0);
        }
      }),
      { numRuns: 300 },
    );
  });
});
