// What changed between two feeds: hosts, orders, authorities and editions.
import type { Feed } from '../core/feed.ts';

export interface HostChange {
  readonly host: string;
  readonly before: { orders: readonly string[]; edition: string };
  readonly after: { orders: readonly string[]; edition: string };
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
  readonly hosts: { readonly added: { host: string; orders: readonly string[]; edition: string }[]; readonly removed: { host: string; orders: readonly string[]; edition: string }[]; readonly changed: HostChange[] };
}

function keyed<T>(a: Readonly<Record<string, T>>, b: Readonly<Record<string, T>>): KeyedChanges {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const out: KeyedChanges = { added: [], removed: [], changed: [] };
  for (const k of keys) {
    if (!(k in a)) out.added.push(k);
    else if (!(k in b)) out.removed.push(k);
    else if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) out.changed.push(k);
  }
  return out;
}

function hostMap(feed: Feed): Map<string, { orders: readonly string[]; edition: string }> {
  const m = new Map<string, { orders: readonly string[]; edition: string }>();
  for (const g of feed.entries) for (const h of g.hosts) m.set(h, { orders: [...g.orders].sort(), edition: g.edition });
  return m;
}

export function diffFeeds(before: Feed, after: Feed): FeedDiff {
  const a = hostMap(before);
  const b = hostMap(after);
  const hosts: FeedDiff['hosts'] = { added: [], removed: [], changed: [] };
  for (const host of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(host);
    const y = b.get(host);
    if (!x && y) hosts.added.push({ host, ...y });
    else if (x && !y) hosts.removed.push({ host, ...x });
    else if (x && y && (x.edition !== y.edition || x.orders.join() !== y.orders.join())) hosts.changed.push({ host, before: x, after: y });
  }
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
  for (const [name, k] of [['authority', d.authorities], ['order', d.orders], ['edition', d.editions]] as const) {
    for (const id of k.added) lines.push(`+ ${name} ${id}`);
    for (const id of k.removed) lines.push(`- ${name} ${id}`);
    for (const id of k.changed) lines.push(`~ ${name} ${id}`);
  }
  lines.push(`hosts: +${d.hosts.added.length} -${d.hosts.removed.length} ~${d.hosts.changed.length}`);
  for (const h of d.hosts.added) lines.push(`+ ${h.host} [${h.orders.join(', ')}] ${h.edition}`);
  for (const h of d.hosts.removed) lines.push(`- ${h.host} [${h.orders.join(', ')}] ${h.edition}`);
  for (const h of d.hosts.changed) lines.push(`~ ${h.host} [${h.before.orders.join(', ')}] ${h.before.edition} -> [${h.after.orders.join(', ')}] ${h.after.edition}`);
  if (isEmptyDiff(d)) lines.push('no differences');
  return `${lines.join('\n')}\n`;
}
