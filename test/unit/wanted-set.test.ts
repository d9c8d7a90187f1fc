// The compiler reads the wanted hosts grouped by their orders (`wantedSet`, straight from the order
// indexes). Its rules and rule orders must be exactly those of the per-host list it replaced: the
// reference below is that list, a Map of host → orders built host by host across feeds.
import { describe, expect, it } from 'vitest';
import { compile, CONSERVATIVE_LIMITS, type CompileOptions } from '../../src/core/compiler.ts';
import { activeOrders, type Feed } from '../../src/core/feed.ts';
import { isOrderEnforced, loadFeed, wantedSet, type LoadedFeed, type Selection, type WantedHost } from '../../src/core/selection.ts';
import { generatedHosts } from '../support/generated-hosts.ts';
import { feedOfGroups } from '../support/group-feeds.ts';

const OPTS: CompileOptions = { blockPageUrl: 'chrome-extension://x/src/pages/blocked.html', blockSubresources: true, limits: CONSERVATIVE_LIMITS, bucketTarget: 500 };

/** Group 1 also lists order 0; group 3's listing is removed (kept for explanations only). */
function feedOf(jurisdiction: string, serial: number, groups: string[][]): Feed {
  return feedOfGroups(jurisdiction, serial, groups, {
    editions: { e: { source: 's' }, f: { source: 't' } },
    listings: (i) =>
      i === 1
        ? [
            { order: 'o1', edition: 'e' },
            { order: 'o0', edition: 'e' },
          ]
        : i === 3
          ? [{ order: `o${i}`, edition: 'e', removedIn: 'f' }]
          : [{ order: `o${i}`, edition: 'e' }],
  });
}

/** The per-host list the compiler used to take: every enforced host once, orders joined across feeds. */
function reference(feeds: readonly LoadedFeed[], sel: Selection): WantedHost[] {
  const byHost = new Map<string, string[]>();
  for (const { head, index } of feeds) {
    const keys = index.meta.groups.map((g) =>
      activeOrders(g)
        .filter((o) => isOrderEnforced(head.jurisdiction, head.orders[o], sel))
        .map((o) => `${head.jurisdiction}:${o}`),
    );
    index.forEachHost((_, g, e) => {
      const k = keys[g] ?? [];
      if (k.length === 0) return;
      const h = index.hostAt(e);
      const prev = byHost.get(h);
      byHost.set(h, prev ? [...new Set([...prev, ...k])] : k);
    });
  }
  return Array.from(byHost, ([host, orders]) => ({ host, orders }));
}

const hosts = generatedHosts(6_000, { seed: 9 });
const split = (list: string[], parts: number): string[][] => Array.from({ length: parts }, (_, i) => list.filter((_, j) => j % parts === i));
// IT and DE share a third of their hosts; CH is off in the selection.
const it1 = loadFeed(feedOf('IT', 1, split(hosts.slice(0, 4_000), 4)));
const de = loadFeed(feedOf('DE', 1, split(hosts.slice(2_600, 6_000), 3)));
const ch = loadFeed(feedOf('CH', 1, split(hosts.slice(0, 1_000), 2)));
const SEL: Selection = { jurisdictions: { IT: true, DE: true }, categories: { DE: { gambling: false } } };

describe('wantedSet: the grouped wanted hosts', () => {
  it('holds the same hosts, in the same order, with the same orders as the per-host list', () => {
    const set = wantedSet([it1, de, ch], SEL);
    const listed: WantedHost[] = [];
    set.walk((host, s) => void listed.push({ host, orders: set.orderSets[s] ?? [] }));
    const ref = reference([it1, de, ch], SEL);
    expect(listed).toEqual(ref);
    expect(set.size).toBe(ref.length);
    for (const w of ref.slice(0, 500)) expect(set.orderSets[set.orderSetOf(w.host)]).toEqual(w.orders);
    expect(set.orderSetOf('not-listed.example')).toBe(-1);
    expect(wantedSet([ch], SEL).size).toBe(0);
  });

  it('compiles to the same rules and rule orders, in full and as an overlay', () => {
    const feeds = [it1, de, ch];
    const full = compile(wantedSet(feeds, SEL), [], OPTS);
    const fullRef = compile(reference(feeds, SEL), [], OPTS);
    expect(full.rules).toEqual(fullRef.rules);
    expect(full.ruleOrders).toEqual(fullRef.ruleOrders);
    expect(full.mode).toBe('full');

    // A small change of IT: hosts removed (some still covered by DE) and added.
    const it2 = loadFeed(feedOf('IT', 2, split([...hosts.slice(60, 4_000), ...generatedHosts(60, { seed: 10, avoid: new Set(hosts) })], 4)));
    const next = [it2, de, ch];
    const overlay = compile(wantedSet(next, SEL), full.rules, OPTS);
    const overlayRef = compile(reference(next, SEL), full.rules, OPTS);
    expect(overlay.mode).toBe('overlay');
    expect(overlay.rules).toEqual(overlayRef.rules);
    expect(overlay.ruleOrders).toEqual(overlayRef.ruleOrders);
    expect(overlay.update).toEqual(overlayRef.update);
  });
});
