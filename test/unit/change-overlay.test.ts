// The overlay compiled from a delta's hosts alone must be the overlay `compile` finds by walking the
// base and the wanted hosts: the same rules, update, rule count and overlay hosts, over several
// deltas in a row on one base (removed parents with listed children, hosts moving to a group that is
// not enforced and back, hosts another feed still lists, hosts listed again).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { belowAnyOf, compileChange, keepsEnforcement, takeChangedHosts, type ChangeBase } from '../../src/core/change-overlay.ts';
import { BASE_ID, compile, CONSERVATIVE_LIMITS, type CompileOptions, type CompileResult, type DnrRule, type KnownInstalled, type OverlayHosts } from '../../src/core/compiler.ts';
import type { Feed } from '../../src/core/feed.ts';
import { loadFeed, wantedSet, type LoadedFeed, type Selection } from '../../src/core/selection.ts';
import { applyDeltaToIndex, makeDelta } from '../../src/core/sync.ts';
import { candidatesBelow, groupNested, isGrouping } from '../../src/core/nested-hosts.ts';
import { hasAncestorIn } from '../../src/core/overlay.ts';
import type { WantedSet } from '../../src/core/wanted.ts';
import { generatedHosts } from '../support/generated-hosts.ts';
import { feedOfGroups } from '../support/group-feeds.ts';

const OPTS: CompileOptions = { blockPageUrl: 'chrome-extension://x/src/pages/blocked.html', blockSubresources: true, limits: CONSERVATIVE_LIMITS, bucketTarget: 400 };
// Group 2 of each feed is gambling: off in both jurisdictions.
const SEL: Selection = { jurisdictions: { IT: true, DE: true }, categories: { IT: { gambling: false }, DE: { gambling: false } } };

const sortList = (l: readonly string[] | undefined): string[] | undefined => l && [...l].sort();
function sorted(rules: readonly DnrRule[]): DnrRule[] {
  return rules
    .map((r) => ({ ...r, condition: { ...r.condition, requestDomains: sortList(r.condition.requestDomains), excludedRequestDomains: sortList(r.condition.excludedRequestDomains) } }))
    .sort((a, b) => a.id - b.id);
}

