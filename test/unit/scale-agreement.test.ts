// Correctness at scale: over a million generated hosts, the rules the compiler writes (in the DNR
// model) and the explanation lookup agree on every sampled host, its parent, a subdomain of it and
// unlisted names — after a full compile and after a 1% change applied as an overlay. Enforcement
// itself is proven in the browsers (test/e2e/differential.e2e.test.ts); this is the logic at scale.
import { describe, expect, it } from 'vitest';
import { compile, type CompileOptions, type DnrRule } from '../../src/core/compiler.ts';
import { explain } from '../../src/core/explain.ts';
import { FEED_FORMAT, type Feed } from '../../src/core/feed.ts';
import { loadFeed, wantedSet, type Selection } from '../../src/core/selection.ts';
import { scaleHosts } from '../bench/scale-hosts.ts';
import { applyUpdate, dnrModel } from '../support/dnr-model.ts';

const N = 1_000_000;
const SEL: Selection = { jurisdictions: { IT: true }, categories: { IT: { gambling: false } } };
const OPTS: CompileOptions = {
  blockPageUrl: 'chrome-extension://ordinanza/src/pages/blocked.html',
  blockSubresources: true,
  limits: { maxDynamicRules: 30_000, maxUnsafeRules: 5_000, maxRegexRules: 1_000 },
};
const AGE = { now: Date.parse('2026-12-01T00:00:00Z'), maxAgeMonths: 12 };

function feedOf(serial: number, hosts: string[]): Feed {
  // About a third of the hosts under a gambling order (off in SEL), the rest under a copyright order;
  // by name, so a host keeps its order from one feed to the next.
  const isGambling = (h: string): boolean => h.length % 3 === 0;
  const gambling = hosts.filter(isGambling).sort();
  const copyright = hosts.filter((h) => !isGambling(h)).sort();
  return {
    format: FEED_FORMAT,
    jurisdiction: 'IT',
    serial,
    generated: '2026-11-01T00:00:00Z',
    expires: '2027-11-01T00:00:00Z',
    authorities: { a: { name: { it: 'A' } } },
    orders: {
      c: { authority: 'a', category: 'copyright', act: { kind: 'register' }, sources: [{ url: 'https://example.org/c' }] },
      g: { authority: 'a', category: 'gambling', act: { kind: 'register' }, sources: [{ url: 'https://example.org/g' }] },
    },
    editions: { e: { source: 'generated' } },
    entries: [
      { listings: [{ order: 'c', edition: 'e' }], hosts: copyright },
      { listings: [{ order: 'g', edition: 'e' }], hosts: gambling },
    ],
  };
}

function disagreements(rules: readonly DnrRule[], feed: Feed, probes: readonly string[]): string[] {
  const blocks = dnrModel(rules);
  const loaded = [loadFeed(feed)];
  return probes.filter((h) => blocks(h) !== explain(h, loaded, SEL, AGE).blocked);
}

function probesOf(hosts: readonly string[], extra: readonly string[]): string[] {
  const out: string[] = [...extra];
  for (let i = 0; i < hosts.length; i += 997) {
    const h = hosts[i] as string;
    out.push(h, `www.${h}`, h.slice(h.indexOf('.') + 1), `x${i}.unlisted-${i % 13}.example`);
  }
  return out;
}

describe('rules and explanations agree at a million hosts', () => {
  it('after a full compile and after a 1% overlay change', () => {
    const hosts = scaleHosts(N, new Set());
    const first = feedOf(1, hosts);
    const compiled = compile(wantedSet([loadFeed(first)], SEL), [], OPTS);
    expect(compiled.errors).toEqual([]);
    const probes = probesOf(hosts, []);
    expect(probes.length).toBeGreaterThan(4_000);
    expect(disagreements(compiled.rules, first, probes)).toEqual([]);

    // 1%: half of it removed (the first hosts), half new.
    const k = N / 200;
    const added = scaleHosts(k, new Set(hosts), 7);
    const nextHosts = [...hosts.slice(k), ...added];
    const next = feedOf(2, nextHosts);
    const overlay = compile(wantedSet([loadFeed(next)], SEL), compiled.rules, OPTS);
    expect(overlay.mode).toBe('overlay');
    const installed = applyUpdate(compiled.rules, overlay.update.removeRuleIds, overlay.update.addRules);
    expect(disagreements(installed, next, [...probesOf(nextHosts, []), ...hosts.slice(0, 400), ...added.slice(0, 400)])).toEqual([]);
  }, 240_000);
});
