import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Feed } from '../../src/core/feed.ts';
import { CHANGE_SAMPLE, describeChange, type FeedChange } from '../../src/core/feed-stats.ts';
import { loadFeed } from '../../src/core/selection.ts';
import { feedOfGroups } from '../support/group-feeds.ts';

const feedOf = (serial: number, groups: readonly (readonly string[])[]): Feed => feedOfGroups('IT', serial, groups);

/** What changed, by a plain walk over both lists: every host of each side looked up in the other. */
function plainChange(before: Feed | undefined, after: Feed): FeedChange {
  const prev = before?.entries.flatMap((g) => g.hosts) ?? [];
  const next = after.entries.flatMap((g) => g.hosts);
  const inPrev = new Set(prev);
  const inNext = new Set(next);
  const removed = prev.filter((h) => !inNext.has(h));
  const added = next.filter((h) => !inPrev.has(h));
  return {
    fromSerial: before?.serial ?? 0,
    toSerial: after.serial,
    added: added.length,
    removed: removed.length,
    addedSample: added.slice(0, CHANGE_SAMPLE),
    removedSample: removed.slice(0, CHANGE_SAMPLE),
  };
}

const hosts = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(3, '0')}.example`);

describe('describeChange', () => {
  it.each<[string, readonly (readonly string[])[] | null, readonly (readonly string[])[]]>([
    ['no list before', null, [hosts('a', 30), hosts('b', 5)]],
    ['a small list, then a large one', [hosts('a', 3)], [hosts('a', 50), hosts('b', 50)]],
    ['nothing changes', [hosts('a', 30), hosts('b', 5)], [hosts('a', 30), hosts('b', 5)]],
    ['hosts move between groups: neither added nor removed', [hosts('a', 10), hosts('b', 10)], [[...hosts('a', 10), ...hosts('b', 3)], hosts('b', 10).slice(3)]],
    ['every host removed', [hosts('a', 40)], [[]]],
    ['added hosts last in the walk', [hosts('a', 60)], [[...hosts('a', 60), ...hosts('z', 25)]]],
  ])('counts and samples what a plain walk finds: %s', (_, before, after) => {
    const prev = before ? feedOf(10, before) : undefined;
    const next = feedOf(11, after);
    expect(describeChange(prev ? loadFeed(prev) : undefined, loadFeed(next))).toEqual(plainChange(prev, next));
  });

  it('agrees with a plain walk for any two lists', () => {
    const pool = hosts('h', 80);
    const list = fc.uniqueArray(fc.constantFrom(...pool), { maxLength: 80 });
    fc.assert(
      fc.property(list, list, fc.nat(80), (a, b, cut) => {
        const prev = feedOf(10, [a.slice(0, cut), a.slice(cut)]);
        const next = feedOf(11, [b]);
        expect(describeChange(loadFeed(prev), loadFeed(next))).toEqual(plainChange(prev, next));
      }),
    );
  });
});
