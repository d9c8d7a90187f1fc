// The rules Ordinanza writes: their shape, ids and limits, and how an installed rule is compared
// with a wanted one. The compiler (compiler.ts) decides which hosts go in which rule.
import { hostHash } from './host-set.ts';

export type RuleActionType = 'block' | 'allow' | 'redirect';

export interface DnrRule {
  id: number;
  priority: number;
  action: { type: 'block' } | { type: 'allow' } | { type: 'redirect'; redirect: { regexSubstitution: string } };
  condition: {
    regexFilter?: string;
    requestDomains?: string[];
    excludedRequestDomains?: string[];
    resourceTypes?: string[];
    excludedResourceTypes?: string[];
  };
}

export interface RuleLimits {
  /** All dynamic rules (Chromium: safe rules; Firefox: every dynamic rule). */
  readonly maxDynamicRules: number;
  /** Redirect rules (Chromium's "unsafe" budget); same as maxDynamicRules where there is no split. */
  readonly maxUnsafeRules: number;
  readonly maxRegexRules: number;
}

export const CONSERVATIVE_LIMITS: RuleLimits = { maxDynamicRules: 5000, maxUnsafeRules: 5000, maxRegexRules: 1000 };

export const BASE_ID = 10_000;
/** Firefox only: the rule that drops a host's trailing dot (src/platform/browser.ts); never the compiler's. */
export const TRAILING_DOT_ID = 100;
export const OVERLAY_REDIRECT_ID = 101;
export const OVERLAY_BLOCK_ID = 102;
export const OVERLAY_ALLOW_ID = 103;
export const OVERLAY_ALLOW_REST_ID = 104;
/** Every overlay rule's id: an update that replaces the overlay removes them all, whichever are installed. */
export const OVERLAY_IDS: readonly number[] = [OVERLAY_REDIRECT_ID, OVERLAY_BLOCK_ID, OVERLAY_ALLOW_ID, OVERLAY_ALLOW_REST_ID];

export const FRAMES = ['main_frame', 'sub_frame'];

/** A host's bucket: its `hostHash` (stable across runs and browsers), so a host always lands in the same bucket for a given K. */
export function bucketOf(host: string, buckets: number): number {
  return hostHash(host) & (buckets - 1);
}

export function redirectRule(id: number, domains: string[], blockPageUrl: string): DnrRule {
  return {
    id,
    priority: 1,
    action: { type: 'redirect', redirect: { regexSubstitution: `${blockPageUrl}#\\1` } },
    condition: { regexFilter: '^(.*)$', requestDomains: domains, resourceTypes: [...FRAMES] },
  };
}

export function blockRule(id: number, domains: string[]): DnrRule {
  return { id, priority: 1, action: { type: 'block' }, condition: { requestDomains: domains, excludedResourceTypes: [...FRAMES] } };
}

export function baseId(buckets: number, bucket: number, kind: 0 | 1): number {
  return BASE_ID + buckets * 1000 + bucket * 2 + kind;
}

export function isBaseId(id: number): boolean {
  return id >= BASE_ID;
}

/** The part of a rule that is not its domain lists, for comparing installed rules with wanted ones. */
export function shape(rule: DnrRule): string {
  const { requestDomains: _r, excludedRequestDomains: _e, ...cond } = rule.condition;
  const action = rule.action.type === 'redirect' ? `redirect ${rule.action.redirect.regexSubstitution}` : rule.action.type;
  const sorted = Object.fromEntries(
    Object.entries(cond)
      .map(([k, v]) => [k, Array.isArray(v) ? [...v].sort() : v])
      .sort(),
  );
  return `${rule.priority}|${action}|${JSON.stringify(sorted)}`;
}

function sameSet(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  if (x === y) return true;
  if (x.length !== y.length) return false;
  // Usually the same order (same feed, same bucketing): compare in place before building a set.
  let i = 0;
  while (i < x.length && x[i] === y[i]) i++;
  if (i === x.length) return true;
  const s = new Set(x.slice(i));
  for (let j = i; j < y.length; j++) if (!s.has(y[j] as string)) return false;
  return true;
}

export function sameRule(a: DnrRule, b: DnrRule): boolean {
  if (a === b) return true;
  return a.id === b.id && shape(a) === shape(b) && sameSet(a.condition.requestDomains, b.condition.requestDomains) && sameSet(a.condition.excludedRequestDomains, b.condition.excludedRequestDomains);
}

/** A block rule's redirect partner: the rule before it, written in the same update with the same domains. */
function partnerOf(id: number): number | null {
  if (id === OVERLAY_BLOCK_ID) return OVERLAY_REDIRECT_ID;
  return isBaseId(id) && (id - BASE_ID) % 2 === 1 ? id - 1 : null;
}

/**
 * What to read back of the installed rules when their ids are known (`ids`: every redirect and block
 * rule the last update wrote): the redirect rules and the allow rules, not the block rules, which
 * carry exactly their partner's domains. Half the domains cross from the browser.
 */
export function rulesToRead(ids: readonly number[]): number[] {
  const known = new Set(ids);
  const read = ids.filter((id) => {
    const p = partnerOf(id);
    return p === null || !known.has(p);
  });
  return [...read, OVERLAY_ALLOW_ID, OVERLAY_ALLOW_REST_ID];
}

/** The installed rules from those `rulesToRead(ids)` read: each block rule rebuilt from its partner. */
export function withPairedBlocks(read: readonly DnrRule[], ids: readonly number[]): DnrRule[] {
  const byId = new Map(read.map((r) => [r.id, r]));
  const out = [...read];
  for (const id of ids) {
    const p = partnerOf(id);
    const partner = p === null || byId.has(id) ? undefined : byId.get(p);
    if (partner) out.push(blockRule(id, partner.condition.requestDomains ?? []));
  }
  return out.sort((a, b) => a.id - b.id);
}
