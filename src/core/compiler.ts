// The DNR rule compiler: wanted hosts → a small set of declarativeNetRequest rules, and the minimal
// update from what is installed. Pure: it reports problems, it never throws, and it touches no browser.
//
// Layout (ids are stable):
// - Base rules, hosts hash-partitioned into K buckets (K a power of two sized from the host count):
//   redirect  id BASE + K*1000 + 2i      main_frame/sub_frame → block page, original URL in the hash
//   block     id BASE + K*1000 + 2i + 1  every other resource type (when blocking subresources)
// - Overlay rules, for small changes on top of an installed base (so a 1% change rewrites ~1%):
//   101 redirect and 102 block for hosts added since the base; 103 (frames) and 104 (the rest) allow,
//   at a higher priority, hosts removed since the base that no wanted host still covers, excluding
//   wanted hosts below them.
// When the overlay would exceed `overlayMaxFraction` of the wanted hosts, the base is rebuilt; buckets
// whose hosts did not change keep their id and content and are not rewritten.
import type { WantedHost } from './selection.ts';
import { isWantedSet, wantedOfList, type WantedSet } from './wanted.ts';
export type { WantedSet } from './wanted.ts';
import type { HostSide } from './host-diff.ts';
import {
  BASE_ID,
  baseId,
  blockRule,
  bucketOf,
  FRAMES,
  isBaseId,
  OVERLAY_ALLOW_ID,
  OVERLAY_ALLOW_REST_ID,
  OVERLAY_BLOCK_ID,
  OVERLAY_REDIRECT_ID,
  redirectRule,
  sameRule,
  shape,
  type DnrRule,
  type RuleLimits,
} from './dnr-rules.ts';
export { BASE_ID, bucketOf, CONSERVATIVE_LIMITS, OVERLAY_ALLOW_ID, OVERLAY_ALLOW_REST_ID, OVERLAY_BLOCK_ID, OVERLAY_IDS, OVERLAY_REDIRECT_ID, sameRule } from './dnr-rules.ts';
export type { DnrRule, RuleActionType, RuleLimits } from './dnr-rules.ts';
import { groupNested, type NestedHosts } from './nested-hosts.ts';
export type { NestedHosts } from './nested-hosts.ts';
import { hasAncestorIn, isKnownInstalled, planOverlay, type KnownInstalled, type OverlayPlan } from './overlay.ts';
export type { KnownBase, KnownInstalled } from './overlay.ts';

/**
 * Bumped when the rules' layout changes (ids, shapes, which bucket a host goes to): an update then
 * rebuilds every rule. 2: buckets by `hostHash`, the order index's hash, instead of a second one.
 * 3: Firefox's rules no longer carry each domain's dotted form (src/platform/browser.ts).
 */
export const RULE_LAYOUT_VERSION = 3;

export interface CompileOptions {
  /** Absolute URL of the block page, e.g. chrome-extension://ID/blocked.html */
  readonly blockPageUrl: string;
  readonly blockSubresources: boolean;
  readonly limits: RuleLimits;
  /** Target hosts per base bucket. */
  readonly bucketTarget?: number;
  /** Largest overlay, as a fraction of the wanted hosts, before the base is rebuilt. */
  readonly overlayMaxFraction?: number;
  /** Force a base rebuild (e.g. a compaction). */
  readonly rebuild?: boolean;
}

export interface RuleUpdate {
  readonly removeRuleIds: number[];
  readonly addRules: DnrRule[];
}

export interface CompileResult {
  /** The wanted rule set after the update; on a known base that stays (`KnownInstalled`), without the base rules. */
  readonly rules: DnrRule[];
  /** How many rules are installed after the update, base rules included. */
  readonly ruleCount: number;
  /** Rule id → the `JURISDICTION:ORDER` keys of the hosts it carries. */
  readonly ruleOrders: Record<number, string[]>;
  /** The minimal change from the installed rules: one `updateDynamicRules` call. */
  readonly update: RuleUpdate;
  readonly mode: 'full' | 'overlay' | 'unchanged';
  readonly errors: string[];
  readonly limitations: string[];
  readonly stats: { readonly wantedHosts: number; readonly rulesWritten: number; readonly domainsWritten: number; readonly buckets: number };
  /** The overlay's hosts relative to the base (none after a full compile); null when not known (nothing changed). */
  readonly overlayHosts: OverlayHosts | null;
  /** After a full compile: the wanted hosts below another wanted host (what an allow rule for their parent would lift too). */
  readonly nested: NestedHosts | null;
}

