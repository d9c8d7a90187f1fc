// What changed between two feeds: hosts, orders, authorities and editions.
import { groupKey, type Feed } from '../core/feed.ts';
import { diffHosts, sideOf } from '../core/host-diff.ts';

export interface HostChange {
  readonly host: string;
  readonly before: { listings: readonly string[] };
  readonly after: { listings: readonly string[] };
}

export interface KeyedChanges {
  readonly added: string[];
  readonly removed: string[];
  readonly changed: string[];
}

export interface FeedDiff {
  readonly serial: { readonly before: number; readonly after: number };
  readonly jurisdiction: { readonly before: string; readonly after: string };
  readonly expires: { readonly before: string; readonly after: string };
  readonly authorities: KeyedChanges;
  readonly orders: KeyedChanges;
  readonly editions: KeyedChanges;
  readonly hosts: {
    readonly added: { host: string; listings: readonly string[] }[];
    readonly removed: { host: string; listings: readonly string[] }[];
    readonly changed: HostChange[];
  };
}

function keyed<T>(a: Readonly<Record<string, T>>, b: Readonly<Record<string, T>>): KeyedChanges {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const out: KeyedChanges = { added: [], removed: [], changed: [] };
  for (const k of keys) {
    if (!Object.hasOwn(a, k)) out.added.push(k);
    else if (!Object.hasOwn(b, k)) out.removed.push(k);
    else if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) out.changed.push(k);
  }
  return out;
}

/** A host's listings as `order@edition`, with `/removedIn` when a newer edition dropped it. */
function hostMap(feed: Feed): Map<string, { listings: readonly string[] }> {
  const m = new Map<string, { listings: readonly string[] }>();
  for (const g of feed.entries) {
    const listings = groupKey(g).split(',').sort();
    for (const h of g.hosts) m.set(h, { listings });
  }
  return m;
}

export function diffFeeds(before: Feed, after: Feed): FeedDiff {
  const a = hostMap(before);
  const b = hostMap(after);
  const hosts: FeedDiff['hosts'] = { added: [], removed: [], changed: [] };
  // Added and removed hosts through the one host diff (core/host-diff.ts); changed ones by their listings.
  diffHosts(
    sideOf(a.keys(), (h) => a.has(h)),
    sideOf(b.keys(), (h) => b.has(h)),
    {
      removed: (host) => void hosts.removed.push({ host, listings: a.get(host)?.listings ?? [] }),
      added: (host) => void hosts.added.push({ host, listings: b.get(host)?.listings ?? [] }),
    },
  );
  for (const [host, x] of a) {
    const y = b.get(host);
    if (y && x.listings.join() !== y.listings.join()) hosts.changed.push({ host, before: x, after: y });
  }
  for (const list of [hosts.added, hosts.removed, hosts.changed]) list.sort((p, q) => (p.host < q.host ? -1 : p.host > q.host ? 1 : 0));
  return {
    serial: { before: before.serial, after: after.serial },
    jurisdiction: { before: before.jurisdiction, after: after.jurisdiction },
    expires: { before: before.expires, after: after.expires },
    authorities: keyed(before.authorities, after.authorities),
    orders: keyed(before.orders, after.orders),
    editions: keyed(before.editions, after.editions),
    hosts,
  };
}

export function isEmptyDiff(d: FeedDiff): boolean {
  const none = (k: KeyedChanges) => k.added.length + k.removed.length + k.changed.length === 0;
  return (
    d.serial.before === d.serial.after &&
    d.expires.before === d.expires.after &&
    d.jurisdiction.before === d.jurisdiction.after &&
    none(d.authorities) &&
    none(d.orders) &&
    none(d.editions) &&
    d.hosts.added.length + d.hosts.removed.length + d.hosts.changed.length === 0
  );
}

/** Readable text: a summary, then one line per change. */
export function formatDiff(d: FeedDiff): string {
  const lines: string[] = [];
  if (d.jurisdiction.before !== d.jurisdiction.after) lines.push(`jurisdiction: ${d.jurisdiction.before} -> ${d.jurisdiction.after}`);
  lines.push(`serial: ${d.serial.before} -> ${d.serial.after}${d.serial.after <= d.serial.before && !isEmptyDiff(d) ? '  (warning: serial did not increase)' : ''}`);
  if (d.expires.before !== d.expires.after) lines.push(`expires: ${d.expires.before} -> ${d.expires.after}`);
  for (const [name, k] of [
    ['authority', d.authorities],
    ['order', d.orders],
    ['edition', d.editions],
  ] as const) {
    for (const id of k.added) lines.push(`+ ${name} ${id}`);
    for (const id of k.removed) lines.push(`- ${name} ${id}`);
    for (const id of k.changed) lines.push(`~ ${name} ${id}`);
  }
  lines.push(`hosts: +${d.hosts.added.length} -${d.hosts.removed.length} ~${d.hosts.changed.length}`);
  for (const h of d.hosts.added) lines.push(`+ ${h.host} [${h.listings.join(', ')}]`);
  for (const h of d.hosts.removed) lines.push(`- ${h.host} [${h.listings.join(', ')}]`);
  for (const h of d.hosts.changed) lines.push(`~ ${h.host} [${h.before.listings.join(', ')}] -> [${h.after.listings.join(', ')}]`);
  if (isEmptyDiff(d)) lines.push('no differences');
  return `${lines.join('\n')}\n`;
}
