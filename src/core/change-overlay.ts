// The overlay compiled from a change alone. A delta names the hosts whose listing it changes; when
// nothing else that decides which hosts are wanted has changed (the selection, the other feeds, the
// orders each kept group enforces), only those hosts can enter or leave the wanted set. The new
// overlay is then the installed one's hosts with those moved: no walk over a million hosts, where
// `compile` (compiler.ts) walks the base and the wanted hosts. `compile` stays the reference: a unit
// test holds this one to it.
import { domainsIn, keysOf, limitErrors, overlayRules, ruleUpdate, type CompileOptions, type CompileResult, type DnrRule, type OverlayHosts } from './compiler.ts';
import { activeOrders, groupKey, type GroupHead } from './feed.ts';
import { candidatesBelow, tailHash, type NestedHosts } from './nested-hosts.ts';
import type { OrderIndex } from './order-index.ts';
import { hasAncestorIn } from './overlay.ts';
import { isOrderEnforced, type LoadedFeed, type Selection } from './selection.ts';
import type { WantedSet } from './wanted.ts';

/** The base rules as a change-only compile knows them: never their domains. */
export interface ChangeBase {
  readonly buckets: number;
  /** Every base rule's id. */
  readonly ruleIds: readonly number[];
  /** Whether the base rules carry a host. */
  readonly has: (host: string) => boolean;
  /** The orders on record for each base rule (a change alone does not revisit a base rule's hosts). */
  readonly ruleOrders: Readonly<Record<number, readonly string[]>>;
  /** The base hosts below another base host (`CompileResult.nested` of the compile that made the base). */
  readonly nested: NestedHosts;
}

export interface ChangeInput {
  /** The hosts wanted after the change. */
  readonly wanted: WantedSet;
  readonly base: ChangeBase;
  /** The installed overlay rules, and the hosts they were compiled from. */
  readonly overlay: readonly DnrRule[];
  readonly hosts: OverlayHosts;
  /** Every host whose wanting the change may have changed. */
  readonly changed: Iterable<string>;
}

type ChangeOptions = Pick<CompileOptions, 'blockPageUrl' | 'blockSubresources' | 'limits' | 'overlayMaxFraction'>;

/**
 * The overlay for `input.wanted` from the installed one and the changed hosts, or null when it would
 * outgrow the overlay (the base is then rebuilt by `compile`). Same rules as `compile` on a known base.
 */
export function compileChange(input: ChangeInput, opts: ChangeOptions): CompileResult | null {
  const { wanted, base } = input;
  if (wanted.size === 0) return null;
  const added = new Set(input.hosts.added);
  const removed = new Set(input.hosts.removed);
  for (const h of input.changed) {
    const isWanted = wanted.orderSetOf(h) >= 0;
    const inBase = base.has(h);
    if (isWanted && !inBase) added.add(h);
    else added.delete(h);
    if (!isWanted && inBase) removed.add(h);
    else removed.delete(h);
  }
  if (added.size + removed.size > (opts.overlayMaxFraction ?? 0.05) * wanted.size) return null;

  // As in `planOverlay`: lift the removed hosts no wanted host still covers, and keep the wanted
  // hosts below a lifted one blocked. Those are base hosts below a base host (lifted hosts are base
  // hosts), or added ones.
  const wantedHas = { has: (h: string): boolean => wanted.orderSetOf(h) >= 0 };
  const lifted = [...removed].filter((h) => !hasAncestorIn(h, wantedHas));
  const keep: string[] = [];
  if (lifted.length > 0) {
    const below = belowAnyOf(lifted);
    for (const h of candidatesBelow(base.nested, lifted)) if (below(h) && wantedHas.has(h)) keep.push(h);
    for (const h of added) if (below(h)) keep.push(h);
  }
  const addedList = [...added];
  const rules = overlayRules(addedList, lifted, keep, opts);

  const addedSets = new Set<number>();
  for (const h of addedList) addedSets.add(wanted.orderSetOf(h));
  const ruleOrders: Record<number, string[]> = {};
  for (const id of base.ruleIds) ruleOrders[id] = [...(base.ruleOrders[id] ?? [])];
  for (const r of rules) if (r.action.type !== 'allow') ruleOrders[r.id] = keysOf(wanted, addedSets);

  const update = ruleUpdate(input.overlay, rules);
  update.removeRuleIds.sort((a, b) => a - b);
  const domainsWritten = domainsIn(update.addRules);
  return {
    rules,
    ruleCount: base.ruleIds.length + rules.length,
    ruleOrders,
    update,
    mode: update.addRules.length === 0 && update.removeRuleIds.length === 0 ? 'unchanged' : 'overlay',
    errors: limitErrors(rules, base.ruleIds, opts.limits),
    limitations: [],
    stats: { wantedHosts: wanted.size, rulesWritten: update.addRules.length, domainsWritten, buckets: base.buckets },
    overlayHosts: { added: addedList, removed: [...removed] },
    nested: null,
  };
}

/** The orders a group enforces under `sel`, as one string. */
function enforcedBy(feed: LoadedFeed, g: GroupHead, sel: Selection): string {
  const { jurisdiction, orders } = feed.head;
  return activeOrders(g)
    .filter((o) => isOrderEnforced(jurisdiction, Object.hasOwn(orders, o) ? orders[o] : undefined, sel))
    .join('\n');
}

/**
 * Whether every group of `prev` that `next` keeps (the same listings) enforces the same orders in
 * both under `sel`: a delta then changes what is wanted only through the hosts it removes, moves or
 * adds. A changed order (its category, say) changes every host of its groups.
 */
export function keepsEnforcement(prev: LoadedFeed, next: LoadedFeed, sel: Selection): boolean {
  const after = new Map(next.index.meta.groups.map((g) => [groupKey(g), g]));
  return prev.index.meta.groups.every((g) => {
    const n = after.get(groupKey(g));
    return n === undefined || enforcedBy(prev, g, sel) === enforcedBy(next, n, sel);
  });
}

/** Index → the index it was made from by a delta → the hosts that delta dropped or added. Weak: a kept entry never keeps an index alive. */
const changedHosts = new WeakMap<OrderIndex, WeakMap<OrderIndex, readonly string[]>>();

/** Records the hosts whose listing changed from index `from` to index `to` (a delta's). */
export function rememberChangedHosts(from: OrderIndex, to: OrderIndex, hosts: readonly string[]): void {
  const byFrom = changedHosts.get(to) ?? new WeakMap<OrderIndex, readonly string[]>();
  byFrom.set(from, hosts);
  changedHosts.set(to, byFrom);
}

/** The hosts whose listing changed from `from` to `to`, when a delta made one from the other; taken once. */
export function takeChangedHosts(from: OrderIndex, to: OrderIndex): readonly string[] | null {
  const byFrom = changedHosts.get(to);
  const hosts = byFrom?.get(from) ?? null;
  byFrom?.delete(from);
  return hosts;
}

/**
 * `hasAncestorIn(h, new Set(hosts))`, for the many base hosts a change asks about: a host below one
 * of two labels or more ends with that one's last two labels, so a hash of its own last two turns
 * most away before the walk up its parents.
 */
export function belowAnyOf(hosts: readonly string[]): (h: string) => boolean {
  const set = new Set(hosts);
  const tails = new Set<number>();
  let anySingleLabel = false;
  for (const l of hosts) {
    const t = tailHash(l);
    if (t === -1) anySingleLabel = true;
    else tails.add(t);
  }
  return (h) => (anySingleLabel || tails.has(tailHash(h))) && hasAncestorIn(h, set);
}
