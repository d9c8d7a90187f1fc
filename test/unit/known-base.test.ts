// The compiler on a known base (the engine keeps the indexes the base rules were compiled from) must
// reach the same installed rules as when it reads every rule back: the same update, rule orders and
// rule count while the base stays, and the same rules after a rebuild.
import { describe, expect, it } from 'vitest';
import { BASE_ID, compile, CONSERVATIVE_LIMITS, type CompileOptions, type CompileResult, type DnrRule, type KnownInstalled } from '../../src/core/compiler.ts';
import type { Feed } from '../../src/core/feed.ts';
import { loadFeed, wantedSet, type LoadedFeed, type Selection } from '../../src/core/selection.ts';
import type { WantedSet } from '../../src/core/wanted.ts';
import { generatedHosts } from '../support/generated-hosts.ts';
import { feedOfGroups } from '../support/group-feeds.ts';

const OPTS: CompileOptions = { blockPageUrl: 'chrome-extension://x/src/pages/blocked.html', blockSubresources: true, limits: CONSERVATIVE_LIMITS, bucketTarget: 400 };
const SEL: Selection = { jurisdictions: { IT: true, DE: true }, categories: { DE: { gambling: false } } };

function feedOf(jurisdiction: string, serial: number, hosts: readonly string[]): Feed {
  return feedOfGroups(
    jurisdiction,
    serial,
    [0, 1, 2].map((g) => hosts.filter((_, i) => i % 3 === g)),
  );
}

/** Rules with their domain lists sorted: the two ways walk the base in different orders, and a rule's domains are a set. */
function sorted(rules: readonly DnrRule[]): DnrRule[] {
  const sort = (l: string[] | undefined): string[] | undefined => l && [...l].sort();
  return rules.map((r) => ({ ...r, condition: { ...r.condition, requestDomains: sort(r.condition.requestDomains), excludedRequestDomains: sort(r.condition.excludedRequestDomains) } }));
}

function apply(installed: readonly DnrRule[], r: CompileResult): DnrRule[] {
  const byId = new Map(installed.map((x) => [x.id, x]));
  for (const id of r.update.removeRuleIds) byId.delete(id);
  for (const x of r.update.addRules) byId.set(x.id, x);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/** What the engine knows of `installed` when the base was compiled from `base`: its layout, its hosts, and the overlay rules. */
function known(installed: readonly DnrRule[], base: WantedSet, buckets: number): KnownInstalled {
  return {
    base: { buckets, ruleIds: installed.filter((r) => r.id >= BASE_ID).map((r) => r.id), hosts: { walk: (fn) => base.walk((h) => fn(h)), has: (h) => base.orderSetOf(h) >= 0 } },
    overlay: installed.filter((r) => r.id < BASE_ID),
  };
}

const hosts = generatedHosts(5_000, { seed: 21 });
const fresh = generatedHosts(200, { seed: 22, avoid: new Set(hosts) });
const it1 = loadFeed(feedOf('IT', 1, hosts.slice(0, 3_000)));
const de = loadFeed(feedOf('DE', 1, hosts.slice(2_000, 5_000)));
// Subdomains of listed hosts, so that lifting a removed parent must keep its listed children.
const children = hosts.slice(0, 40).map((h) => `www.${h}`);

describe('compile on a known base', () => {
  const baseFeeds: LoadedFeed[] = [it1, de];
  const baseWanted = wantedSet(baseFeeds, SEL);
  const full = compile(baseWanted, [], OPTS);
  const installed0 = apply([], full);

  it('gives the update, rule orders and rule count of the read-back compile while the base stays', () => {
    let installed = installed0;
    // Two changes in a row on the same base: removals (some covered by DE, some parents of listed children), additions.
    const steps = [
      [...hosts.slice(30, 3_000), ...children, ...fresh.slice(0, 50)],
      [...hosts.slice(10, 2_990), ...children.slice(5), ...fresh.slice(20, 120)],
    ];
    for (const [i, list] of steps.entries()) {
      const wanted = wantedSet([loadFeed(feedOf('IT', 2 + i, list)), de], SEL);
      const read = compile(wanted, installed, OPTS);
      const fromKnown = compile(wanted, known(installed, baseWanted, full.stats.buckets), OPTS);
      expect(read.mode).toBe('overlay');
      expect(fromKnown.mode).toBe('overlay');
      expect(fromKnown.update.removeRuleIds).toEqual(read.update.removeRuleIds);
      expect(sorted(fromKnown.update.addRules)).toEqual(sorted(read.update.addRules));
      expect(fromKnown.ruleOrders).toEqual(read.ruleOrders);
      expect(fromKnown.ruleCount).toBe(read.rules.length);
      expect(sorted(fromKnown.rules)).toEqual(sorted(read.rules.filter((r) => r.id < BASE_ID)));
      expect(fromKnown.stats.buckets).toBe(read.stats.buckets);
      installed = apply(installed, read);
    }
  });

  it('replaces every base rule when the change is too large for an overlay, reaching the same rules', () => {
    const wanted = wantedSet([loadFeed(feedOf('IT', 9, [...hosts.slice(1_000, 3_000), ...fresh])), de], SEL);
    const read = compile(wanted, installed0, OPTS);
    const fromKnown = compile(wanted, known(installed0, baseWanted, full.stats.buckets), OPTS);
    expect(read.mode).toBe('full');
    expect(fromKnown.mode).toBe('full');
    expect(sorted(apply(installed0, fromKnown))).toEqual(sorted(apply(installed0, read)));
    expect(fromKnown.ruleCount).toBe(read.ruleCount);
    expect(fromKnown.ruleOrders).toEqual(read.ruleOrders);
  });

  it('removes every rule when nothing is wanted any more', () => {
    const fromKnown = compile(wantedSet([], SEL), known(installed0, baseWanted, full.stats.buckets), OPTS);
    expect(apply(installed0, fromKnown)).toEqual([]);
    expect(fromKnown.ruleCount).toBe(0);
  });
});
