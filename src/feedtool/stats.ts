// Counts over a feed: per authority, order, category and edition.
import { isIPv4, matchCandidates } from '../core/hostname.ts';
import { activeOrders, countHosts, type Feed } from '../core/feed.ts';

export interface FeedStats {
  readonly jurisdiction: string;
  readonly serial: number;
  readonly generated: string;
  readonly expires: string;
  readonly hosts: number;
  readonly groups: number;
  readonly ipv4: number;
  /** Hosts whose parent domain is also listed: they add no blocking, only explanation. */
  readonly coveredByParent: number;
  readonly byAuthority: Record<string, number>;
  readonly byOrder: Record<string, number>;
  readonly byCategory: Record<string, number>;
  readonly byEdition: Record<string, number>;
}

function bump(rec: Record<string, number>, key: string, n: number): void {
  rec[key] = (rec[key] ?? 0) + n;
}

function sorted(rec: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(rec).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export function feedStats(feed: Feed): FeedStats {
  const byAuthority: Record<string, number> = {};
  const byOrder: Record<string, number> = {};
  const byCategory: Record<string, number> = {};
  const byEdition: Record<string, number> = {};
  const all = new Set<string>();
  for (const g of feed.entries) for (const h of g.hosts) all.add(h);
  let ipv4 = 0;
  let covered = 0;
  for (const g of feed.entries) {
    const n = g.hosts.length;
    for (const e of new Set(g.listings.map((l) => l.edition))) bump(byEdition, e, n);
    const orders = activeOrders(g);
    for (const o of orders) bump(byOrder, o, n);
    // A host under two orders of one authority (or category) counts once for it.
    const auths = new Set(orders.map((o) => feed.orders[o]?.authority ?? '?'));
    const cats = new Set(orders.map((o) => feed.orders[o]?.category ?? '?'));
    for (const a of auths) bump(byAuthority, a, n);
    for (const c of cats) bump(byCategory, c, n);
    for (const h of g.hosts) {
      if (isIPv4(h)) ipv4++;
      else if (
        matchCandidates(h)
          .slice(1)
          .some((p) => all.has(p))
      )
        covered++;
    }
  }
  return {
    jurisdiction: feed.jurisdiction,
    serial: feed.serial,
    generated: feed.generated,
    expires: feed.expires,
    hosts: countHosts(feed),
    groups: feed.entries.length,
    ipv4,
    coveredByParent: covered,
    byAuthority: sorted(byAuthority),
    byOrder: sorted(byOrder),
    byCategory: sorted(byCategory),
    byEdition: sorted(byEdition),
  };
}

export function formatStats(s: FeedStats): string {
  const table = (title: string, rec: Record<string, number>) => [`${title}:`, ...Object.entries(rec).map(([k, n]) => `  ${k.padEnd(32)} ${String(n).padStart(7)}`)];
  return `${[
    `feed ${s.jurisdiction} serial ${s.serial}, generated ${s.generated}, expires ${s.expires}`,
    `hosts: ${s.hosts} in ${s.groups} groups (${s.ipv4} IPv4; ${s.coveredByParent} under a listed parent domain)`,
    ...table('by authority', s.byAuthority),
    ...table('by order', s.byOrder),
    ...table('by category', s.byCategory),
    ...table('by edition', s.byEdition),
  ].join('\n')}\n`;
}
