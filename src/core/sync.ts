// Pure parts of sync: what makes a fetched feed acceptable, retry timing, and delta feeds.
//
// A delta takes a browser from serial `from` to serial `to` without the full list: the new head,
// the new group list, the hosts removed (or moved) and the hosts added (or moved). The browser
// rebuilds the new feed from the one it has and checks the SHA-256 of its canonical bytes against
// the delta's; any mismatch falls back to the full feed.
import * as v from 'valibot';
import { FEED_FORMAT, FeedSchema, GroupHeadSchema, groupKey, serializeFeed, validateFeed, type Feed } from './feed.ts';
import type { LoadedFeed } from './selection.ts';

export const MAX_FEED_BYTES = 64 * 1024 * 1024;

export type Refusal =
  | { reason: 'same-serial'; message: string }
  | { reason: 'rollback'; message: string }
  | { reason: 'expired'; message: string }
  | { reason: 'wrong-jurisdiction'; message: string };

/** Whether a verified, schema-valid feed may replace the installed one. */
export function checkCandidate(feed: Pick<Feed, 'jurisdiction' | 'serial' | 'expires'>, expected: { jurisdiction: string; installedSerial: number | null; now: number }): Refusal | null {
  if (feed.jurisdiction !== expected.jurisdiction) {
    return { reason: 'wrong-jurisdiction', message: `feed is for ${feed.jurisdiction}, expected ${expected.jurisdiction}` };
  }
  if (expected.installedSerial !== null) {
    if (feed.serial === expected.installedSerial) return { reason: 'same-serial', message: `serial ${feed.serial} is already installed` };
    if (feed.serial < expected.installedSerial) {
      return { reason: 'rollback', message: `serial ${feed.serial} is older than the installed ${expected.installedSerial}: rollback refused` };
    }
  }
  if (Date.parse(feed.expires) <= expected.now) return { reason: 'expired', message: `feed expired on ${feed.expires}` };
  return null;
}

/** Minutes until the next try after `failures` consecutive failures: 1, 2, 4, … capped by the interval. */
export function backoffMinutes(failures: number, intervalMinutes: number): number {
  if (failures <= 0) return intervalMinutes;
  return Math.min(intervalMinutes, 2 ** Math.min(failures - 1, 16));
}

/** The URL of the delta from `serial` beside a full feed URL: `…/IT.json` → `…/IT.delta-<serial>.json`. */
export function deltaUrl(feedUrl: string, serial: number): string {
  const u = new URL(feedUrl);
  u.pathname = u.pathname.replace(/(\.json)?$/, `.delta-${serial}.json`);
  return u.toString();
}

export const DeltaSchema = v.strictObject({
  format: v.literal(FEED_FORMAT),
  kind: v.literal('delta'),
  jurisdiction: v.pipe(v.string(), v.regex(/^[A-Z]{2}$/)),
  from: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
  to: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
  head: v.omit(FeedSchema.pipe[0], ['entries']),
  groups: v.array(GroupHeadSchema),
  removed: v.array(v.string()),
  added: v.array(v.strictObject({ group: v.pipe(v.number(), v.integer(), v.minValue(0)), hosts: v.array(v.string()) })),
  sha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
});

export type Delta = v.InferOutput<typeof DeltaSchema>;

export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The delta that turns `prev` into `next` (for the feed tool). */
export async function makeDelta(prev: Feed, next: Feed): Promise<Delta> {
  const before = new Map<string, string>();
  for (const g of prev.entries) for (const h of g.hosts) before.set(h, groupKey(g));
  const after = new Map<string, string>();
  for (const g of next.entries) for (const h of g.hosts) after.set(h, groupKey(g));
  const removed = [...before.keys()].filter((h) => after.get(h) !== before.get(h)).sort();
  const added = next.entries
    .map((g, group) => ({ group, hosts: g.hosts.filter((h) => before.get(h) !== groupKey(g)) }))
    .filter((a) => a.hosts.length > 0);
  const { entries, ...head } = next;
  return {
    format: FEED_FORMAT,
    kind: 'delta',
    jurisdiction: next.jurisdiction,
    from: prev.serial,
    to: next.serial,
    head,
    groups: entries.map((g) => ({ listings: g.listings.map((l) => ({ ...l })) })),
    removed,
    added,
    sha256: await sha256Hex(serializeFeed(next)),
  };
}

/** The feed a browser holds, rebuilt from its compact index (hosts keep their feed order). */
export function feedOfLoaded(loaded: LoadedFeed): Feed {
  const { hostCount: _n, ...head } = loaded.head;
  const groups = loaded.index.meta.groups.map((g) => ({ listings: g.listings.map((l) => ({ ...l })), hosts: [] as string[] }));
  for (let e = 0; e < loaded.index.size; e++) groups[loaded.index.groupIndexAt(e)]?.hosts.push(loaded.index.hostAt(e));
  return { ...head, entries: groups };
}

export type DeltaResult = { ok: true; feed: Feed } | { ok: false; message: string };

/** Applies a verified delta to the installed feed; checks the result byte for byte via its SHA-256. */
export async function applyDelta(current: Feed, deltaValue: unknown): Promise<DeltaResult> {
  const parsed = v.safeParse(DeltaSchema, deltaValue);
  if (!parsed.success) return { ok: false, message: `delta is invalid: ${parsed.issues[0]?.message ?? ''}` };
  const d = parsed.output;
  if (d.jurisdiction !== current.jurisdiction || d.from !== current.serial) {
    return { ok: false, message: `delta goes from ${d.jurisdiction} ${d.from}, installed is ${current.jurisdiction} ${current.serial}` };
  }
  const removed = new Set(d.removed);
  const where = new Map<string, string[]>();
  const groups = d.groups.map((g) => {
    const hosts: string[] = [];
    where.set(groupKey(g), hosts);
    return { listings: g.listings, hosts };
  });
  for (const g of current.entries) {
    const target = where.get(groupKey(g));
    for (const h of g.hosts) if (!removed.has(h)) target?.push(h);
  }
  for (const a of d.added) {
    const target = groups[a.group];
    if (!target) return { ok: false, message: `delta adds to unknown group ${a.group}` };
    target.hosts.push(...a.hosts);
  }
  for (const g of groups) g.hosts.sort();
  const next = validateFeed({ ...d.head, entries: groups });
  if (!next.ok) return { ok: false, message: `delta result is invalid: ${next.errors[0] ?? ''}` };
  if ((await sha256Hex(serializeFeed(next.feed))) !== d.sha256) return { ok: false, message: 'delta result does not match the published feed (checksum)' };
  if (next.feed.serial !== d.to) return { ok: false, message: 'delta head serial differs from its target' };
  return { ok: true, feed: next.feed };
}
