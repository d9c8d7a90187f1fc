import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BASE_ID, CONSERVATIVE_LIMITS, OVERLAY_ALLOW_ID, compile, type CompileOptions, type DnrRule } from '../../src/core/compiler.ts';
import { matchCandidates } from '../../src/core/hostname.ts';
import type { WantedHost } from '../../src/core/selection.ts';
import { rulesToRead, withPairedBlocks } from '../../src/core/dnr-rules.ts';
import { applyUpdate, dnrBlocks } from '../support/dnr-model.ts';

const opts: CompileOptions = { blockPageUrl: 'chrome-extension://abc/src/pages/blocked.html', blockSubresources: true, limits: CONSERVATIVE_LIMITS };
const want = (hosts: string[], order = 'IT:X'): WantedHost[] => hosts.map((host) => ({ host, orders: [order] }));
const hostsN = (n: number, prefix = 'h') => Array.from({ length: n }, (_, i) => `${prefix}${i}.example`);

/** Applies a compile result's update to an installed rule list, as updateDynamicRules does. */
function apply(installed: DnrRule[], update: { removeRuleIds: number[]; addRules: DnrRule[] }): DnrRule[] {
  return applyUpdate(installed, update.removeRuleIds, update.addRules);
}

describe('compile', () => {
  it('packs hosts into redirect + block rules with the URL in the hash', () => {
    const r = compile(want(['kickasstorrents.to', 'limetorrents.pro']), [], opts);
    expect(r.errors).toEqual([]);
    expect(r.mode).toBe('full');
    expect(r.rules).toHaveLength(2);
    const [redirect, block] = r.rules as [DnrRule, DnrRule];
    expect(redirect.id).toBe(BASE_ID + 1000);
    expect(redirect.action).toEqual({ type: 'redirect', redirect: { regexSubstitution: `${opts.blockPageUrl}#\\1` } });
    expect(redirect.condition).toMatchObject({ regexFilter: '^(.*)$', resourceTypes: ['main_frame', 'sub_frame'] });
    expect(redirect.condition.requestDomains).toEqual(['kickasstorrents.to', 'limetorrents.pro']);
    expect(block).toMatchObject({ id: BASE_ID + 1001, action: { type: 'block' }, condition: { excludedResourceTypes: ['main_frame', 'sub_frame'] } });
    expect(r.ruleOrders[redirect.id]).toEqual(['IT:X']);
    expect(r.update.addRules).toEqual(r.rules);
  });

  it('omits the block rules when subresource blocking is off', () => {
    const r = compile(want(['a.example']), [], { ...opts, blockSubresources: false });
    expect(r.rules.map((x) => x.action.type)).toEqual(['redirect']);
  });

  it('writes nothing when the installed rules already match, whatever their domain order', () => {
    const first = compile(want(hostsN(1000)), [], opts);
    const installed = first.rules.map((r) => ({ ...r, condition: { ...r.condition, requestDomains: [...(r.condition.requestDomains ?? [])].reverse() } }));
    const again = compile(want(hostsN(1000)), installed, opts);
    expect(again.mode).toBe('unchanged');
    expect(again.update).toEqual({ removeRuleIds: [], addRules: [] });
  });

  it('an empty wanted list removes every rule', () => {
    const first = compile(want(hostsN(10)), [], opts);
    const r = compile([], first.rules, opts);
    expect(r.rules).toEqual([]);
    expect(r.update.removeRuleIds).toEqual(first.rules.map((x) => x.id));
  });

  it('keeps bucket ids stable and sizes buckets to the host count', () => {
    const r = compile(want(hostsN(60_000)), [], opts);
    expect(r.stats.buckets).toBe(4);
    expect(r.rules.map((x) => x.id)).toEqual([0, 1, 2, 3].flatMap((i) => [BASE_ID + 4000 + 2 * i, BASE_ID + 4000 + 2 * i + 1]));
    expect(compile(want(hostsN(60_000)), [], opts).rules).toEqual(r.rules);
  });

  it('caps the bucket count by the browser limits and says so', () => {
    const r = compile(want(hostsN(5000)), [], { ...opts, bucketTarget: 10, limits: { maxDynamicRules: 40, maxUnsafeRules: 40, maxRegexRules: 40 } });
    expect(r.errors).toEqual([]);
    expect(r.rules.length).toBeLessThanOrEqual(20);
    expect(r.limitations.join()).toMatch(/capped/);
  });

  it('a 1% change of 100k hosts rewrites under 10% of the installed domains (overlay)', () => {
    const base = hostsN(100_000);
    const first = compile(want(base), [], opts);
    const next = [...base.slice(500), ...hostsN(500, 'new')];
    const r = compile(want(next), first.rules, opts);
    expect(r.mode).toBe('overlay');
    const installedDomains = first.rules.reduce((n, x) => n + (x.condition.requestDomains?.length ?? 0), 0);
    expect(r.stats.domainsWritten).toBeLessThan(0.1 * installedDomains);
    const rules = apply(first.rules, r.update);
    for (const h of ['h0.example', 'h499.example', 'www.h499.example']) expect(dnrBlocks(rules, h), h).toBe(false);
    for (const h of ['h500.example', 'new0.example', 'a.new499.example', 'h99999.example']) expect(dnrBlocks(rules, h), h).toBe(true);
  });

  it('rebuilds the base when the change is large, rewriting only buckets that changed', () => {
    const base = hostsN(100_000);
    const first = compile(want(base), [], opts);
    const r = compile(want(base.slice(20_000)), first.rules, opts);
    expect(r.mode).toBe('full');
    expect(r.rules.some((x) => x.id === OVERLAY_ALLOW_ID)).toBe(false);
  });

  it('overlay rules block exactly the wanted hosts and their subdomains (property)', () => {
    const label = fc.constantFrom('a', 'b', 'c', 'www');
    const host = fc.array(label, { minLength: 0, maxLength: 2 }).map((ls) => [...ls, 'x', 'it'].join('.'));
    fc.assert(
      fc.property(fc.uniqueArray(host, { minLength: 1, maxLength: 12 }), fc.uniqueArray(host, { minLength: 1, maxLength: 12 }), fc.array(host, { maxLength: 20 }), (before, after, probes) => {
        const first = compile(want(before), [], opts);
        const r = compile(want(after), first.rules, { ...opts, overlayMaxFraction: 100 });
        const rules = apply(first.rules, r.update);
        const wanted = new Set(after);
        for (const p of [...probes, ...before, ...after]) {
          const expected = matchCandidates(p).some((c) => wanted.has(c));
          for (const type of ['main_frame', 'sub_frame', 'script', 'image']) {
            expect(dnrBlocks(rules, p, type), `${type} ${p} before=${before} after=${after}`).toBe(expected);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('rebuilds when the block page URL or the subresource setting changes', () => {
    const first = compile(want(hostsN(100)), [], opts);
    const moved = compile(want(hostsN(100)), first.rules, { ...opts, blockPageUrl: 'moz-extension://x/src/pages/blocked.html' });
    expect(moved.mode).toBe('full');
    const noSub = compile(want(hostsN(100)), first.rules, { ...opts, blockSubresources: false });
    expect(noSub.mode).toBe('full');
    expect(noSub.update.removeRuleIds).toEqual([BASE_ID + 1001]);
    expect(noSub.update.addRules).toEqual([]);
  });
});

describe('reading back only the redirect rules (the engine, when the last update is on record)', () => {
  it('rebuilds the installed rules exactly: a base of several buckets, then an overlay with allow rules, with and without subresource blocking', () => {
    for (const blockSubresources of [true, false]) {
      const o = { ...opts, blockSubresources, bucketTarget: 50 };
      const base = compile(want(hostsN(400)), [], o);
      const next = compile(want([...hostsN(395), ...hostsN(5, 'new')]), base.rules, o);
      expect(next.mode).toBe('overlay');
      for (const r of [base, next]) {
        const ids = Object.keys(r.ruleOrders).map(Number);
        const read = r.rules.filter((x) => rulesToRead(ids).includes(x.id));
        expect(read.length).toBeLessThan(r.rules.length + (blockSubresources ? 0 : 1));
        expect(withPairedBlocks(read, ids)).toEqual([...r.rules].sort((a, b) => a.id - b.id));
      }
    }
  });
});
