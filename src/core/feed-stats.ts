// Pure facts about installed feeds for the status and the sync log: hosts per authority and per
// category (walked once per installed index), and what changed between two installed feeds.
import { activeOrders } from './feed.ts';
import type { HostSide } from './host-diff.ts';
import type { OrderIndex } from './order-index.ts';
import type { FeedHead } from './selection.ts';

export interface FeedChange {
  readonly fromSerial: number;
  readonly toSerial: number;
  readonly added: number;
  readonly removed: number;
  readonly addedSample: string[];
  readonly removedSample: string[];
}

interface Indexed {
  readonly head: FeedHead;
  readonly index: OrderIndex;
}

/** Hosts named in the sync log per direction. */
export const CHANGE_SAMPLE = 20;

type Counts = { byAuthority: Record<string, number>; byCategory: Record<string, number> };
/** Counts walk every host once per installed feed, not at every status request. */
const countsCache = new WeakMap<OrderIndex, Counts>();

export function countFeed(head: FeedHead, index: OrderIndex): Counts {
  const cached = countsCache.get(index);
  if (cached) return cached;
  const counts = countGroups(head, index);
  countsCache.set(index, counts);
  return counts;
}

function countGroups(head: FeedHead, index: OrderIndex): Counts {
  const byAuthority: Record<string, number> = {};
  const byCategory: Record<string, number> = {};
  index.meta.groups.forEach((g, i) => {
    const n = index.groupSize(i);
    const ids = activeOrders(g);
    const authorities = new Set(ids.map((o) => head.orders[o]?.authority).filter((a): a is string => a !== undefined));
    const categories = new Set(ids.map((o) => head.orders[o]?.category).filter((c): c is NonNullable<typeof c> => c !== undefined));
    for (const a of authorities) byAuthority[a] = (byAuthority[a] ?? 0) + n;
    for (const c of categories) byCategory[c] = (byCategory[c] ?? 0) + n;
  });
  return { byAuthority, byCategory };
}

/** The hosts of an index as one side of a diff. */
function sideOfIndex(index: OrderIndex | undefined): HostSide {
  return { walk: (fn) => index?.forEachHost((h) => fn(h)), has: (h) => index?.contains(h) ?? false };
}

/**
 * Changes already known (a delta says what it changes): index led to → index led from → change.
 * Both maps are weak, so a remembered change never keeps the previous index (tens of MB) alive.
 */
const knownChanges = new WeakMap<OrderIndex, WeakMap<OrderIndex, FeedChange>>();

/** Records what changed from index `from` to index `to`, so that `describeChange` need not walk both. */
export function rememberChange(from: OrderIndex, to: OrderIndex, change: FeedChange): void {
  const byFrom = knownChanges.get(to) ?? new WeakMap<OrderIndex, FeedChange>();
  byFrom.set(from, { ...change, addedSample: change.addedSample.map(detach), removedSample: change.removedSample.map(detach) });
  knownChanges.set(to, byFrom);
}

/**
 * A copy of a host that shares no memory with the string it was sliced from: an index walk hands
 * out slices of its hosts decoded 64 KB at a time, and a kept slice would keep its whole run.
 */
function detach(host: string): string {
  return host.split('').join('');
}

export function describeChange(previous: Indexed | undefined, next: Indexed): FeedChange {
  const known = previous ? knownChanges.get(next.index)?.get(previous.index) : undefined;
  if (known) return known;
  const added: string[] = [];
  const removed: string[] = [];
  let removedCount = 0;
  let kept = 0;
  const before = sideOfIndex(previous?.index);
  const after = sideOfIndex(next.index);
  before.walk((h) => {
    if (after.has(h)) kept++;
    else if (removedCount++ < CHANGE_SAMPLE) removed.push(detach(h));
  });
  // An index holds each host once (a feed listing one twice is refused), so the hosts added are the
  // new index's less those kept: the new index, a million hosts after the embedded list's thousands,
  // is walked only until its sample is full (~400 ms less at a million in Chromium).
  const addedCount = next.index.size - kept;
  const sample = Math.min(addedCount, CHANGE_SAMPLE);
  if (sample > 0)
    after.walk((h) => {
      if (!before.has(h)) added.push(detach(h));
      return added.length < sample;
    });
  return { fromSerial: previous?.head.serial ?? 0, toSerial: next.head.serial, added: addedCount, removed: removedCount, addedSample: added, removedSample: removed };
}
