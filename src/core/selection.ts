// Which entries are enforced under the current settings. One definition, used both for the DNR
// rules and for the explanation lookup, so the two always agree.
import { activeOrders, isListingRemoved, type Category, type Feed, type Listing, type Order } from './feed.ts';
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

/** Indexes every host of a feed (enforced or not), so a lookup can also say "listed, but off here". */
export function loadFeed(feed: Feed): LoadedFeed {
  const hosts: string[] = [];
  const groupIdx: number[] = [];
  feed.entries.forEach((g, gi) => {
    for (const h of g.hosts) {
      hosts.push(h);
      groupIdx.push(gi);
    }
  });
  const { entries, ...rest } = feed;
  const index = OrderIndex.build(
    { jurisdiction: feed.jurisdiction, serial: feed.serial, groups: entries.map((g) => ({ listings: g.listings })) },
    hosts,
    groupIdx,
  );
  return { head: { ...rest, hostCount: hosts.length }, index };
}

export interface WantedHost {
  readonly host: string;
  /** Enforced orders behind it, as `JURISDICTION:ORDER-ID` keys. */
  readonly orders: readonly string[];
}

/** The hosts to block under `sel`, across feeds, each with the enforced orders behind it. */
export function wantedHosts(feeds: readonly LoadedFeed[], sel: Selection): WantedHost[] {
  const byHost = new Map<string, string[]>();
  for (const { head, index } of feeds) {
    const keysOfGroup = index.meta.groups.map((g) =>
      // A removed listing is kept for the explanation only: it blocks nothing.
      activeOrders(g).filter((o) => isOrderEnforced(head.jurisdiction, Object.hasOwn(head.orders, o) ? head.orders[o] : undefined, sel)).map((o) => `${head.jurisdiction}:${o}`),
    );
    for (let e = 0; e < index.size; e++) {
      const keys = keysOfGroup[index.groupIndexAt(e)];
      if (!keys || keys.length === 0) continue;
      const h = index.hostAt(e);
      const prev = byHost.get(h);
      // Hosts of a group share its keys array (the compiler relies on that to stay fast).
      byHost.set(h, prev ? [...new Set([...prev, ...keys])] : keys);
    }
  }
  return Array.from(byHost, ([host, orders]) => ({ host, orders }));
}