/** The hosts an overlay changes relative to the base: what a compile from a change alone starts from (change-overlay.ts). */
export interface OverlayHosts {
  /** Wanted hosts the base lacks. */
  readonly added: readonly string[];
  /** Base hosts no longer wanted (lifted or not). */
  readonly removed: readonly string[];
}

const DEFAULT_BUCKET_TARGET = 25_000;
const DEFAULT_OVERLAY_FRACTION = 0.05;
/** Use at most this share of any browser limit: other extensions' rules do not count against ours, but future ones of ours might. */
const LIMIT_MARGIN = 0.5;

function bucketCountFor(hosts: number, target: number, limits: RuleLimits): { buckets: number; limitation?: string } {
  let buckets = 1;
  while (buckets * target < hosts) buckets *= 2;
  // Two rules per bucket, one of them a regex/unsafe redirect, plus three overlay rules.
  const maxRedirects = Math.floor(Math.min(limits.maxRegexRules, limits.maxUnsafeRules) * LIMIT_MARGIN) - 2;
  const maxRules = Math.floor(limits.maxDynamicRules * LIMIT_MARGIN) - 3;
  let limitation: string | undefined;
  while (buckets > 1 && (buckets > maxRedirects || buckets * 2 > maxRules)) {
    buckets /= 2;
    limitation = `bucket count capped at ${buckets} by the browser's rule limits; each rule carries more hosts`;
  }
  return limitation ? { buckets, limitation } : { buckets };
}