function apply(installed: readonly DnrRule[], r: CompileResult): DnrRule[] {
  const byId = new Map(installed.map((x) => [x.id, x]));
  for (const id of r.update.removeRuleIds) byId.delete(id);
  for (const x of r.update.addRules) byId.set(x.id, x);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

const hostsOf = (h: OverlayHosts | null): { added?: string[]; removed?: string[] } => ({ added: sortList(h?.added), removed: sortList(h?.removed) });

const hosts = generatedHosts(5_000, { seed: 31 });
const listed = new Set(hosts);
const fresh = generatedHosts(300, { seed: 32, avoid: listed });
// Children of listed hosts, none of them listed already.
const children = hosts
  .slice(0, 60)
  .map((h) => `www.${h}`)
  .filter((h) => !listed.has(h));
const grandchildren = hosts
  .slice(0, 10)
  .map((h) => `a.www.${h}`)
  .filter((h) => !listed.has(h));

// IT: group 0 and 1 enforced, group 2 (gambling) not. DE lists hosts[2000..] too.
const itGroups = (g0: readonly string[], g1: readonly string[], g2: readonly string[]): Feed => feedOfGroups('IT', 0, [g0, g1, g2]);
const withSerial = (f: Feed, serial: number): Feed => ({ ...f, serial });
const de = loadFeed(feedOfGroups('DE', 1, [hosts.slice(2_000, 3_500), hosts.slice(3_500, 4_500), hosts.slice(4_500)]));

describe('an overlay compiled from a delta alone', () => {
  const baseFeed = withSerial(itGroups([...hosts.slice(0, 1_500), ...children, ...grandchildren], hosts.slice(1_500, 3_000), hosts.slice(3_000, 3_200)), 1);
  const baseLoaded = loadFeed(baseFeed);
  const baseWanted = wantedSet([baseLoaded, de], SEL);
  const full = compile(baseWanted, [], OPTS);

  it('notes the nested wanted hosts at a full compile', () => {
    expect(full.mode).toBe('full');
    const all = new Set<string>();
    baseWanted.walk((h) => void all.add(h));
    const below = [...all].filter((h) => h.split('.').some((_, i, labels) => i > 0 && all.has(labels.slice(i).join('.'))));
    expect(below).toEqual(expect.arrayContaining([...children, ...grandchildren]));
    expect(sortList([...(full.nested?.hosts ?? [])])).toEqual(below.sort());
    expect(full.overlayHosts).toEqual({ added: [], removed: [] });
  });

  it('matches the walking compile over deltas in a row', async () => {
    const known = (installed: readonly DnrRule[], base: WantedSet): KnownInstalled => ({
      base: { buckets: full.stats.buckets, ruleIds: installed.filter((r) => r.id >= BASE_ID).map((r) => r.id), hosts: { walk: (fn) => base.walk((h) => fn(h)), has: (h) => base.orderSetOf(h) >= 0 } },
      overlay: installed.filter((r) => r.id < BASE_ID),
    });
    const steps: Feed[] = [
      // Parents removed with their children listed (lifted, children kept), children removed, a new
      // child under a removed parent, hosts DE still lists, hosts moved to the gambling group, new hosts.
      itGroups(
        [...hosts.slice(10, 1_500), ...children.slice(0, 20), ...children.slice(30), ...grandchildren, `new.${hosts[0]}`, ...fresh.slice(0, 40)],
        [...hosts.slice(1_500, 2_050), ...hosts.slice(2_100, 2_950)],
        [...hosts.slice(2_950, 3_200)],
      ),
      // Some parents listed again, gambling hosts moved back to an enforced group, a grandchild's parent removed.
      itGroups(
        [...hosts.slice(5, 1_500), ...children.slice(0, 20), ...children.slice(31), ...grandchildren, `new.${hosts[0]}`, ...fresh.slice(0, 40), ...hosts.slice(3_000, 3_050)],
        [...hosts.slice(1_500, 2_050), ...hosts.slice(2_100, 2_950), ...fresh.slice(40, 80)],
        [...hosts.slice(2_950, 3_000), ...hosts.slice(3_050, 3_200)],
      ),
      // Back to the base's hosts: an empty overlay.
      itGroups([...hosts.slice(0, 1_500), ...children, ...grandchildren], hosts.slice(1_500, 3_000), hosts.slice(3_000, 3_200)),
    ];
    let installed = apply([], full);
    let prev: { feed: Feed; loaded: LoadedFeed } = { feed: baseFeed, loaded: baseLoaded };
    let overlayHosts: OverlayHosts = { added: [], removed: [] };
    let ruleOrders = full.ruleOrders;
    for (const [i, step] of steps.entries()) {
      const next = withSerial(step, 2 + i);
      const r = await applyDeltaToIndex(prev.loaded, await makeDelta(prev.feed, next));
      if (!r.ok) throw new Error(r.message);
      const changed = takeChangedHosts(prev.loaded.index, r.loaded.index);
      expect(changed).not.toBeNull();
      expect(takeChangedHosts(prev.loaded.index, r.loaded.index)).toBeNull();
      expect(keepsEnforcement(prev.loaded, r.loaded, SEL)).toBe(true);
      const wanted = wantedSet([r.loaded, de], SEL);
      const ref = compile(wanted, known(installed, baseWanted), OPTS);
      const base: ChangeBase = {
        buckets: full.stats.buckets,
        ruleIds: full.rules.map((x) => x.id),
        has: (h) => baseWanted.orderSetOf(h) >= 0,
        ruleOrders,
        nested: full.nested ?? { hosts: [], starts: null },
      };
      const got = compileChange({ wanted, base, overlay: installed.filter((x) => x.id < BASE_ID), hosts: overlayHosts, changed: changed ?? [] }, OPTS);
      expect(got).not.toBeNull();
      if (!got) return;
      expect(got.mode).toBe(ref.mode);
      expect(sorted(got.rules)).toEqual(sorted(ref.rules));
      expect(got.update.removeRuleIds).toEqual(ref.update.removeRuleIds);
      expect(sorted(got.update.addRules)).toEqual(sorted(ref.update.addRules));
      expect(got.ruleCount).toBe(ref.ruleCount);
      expect(Object.keys(got.ruleOrders)).toEqual(Object.keys(ref.ruleOrders));
      for (const x of ref.rules) if (x.action.type !== 'allow') expect(got.ruleOrders[x.id]).toEqual(ref.ruleOrders[x.id]);
      expect(hostsOf(got.overlayHosts)).toEqual(hostsOf(ref.overlayHosts));
      expect(got.errors).toEqual(ref.errors);
      if (i === 0) {
        // The first step lifts removed parents and keeps their listed children.
        const allow = got.rules.find((x) => x.action.type === 'allow');
        expect(allow?.condition.requestDomains).toContain(hosts[0]);
        expect(allow?.condition.excludedRequestDomains).toEqual(expect.arrayContaining([children[0], grandchildren[0], `new.${hosts[0]}`]));
      }
      installed = apply(installed, got);
      overlayHosts = got.overlayHosts ?? { added: [], removed: [] };
      ruleOrders = got.ruleOrders;
      prev = { feed: next, loaded: r.loaded };
    }
    // The last step is the base again: no overlay rule is left.
    expect(installed.filter((x) => x.id < BASE_ID)).toEqual([]);
  });

  it('gives way to a rebuild when the overlay would outgrow its share', () => {
    const next = loadFeed(withSerial(itGroups(hosts.slice(500, 1_500), hosts.slice(1_500, 3_000), []), 2));
    const wanted = wantedSet([next, de], SEL);
    const base: ChangeBase = {
      buckets: full.stats.buckets,
      ruleIds: full.rules.map((x) => x.id),
      has: (h) => baseWanted.orderSetOf(h) >= 0,
      ruleOrders: full.ruleOrders,
      nested: full.nested ?? { hosts: [], starts: null },
    };
    expect(compileChange({ wanted, base, overlay: [], hosts: { added: [], removed: [] }, changed: hosts.slice(0, 500) }, OPTS)).toBeNull();
  });

  it('is not for a delta that changes what a kept group enforces', () => {
    const recategorised = loadFeed({ ...baseFeed, serial: 2, orders: { ...baseFeed.orders, o0: { ...(baseFeed.orders.o0 as Feed['orders'][string]), category: 'gambling' } } });
    expect(keepsEnforcement(baseLoaded, recategorised, SEL)).toBe(false);
    expect(keepsEnforcement(baseLoaded, recategorised, { jurisdictions: { IT: true }, categories: {} })).toBe(true);
    expect(keepsEnforcement(baseLoaded, loadFeed({ ...baseFeed, serial: 3 }), SEL)).toBe(true);
  });
});

describe('the hosts below any of the lifted ones', () => {
  // Few labels, so that hosts often lie below one another; single labels and IPv4 addresses too.
  const host = fc.oneof(
    fc.array(fc.constantFrom('a', 'b', 'com', 'it', 'xn--p1ai'), { minLength: 1, maxLength: 4 }).map((l) => l.join('.')),
    fc.constantFrom('10.0.0.1', '0.1', '1'),
  );
  it('are what a walk up each host’s parents finds', () => {
    fc.assert(
      fc.property(fc.array(host, { maxLength: 6 }), fc.array(host, { maxLength: 30 }), (lifted, hosts) => {
        const below = belowAnyOf(lifted);
        const set = new Set(lifted);
        for (const h of hosts) expect(below(h)).toBe(hasAncestorIn(h, set));
      }),
      { numRuns: 500 },
    );
  });

  it('are found in the groups of the lifted hosts’ last two labels, as among all the nested hosts', () => {
    fc.assert(
      fc.property(fc.array(host, { maxLength: 6 }), fc.uniqueArray(host, { maxLength: 40 }), (lifted, hosts) => {
        const grouped = groupNested(hosts);
        expect([...grouped.hosts].sort()).toEqual([...hosts].sort());
        expect(isGrouping(grouped.starts, hosts.length)).toBe(true);
        const set = new Set(lifted);
        const found = candidatesBelow(grouped, lifted).filter((h) => hasAncestorIn(h, set));
        // In the order the grouped copy holds them, as a walk over all of it finds them.
        expect(found).toEqual(grouped.hosts.filter((h) => hasAncestorIn(h, set)));
        // Not grouped (a copy of an earlier build): every host is a candidate.
        expect(candidatesBelow({ hosts, starts: null }, lifted)).toBe(hosts);
      }),
      { numRuns: 500 },
    );
  });

  it('are read from groups only when the groups fit the hosts', () => {
    const { hosts, starts } = groupNested(['a.b.com', 'c.b.com', 'x.y.it']);
    expect(isGrouping(starts, hosts.length)).toBe(true);
    expect(isGrouping(starts, hosts.length + 1)).toBe(false);
    expect(isGrouping(new Uint32Array(4), 0)).toBe(false);
    expect(isGrouping([0, 3], 3)).toBe(false);
    expect(isGrouping(undefined, 0)).toBe(false);
    const shuffled = starts?.slice() ?? new Uint32Array(0);
    shuffled[1] = 9;
    expect(isGrouping(shuffled, hosts.length)).toBe(false);
  });
});
