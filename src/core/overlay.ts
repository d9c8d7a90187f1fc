// The overlay plan: which hosts the overlay rules must add to the base and lift from it. One plan for
// both ways the compiler knows the base: from the installed rules read back, or from the hosts the
// base was compiled from (the engine keeps their indexes), which spares reading a million domains
// back from the browser.
import type { DnrRule } from './dnr-rules.ts';
import { diffHosts, type HostSide } from './host-diff.ts';
import { isIPv4 } from './hostname.ts';
import type { WantedSet } from './wanted.ts';

/** Base rules known without reading them: their layout and the hosts they were compiled from. */
export interface KnownBase {
  /** The bucket count K of the base rules (ids from `baseId(K, …)`). */
  readonly buckets: number;
  /** Every base rule's id, redirect and block. */
  readonly ruleIds: readonly number[];
  /** The hosts the base rules carry: each in the rules of its bucket (`bucketOf(host, K)`). */
  readonly hosts: HostSide;
}

/** What is installed when the base is known: the base, and the overlay rules read back (a few). */
export interface KnownInstalled {
  readonly base: KnownBase;
  readonly overlay: readonly DnrRule[];
}

export function isKnownInstalled(installed: readonly DnrRule[] | KnownInstalled): installed is KnownInstalled {
  return !Array.isArray(installed);
}

export interface OverlayPlan {
  /** Wanted hosts the base lacks. */
  readonly added: string[];
  /** Their order sets. */
  readonly addedSets: Set<number>;
  /** Base hosts no longer wanted, as far as the diff went. */
  readonly removed: string[];
  /** Removed hosts that no wanted host still covers: the allow rules lift them. */
  readonly lifted: Set<string>;
  /** Wanted hosts below a lifted one: excluded from the allow rules, so they stay blocked. */
  readonly keep: string[];
  /** Whether the overlay stays within `limit` hosts; when not, the diff stopped early. */
  readonly fits: boolean;
}

/** Whether a strict parent domain of `host` is in `set`. */
export function hasAncestorIn(host: string, set: { has(name: string): boolean }): boolean {
  if (isIPv4(host)) return false;
  let i = host.indexOf('.');
  while (i !== -1) {
    if (set.has(host.slice(i + 1))) return true;
    i = host.indexOf('.', i + 1);
  }
  return false;
}

/**
 * Diffs the base with the wanted hosts, stopping once the overlay would exceed `limit` hosts.
 * `wantedSide.has` is asked once for every base host, first of all: a caller notes there which base
 * rules still carry which orders.
 */
export function planOverlay(base: HostSide, wantedSide: HostSide, wanted: WantedSet, limit: number): OverlayPlan {
  const added: string[] = [];
  const addedSets = new Set<number>();
  const removed: string[] = [];
  const lifted = new Set<string>();
  const keep: string[] = [];
  const plan = { added, addedSets, removed, lifted, keep };
  diffHosts(base, wantedSide, {
    removed: (h) => {
      removed.push(h);
      if (removed.length > limit) return false;
    },
  });
  if (removed.length > limit) return { ...plan, fits: false };
  // A removed host stays blocked by the base rule unless an allow rule lifts it. Lift only what no
  // wanted host still covers, and keep wanted hosts below a lifted one blocked: those are found on
  // the same walk over the wanted hosts that finds the added ones.
  const wantedHas = { has: (h: string): boolean => wanted.orderSetOf(h) >= 0 };
  for (const h of removed) if (!hasAncestorIn(h, wantedHas)) lifted.add(h);
  const walk: HostSide = {
    walk: (fn) =>
      wanted.walk((h) => {
        if (lifted.size > 0 && hasAncestorIn(h, lifted)) keep.push(h);
        return fn(h);
      }),
    has: wantedHas.has,
  };
  diffHosts(base, walk, {
    added: (h) => {
      added.push(h);
      addedSets.add(wanted.orderSetOf(h));
      if (added.length + removed.length > limit) return false;
    },
  });
  return { ...plan, fits: added.length + removed.length <= limit };
}
