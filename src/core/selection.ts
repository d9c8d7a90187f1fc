// Which entries are enforced under the current settings. One definition, used both for the DNR
// rules and for the explanation lookup, so the two always agree.
import { activeOrders, isListingRemoved, type Category, type Feed, type Listing, type Order } from './feed.ts';
import type { WantedSet } from './wanted.ts';
import { OrderIndex } from './order-index.ts';

export interface Selection {
  /** Jurisdiction code → enforced. */
  readonly jurisdictions: Readonly<Record<string, boolean>>;
  /** Jurisdiction code → category → enforced (absent = enforced). */
  readonly categories: Readonly<Record<string, Partial<Record<Category, boolean>>>>;
}

export const DEFAULT_SELECTION: Selection = { jurisdictions: { IT: true }, categories: {} };

/** A feed without its entries: what pages need to explain an order. */
export type FeedHead = Omit<Feed, 'entries'> & { readonly hostCount: number };

/** A feed as the extension keeps it: its head, and its entries as a compact index. */
export interface LoadedFeed {
  readonly head: FeedHead;
  readonly index: OrderIndex;
}

export function isJurisdictionEnabled(jurisdiction: string, sel: Selection): boolean {
  return sel.jurisdictions[jurisdiction] ?? false;
}

/** Whether an order's listing of a host is enforced: not removed, jurisdiction and category on. */
export function isOrderEnforced(jurisdiction: string, order: Order | undefined, sel: Selection, listing?: Pick<Listing, 'removedIn' | 'removed'>): boolean {
  if (!order || (listing !== undefined && isListingRemoved(listing))) return false;
  if (!isJurisdictionEnabled(jurisdiction, sel)) return false;
  return sel.categories[jurisdiction]?.[order.category] ?? true;
}

/**
 * Feeds already indexed, by feed object. A feed is never changed once parsed, so it is indexed once:
 * a feed rebuilt from an index, or made by applying a delta to one, arrives with its index.
 */
const loadedOf = new WeakMap<Feed, LoadedFeed>();

/** Records that `loaded` is the index of `feed` (see `loadFeed`). */
export function rememberLoaded(feed: Feed, loaded: LoadedFeed): void {
  loadedOf.set(feed, loaded);
}

/** Indexes every host of a feed (enforced or not), so a lookup can also say "listed, but off here". */
export function loadFeed(feed: Feed): LoadedFeed {
  const known = loadedOf.get(feed);
  if (known) return known;
  const { entries, ...rest } = feed;
  const meta = { jurisdiction: feed.jurisdiction, serial: feed.serial, groups: entries.map((g) => ({ listings: g.listings })) };
  // Per group: the index keeps each group's hosts as one run, with no per-host group to build.
  const index = OrderIndex.fromGroups(
    meta,
    entries.map((g) => g.hosts),
  );
  const loaded = { head: { ...rest, hostCount: index.size }, index };
  loadedOf.set(feed, loaded);
  return loaded;
}

export interface WantedHost {
  readonly host: string;
  /** Enforced orders behind it, as `JURISDICTION:ORDER-ID` keys. */
  readonly orders: readonly string[];
}

/**
 * The hosts to block under `sel`, across feeds, read from their indexes: a host's orders are its
 * group's enforced orders (joined across feeds when several list it). The selection rule decides per
 * group, never per host.
 */
export function wantedSet(feeds: readonly LoadedFeed[], sel: Selection): WantedSet {
  const orderSets: string[][] = [];
  const numberOf = new Map<string, number>();
  const setNumber = (keys: readonly string[]): number => {
    const id = keys.join('\n');
    let s = numberOf.get(id);
    if (s === undefined) {
      s = orderSets.push([...keys]) - 1;
      numberOf.set(id, s);
    }
    return s;
  };
  // Per feed that enforces anything: each group's order set (-1: the group blocks nothing).
  const parts: { index: OrderIndex; setOfGroup: Int32Array }[] = [];
  for (const { head, index } of feeds) {
    const setOfGroup = Int32Array.from(index.meta.groups, (g) => {
      // A removed listing is kept for the explanation only: it blocks nothing.
      const keys = activeOrders(g)
        .filter((o) => isOrderEnforced(head.jurisdiction, Object.hasOwn(head.orders, o) ? head.orders[o] : undefined, sel))
        .map((o) => `${head.jurisdiction}:${o}`);
      return keys.length > 0 ? setNumber(keys) : -1;
    });
    if (setOfGroup.some((s) => s >= 0)) parts.push({ index, setOfGroup });
  }
  const setIn = (p: { index: OrderIndex; setOfGroup: Int32Array }, host: string): number => {
    const e = p.index.entryOf(host);
    return e < 0 ? -1 : (p.setOfGroup[p.index.groupIndexAt(e)] as number);
  };
  // A host listed by several feeds: the union of their keys, first feed's first.
  const joined = (host: string, from: number, first: number): number => {
    let s = first;
    for (let k = from; k < parts.length; k++) {
      const t = setIn(parts[k] as (typeof parts)[number], host);
      if (t >= 0 && t !== s) s = setNumber([...new Set([...(orderSets[s] as string[]), ...(orderSets[t] as string[])])]);
    }
    return s;
  };
  const walk = (fn: (host: string, orderSet: number) => unknown): void => {
    let stopped = false;
    parts.forEach((p, k) => {
      if (stopped) return;
      p.index.forEachHost((host, group) => {
        const s = p.setOfGroup[group] as number;
        if (s < 0) return;
        // Listed by an earlier feed: already walked there.
        for (let j = 0; j < k; j++) if (setIn(parts[j] as (typeof parts)[number], host) >= 0) return;
        if (fn(host, parts.length > 1 ? joined(host, k + 1, s) : s) === false) {
          stopped = true;
          return false;
        }
      });
    });
  };
  let size = 0;
  if (parts.length === 1) {
    const p = parts[0] as (typeof parts)[number];
    p.setOfGroup.forEach((s, g) => {
      if (s >= 0) size += p.index.groupSize(g);
    });
  } else {
    walk(() => void size++);
  }
  return {
    size,
    orderSets,
    walk,
    orderSetOf(host) {
      for (let k = 0; k < parts.length; k++) {
        const s = setIn(parts[k] as (typeof parts)[number], host);
        if (s >= 0) return parts.length > 1 ? joined(host, k + 1, s) : s;
      }
      return -1;
    },
  };
}

/** The wanted hosts as a list, each with its orders (for tests and small callers; the compiler takes `wantedSet`). */
export function wantedHosts(feeds: readonly LoadedFeed[], sel: Selection): WantedHost[] {
  const set = wantedSet(feeds, sel);
  const out: WantedHost[] = [];
  set.walk((host, s) => void out.push({ host, orders: set.orderSets[s] as string[] }));
  return out;
}