/** The orders behind the wanted hosts a rule carries, listed once in sorted order. */
export function keysOf(wanted: WantedSet, sets: ReadonlySet<number>): string[] {
  const keys = new Set<string>();
  for (const s of sets) for (const k of wanted.orderSets[s] ?? []) keys.add(k);
  return [...keys].sort();
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function compile(wantedIn: WantedSet | readonly WantedHost[], installedIn: readonly DnrRule[] | KnownInstalled, opts: CompileOptions): CompileResult {
  const errors: string[] = [];
  const limitations: string[] = [];
  const wanted = isWantedSet(wantedIn) ? wantedIn : wantedOfList(wantedIn);
  const known = isKnownInstalled(installedIn) ? installedIn.base : null;
  /** The installed rules the compiler has in full: all of them, or, on a known base, the overlay's. */
  const installed = isKnownInstalled(installedIn) ? installedIn.overlay : installedIn;
  /** Rule id → the order sets of the wanted hosts it carries (for `ruleOrders`). */
  const setsOfRule = new Map<number, Set<number>>();

  // What is installed: the base hosts (from the base redirect rules) and whether the base is still shaped as we want.
  const installedBase = installed.filter((r) => isBaseId(r.id));
  const baseRedirects = installedBase.filter((r) => r.action.type === 'redirect');
  const template = redirectRule(0, [], opts.blockPageUrl);
  const baseShapeOk =
    known !== null ||
    (baseRedirects.length > 0 &&
      baseRedirects.every((r) => shape(r) === shape({ ...template, id: r.id })) &&
      installedBase.filter((r) => r.action.type === 'block').length === (opts.blockSubresources ? baseRedirects.length : 0) &&
      installedBase.every((r) => r.action.type !== 'block' || shape(r) === shape(blockRule(r.id, []))));

  // The overlay is weighed only when the base can stay: hosts added since it and removed from it.
  const overlayLimit = (opts.overlayMaxFraction ?? DEFAULT_OVERLAY_FRACTION) * wanted.size;
  let plan: OverlayPlan | null = null;
  if (!opts.rebuild && baseShapeOk && wanted.size > 0 && known) {
    // Each base host is in its bucket's rules: the orders still wanted of each bucket, noted on the way.
    const ofBucket = Array.from({ length: known.buckets }, () => new Set<number>());
    const wantedSide: HostSide = {
      walk: (fn) => wanted.walk((h) => fn(h)),
      has(h) {
        const s = wanted.orderSetOf(h);
        if (s < 0) return false;
        ofBucket[bucketOf(h, known.buckets)]?.add(s);
        return true;
      },
    };
    plan = planOverlay(known.hosts, wantedSide, wanted, overlayLimit);
    for (const id of known.ruleIds) setsOfRule.set(id, ofBucket[Math.floor((id - baseId(known.buckets, 0, 0)) / 2)] ?? new Set());
  } else if (!opts.rebuild && baseShapeOk && wanted.size > 0) {
    // A native Set: the installed domains are hashed once by the engine and the hash is cached in
    // each string, which a set hashing in JavaScript (HostSet) cannot use.
    const baseHosts = new Set<string>();
    // The walk over the base also notes, per base rule, the orders of its hosts still wanted: the
    // membership test that finds removed hosts is the lookup of their orders.
    let ruleSets = new Set<number>();
    const baseSide: HostSide = {
      walk(fn) {
        for (const r of baseRedirects) {
          ruleSets = new Set();
          setsOfRule.set(r.id, ruleSets);
          for (const d of r.condition.requestDomains ?? []) {
            if (!baseHosts.has(d)) {
              baseHosts.add(d);
              if (fn(d) === false) return;
            } else if (wanted.orderSetOf(d) >= 0) {
              ruleSets.add(wanted.orderSetOf(d));
            }
          }
        }
      },
      has: (h) => baseHosts.has(h),
    };
    const wantedSide: HostSide = {
      walk: (fn) => wanted.walk((h) => fn(h)),
      has(h) {
        const s = wanted.orderSetOf(h);
        if (s < 0) return false;
        ruleSets.add(s);
        return true;
      },
    };
    plan = planOverlay(baseSide, wantedSide, wanted, overlayLimit);
  }
  const useOverlay = plan?.fits === true;
  const { added = [], addedSets = new Set<number>(), lifted = new Set<string>(), keep = [] } = plan ?? {};

  const rules: DnrRule[] = [];
  let buckets = 0;
  let nested: NestedHosts | null = null;
  if (useOverlay) {
    rules.push(...installedBase);
    buckets = known ? known.buckets : baseRedirects.length;
    // A base block rule carries its redirect partner's hosts, whose orders the diff noted.
    const redirectById = new Map(baseRedirects.map((r) => [r.id, r]));
    for (const r of installedBase) {
      if (r.action.type !== 'block') continue;
      const domains = r.condition.requestDomains ?? [];
      const partner = redirectById.get(r.id - 1);
      const known = partner ? setsOfRule.get(partner.id) : undefined;
      if (known && sameList(partner?.condition.requestDomains ?? [], domains)) {
        setsOfRule.set(r.id, known);
        continue;
      }
      const sets = new Set<number>();
      for (const d of domains) {
        const s = wanted.orderSetOf(d);
        if (s >= 0) sets.add(s);
      }
      setsOfRule.set(r.id, sets);
    }
    for (const r of overlayRules(added, [...lifted], keep, opts)) {
      rules.push(r);
      if (r.action.type !== 'allow') setsOfRule.set(r.id, addedSets);
    }
  } else if (wanted.size > 0) {
    const sized = bucketCountFor(wanted.size, opts.bucketTarget ?? DEFAULT_BUCKET_TARGET, opts.limits);
    buckets = sized.buckets;
    if (sized.limitation) limitations.push(sized.limitation);
    const parts: string[][] = Array.from({ length: buckets }, () => []);
    const partSets: Set<number>[] = Array.from({ length: buckets }, () => new Set());
    const wantedHas = { has: (h: string): boolean => wanted.orderSetOf(h) >= 0 };
    const below: string[] = [];
    wanted.walk((h, s) => {
      const b = bucketOf(h, buckets);
      (parts[b] as string[]).push(h);
      (partSets[b] as Set<number>).add(s);
      if (hasAncestorIn(h, wantedHas)) below.push(h);
    });
    nested = groupNested(below);
    parts.forEach((domains, i) => {
      if (domains.length === 0) return;
      rules.push(redirectRule(baseId(buckets, i, 0), domains, opts.blockPageUrl));
      setsOfRule.set(baseId(buckets, i, 0), partSets[i] as Set<number>);
      if (opts.blockSubresources) {
        rules.push(blockRule(baseId(buckets, i, 1), domains));
        setsOfRule.set(baseId(buckets, i, 1), partSets[i] as Set<number>);
      }
    });
  }

  // On a known base that stays, its rules are counted without being at hand.
  const keptBase = known && useOverlay ? known.ruleIds : [];
  const ruleCount = rules.length + keptBase.length;
  errors.push(...limitErrors(rules, keptBase, opts.limits));

  const ruleOrders: Record<number, string[]> = {};
  for (const r of rules) {
    if (r.action.type !== 'allow') ruleOrders[r.id] = keysOf(wanted, setsOfRule.get(r.id) ?? new Set());
  }
  for (const id of keptBase) ruleOrders[id] = keysOf(wanted, setsOfRule.get(id) ?? new Set());

  const { removeRuleIds, addRules } = ruleUpdate(installed, rules);
  // A known base that is rebuilt: its rules are not at hand to compare, so every one is replaced.
  if (known && !useOverlay) for (const id of known.ruleIds) if (!installed.some((r) => r.id === id)) removeRuleIds.push(id);
  const domainsWritten = domainsIn(addRules);
  const mode = addRules.length === 0 && removeRuleIds.length === 0 ? 'unchanged' : useOverlay ? 'overlay' : 'full';

  return {
    rules,
    ruleCount,
    ruleOrders,
    update: { removeRuleIds: removeRuleIds.sort((a, b) => a - b), addRules },
    mode,
    errors,
    limitations,
    stats: { wantedHosts: wanted.size, rulesWritten: addRules.length, domainsWritten, buckets },
    overlayHosts: useOverlay && plan ? { added: plan.added, removed: plan.removed } : mode === 'full' ? { added: [], removed: [] } : null,
    nested,
  };
}

/** The overlay rules for hosts `added` to the base, and base hosts `lifted` from it except those to `keep`. */
export function overlayRules(added: string[], lifted: string[], keep: string[], opts: Pick<CompileOptions, 'blockPageUrl' | 'blockSubresources'>): DnrRule[] {
  const rules: DnrRule[] = [];
  if (added.length > 0) {
    rules.push(redirectRule(OVERLAY_REDIRECT_ID, added, opts.blockPageUrl));
    if (opts.blockSubresources) rules.push(blockRule(OVERLAY_BLOCK_ID, added));
  }
  if (lifted.length > 0) {
    // Two allow rules: a rule without resourceTypes never matches main_frame.
    const allowFrames: DnrRule = { id: OVERLAY_ALLOW_ID, priority: 2, action: { type: 'allow' }, condition: { requestDomains: lifted, resourceTypes: [...FRAMES] } };
    if (keep.length > 0) allowFrames.condition.excludedRequestDomains = keep;
    rules.push(allowFrames);
    if (opts.blockSubresources) {
      const allowRest: DnrRule = { id: OVERLAY_ALLOW_REST_ID, priority: 2, action: { type: 'allow' }, condition: { requestDomains: [...lifted], excludedResourceTypes: [...FRAMES] } };
      if (keep.length > 0) allowRest.condition.excludedRequestDomains = [...keep];
      rules.push(allowRest);
    }
  }
  return rules;
}

/** The browser's limits that `rules` and the base rules kept unread (`keptBaseIds`) exceed together. */
export function limitErrors(rules: readonly DnrRule[], keptBaseIds: readonly number[], limits: RuleLimits): string[] {
  const ruleCount = rules.length + keptBaseIds.length;
  const redirects = rules.filter((r) => r.action.type === 'redirect').length + keptBaseIds.filter((id) => (id - BASE_ID) % 2 === 0).length;
  const errors: string[] = [];
  if (ruleCount > limits.maxDynamicRules) errors.push(`${ruleCount} rules exceed the browser's limit of ${limits.maxDynamicRules}`);
  const maxRedirects = Math.min(limits.maxRegexRules, limits.maxUnsafeRules);
  if (redirects > maxRedirects) errors.push(`${redirects} redirect rules exceed the browser's limit of ${maxRedirects}`);
  return errors;
}

/** The domains `rules` name, excluded ones included: what writing them costs. */
export function domainsIn(rules: readonly DnrRule[]): number {
  let n = 0;
  for (const r of rules) n += (r.condition.requestDomains?.length ?? 0) + (r.condition.excludedRequestDomains?.length ?? 0);
  return n;
}

/** The minimal change from `installed` to `rules`: remove what is no longer wanted or changed; add what is new or changed. */
export function ruleUpdate(installed: readonly DnrRule[], rules: readonly DnrRule[]): RuleUpdate {
  const wantedById = new Map(rules.map((r) => [r.id, r]));
  const installedById = new Map(installed.map((r) => [r.id, r]));
  const removeRuleIds: number[] = [];
  const addRules: DnrRule[] = [];
  for (const r of installed) {
    const w = wantedById.get(r.id);
    if (!w || !sameRule(w, r)) removeRuleIds.push(r.id);
  }
  for (const r of rules) {
    const i = installedById.get(r.id);
    if (!i || !sameRule(i, r)) addRules.push(r);
  }
  return { removeRuleIds, addRules };
}
