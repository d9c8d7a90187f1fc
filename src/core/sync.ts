// Pure parts of sync: what makes a fetched feed acceptable, retry timing, and delta feeds.
//
// A delta takes a browser from serial `from` to serial `to` without the full list: the new head,
// the new group list, the hosts removed (or moved) and the hosts added (or moved). The browser
// rebuilds the new feed from the one it has and checks the SHA-256 of its canonical bytes against
// the delta's; any mismatch falls back to the full feed.
import * as v from 'valibot';
import { feedUrlIssue } from './config.ts';
import { diffHosts, sideOf } from './host-diff.ts';
import { FEED_FORMAT, FeedSchema, GroupHeadSchema, groupKey, serializeFeedBytes, validateFeed, type Feed } from './feed.ts';
import { rememberChangedHosts } from './change-overlay.ts';
import { CHANGE_SAMPLE, rememberChange } from './feed-stats.ts';
import { HostSet } from './host-set.ts';
import { isCanonicalHost } from './hostname.ts';
import { loadFeed, rememberLoaded, type LoadedFeed } from './selection.ts';
import { applyToIndex, groupsReadLazily } from './delta-index.ts';
import type { FeedOrigin } from './stored-feeds.ts';
export { untrustedStoredFeed, type FeedOrigin } from './stored-feeds.ts';

export const MAX_FEED_BYTES = 64 * 1024 * 1024;

export type Refusal = { reason: 'same-serial'; message: string } | { reason: 'rollback'; message: string } | { reason: 'expired'; message: string } | { reason: 'wrong-jurisdiction'; message: string };

/** The same feed address, whatever its fragment (never sent) or spelling (`HTTPS://H/…`). */
export function sameFeedUrl(a: string, b: string): boolean {
  try {
    const x = new URL(a);
    const y = new URL(b);
    x.hash = '';
    y.hash = '';
    return x.href === y.href;
  } catch {
    return a === b;
  }
}

/**
 * Whether a candidate fetched from `candidate.url` and signed by `candidate.keyId` continues the
 * installed feed's serial line, so that it must carry a greater serial. A line is one feed URL
 * signed by keys that are still trusted: a feed signed by a key no longer trusted (revoked after a
 * loss or a compromise), or fetched from another URL (a policy now pointing to its own feed), does
 * not bind the next one, which starts a new line whatever its serial. The embedded feed's line is
 * the release keys': a feed signed by any release key still trusted must be newer than it (after a
 * rotation, an old feed signed by the older release key must not replace a corrected embedded one);
 * a feed signed by another key (an organisation's own) starts its own line.
 */
export function continuesLine(
  installed: FeedOrigin,
  candidate: { readonly url: string; readonly keyId: string },
  trustedKeyIds: ReadonlySet<string>,
  releaseKeyIds: ReadonlySet<string> = new Set(),
): boolean {
  if (installed.source === 'embedded') {
    if (installed.keyId === null || !trustedKeyIds.has(installed.keyId) || !trustedKeyIds.has(candidate.keyId)) return false;
    return installed.keyId === candidate.keyId || (releaseKeyIds.has(installed.keyId) && releaseKeyIds.has(candidate.keyId));
  }
  // Stored before origins were recorded: nothing shows another line, so the serial still binds.
  if (installed.keyId === null || installed.url === null) return true;
  return sameFeedUrl(installed.url, candidate.url) && trustedKeyIds.has(installed.keyId);
}

export interface CandidateContext {
  readonly jurisdiction: string;
  /** The installed feed, or null when there is none. */
  readonly installed: FeedOrigin | null;
  /** Where the candidate was fetched from and the key whose signature verified. */
  readonly candidate: { readonly url: string; readonly keyId: string };
  readonly trustedKeyIds: ReadonlySet<string>;
  /** The bundled release keys (the embedded feeds' serial line); none in tests that do not need them. */
  readonly releaseKeyIds?: ReadonlySet<string>;
  readonly now: number;
}

/** Whether a verified, schema-valid feed may replace the installed one. */
export function checkCandidate(feed: Pick<Feed, 'jurisdiction' | 'serial' | 'expires'>, ctx: CandidateContext): Refusal | null {
  if (feed.jurisdiction !== ctx.jurisdiction) {
    return { reason: 'wrong-jurisdiction', message: `feed is for ${feed.jurisdiction}, expected ${ctx.jurisdiction}` };
  }
  const installed = ctx.installed;
  if (installed !== null && continuesLine(installed, ctx.candidate, ctx.trustedKeyIds, ctx.releaseKeyIds)) {
    if (feed.serial === installed.serial) return { reason: 'same-serial', message: `serial ${feed.serial} is already installed` };
    if (feed.serial < installed.serial) {
      return { reason: 'rollback', message: `serial ${feed.serial} is older than the installed ${installed.serial}: rollback refused` };
    }
  }
  if (Date.parse(feed.expires) <= ctx.now) return { reason: 'expired', message: `feed expired on ${feed.expires}` };
  return null;
}

/** The detached signature's URL: `.sig` after the path, before any query (`IT.json?t=1` → `IT.json.sig?t=1`). */
export function signatureUrl(url: string): string {
  const u = new URL(url);
  u.hash = '';
  u.pathname = `${u.pathname}.sig`;
  return u.href;
}

/**
 * Why a response reached through redirects must be refused, or null: it left http(s), went from
 * https to plain http, or ended on an address a feed URL may not have (plain http off the local
 * machine, credentials). `finalUrl` is the response's `url` (empty when the browser does not say).
 */
export function redirectProblem(requested: string, finalUrl: string): string | null {
  if (finalUrl === '' || sameFeedUrl(requested, finalUrl)) return null;
  let to: URL;
  try {
    to = new URL(finalUrl);
  } catch {
    return `redirected to an unreadable address`;
  }
  if (to.protocol !== 'https:' && to.protocol !== 'http:') return `redirected to a ${to.protocol} address: refused`;
  if (to.protocol === 'http:' && new URL(requested).protocol === 'https:') return `redirected from https to plain http (${to.origin}): refused`;
  const issue = feedUrlIssue(finalUrl);
  if (issue === 'insecure') return `redirected to plain http off this machine (${to.origin}): refused`;
  if (issue !== null) return `redirected to an address a feed URL may not have (${to.origin}): refused`;
  return null;
}

/** Minutes until the next try after `failures` consecutive failures: 1, 2, 4, … capped by the interval. */
export function backoffMinutes(failures: number, intervalMinutes: number): number {
  if (failures <= 0) return intervalMinutes;
  return Math.min(intervalMinutes, 2 ** Math.min(failures - 1, 16));
}

/** The URL of the delta from `serial` beside a full feed URL: `…/IT.json?q` → `…/IT.delta-<serial>.json?q`. */
export function deltaUrl(feedUrl: string, serial: number): string {
  const u = new URL(feedUrl);
  u.hash = '';
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

export async function sha256Hex(data: string | Uint8Array<ArrayBuffer>): Promise<string> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The delta that turns `prev` into `next` (for the feed tool). */
export async function makeDelta(prev: Feed, next: Feed): Promise<Delta> {
  // A host counts as kept only when it stays in a group of the same listings; a move is a removal
  // plus an addition to its new group.
  const before = new Map<string, string>();
  for (const g of prev.entries) for (const h of g.hosts) before.set(h, groupKey(g));
  const nextKeys = next.entries.map(groupKey);
  const groupAfter = new Map<string, number>();
  next.entries.forEach((g, i) => {
    for (const h of g.hosts) groupAfter.set(h, i);
  });
  const kept = (h: string): boolean => {
    const g = groupAfter.get(h);
    return g !== undefined && before.get(h) === nextKeys[g];
  };
  const removed: string[] = [];
  const addedTo = next.entries.map(() => [] as string[]);
  diffHosts(sideOf(before.keys(), kept), sideOf(groupAfter.keys(), kept), {
    removed: (h) => void removed.push(h),
    added: (h) => void addedTo[groupAfter.get(h) as number]?.push(h),
  });
  removed.sort();
  const added = addedTo.map((hosts, group) => ({ group, hosts })).filter((a) => a.hosts.length > 0);
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
    sha256: await sha256Hex(serializeFeedBytes(next)),
  };
}

/** The feed a browser holds, rebuilt from its compact index (hosts keep their feed order); it keeps that index. */
export function feedOfLoaded(loaded: LoadedFeed): Feed {
  const { hostCount: _n, ...head } = loaded.head;
  const groups = loaded.index.meta.groups.map((g) => ({ listings: g.listings.map((l) => ({ ...l })), hosts: [] as string[] }));
  loaded.index.forEachHost((h, g) => void groups[g]?.hosts.push(h));
  const feed = { ...head, entries: groups };
  rememberLoaded(feed, loaded);
  return feed;
}

export type DeltaResult = { ok: true; feed: Feed; loaded: LoadedFeed } | { ok: false; message: string };

/** Applies a verified delta to the installed feed; checks the result byte for byte via its SHA-256. */
export function applyDelta(current: Feed, deltaValue: unknown): Promise<DeltaResult> {
  return applyDeltaToIndex(loadFeed(current), deltaValue);
}

/**
 * Applies a verified delta to the installed index: the kept hosts' records are copied from the
 * index (`delta-index.ts`), the delta's own hosts are checked (the index holds only hosts checked
 * when they were installed), the new index and the resulting feed's canonical bytes are written in
 * one pass, and the change it makes is recorded for the sync log. The checksum is of those bytes,
 * as the publisher wrote them.
 */
export async function applyDeltaToIndex(current: LoadedFeed, deltaValue: unknown): Promise<DeltaResult> {
  const parsed = v.safeParse(DeltaSchema, deltaValue);
  if (!parsed.success) return { ok: false, message: `delta is invalid: ${parsed.issues[0]?.message ?? ''}` };
  const d = parsed.output;
  const { head, index } = current;
  if (d.jurisdiction !== head.jurisdiction || d.from !== head.serial) {
    return { ok: false, message: `delta goes from ${d.jurisdiction} ${d.from}, installed is ${head.jurisdiction} ${head.serial}` };
  }
  // The head and the groups' listings, checked as a feed without hosts.
  const shell = validateFeed({ ...d.head, entries: d.groups.map((g) => ({ listings: g.listings, hosts: [] })) });
  if (!shell.ok) return { ok: false, message: `delta result is invalid: ${shell.errors[0] ?? ''}` };

  // Groups are matched by their listings; an old group the delta no longer has drops its hosts.
  const newGroupOf = new Map<string, number>();
  for (const [i, g] of d.groups.entries()) newGroupOf.set(groupKey(g), i);
  const target = Int32Array.from(index.meta.groups, (g) => newGroupOf.get(groupKey(g)) ?? -1);
  const removed = new HostSet(d.removed.length);
  for (const h of d.removed) removed.add(h);
  // Their entries in index order: the rebuild drops them as it meets them, with no lookup per kept host.
  const removedEntries = Int32Array.from(removed.values(), (h) => index.entryOf(h))
    .filter((e) => e >= 0)
    .sort();

  const added = new HostSet();
  const addedTo: string[][] = d.groups.map(() => []);
  for (const a of d.added) {
    const list = addedTo[a.group];
    if (!list) return { ok: false, message: `delta adds to unknown group ${a.group}` };
    for (const h of a.hosts) {
      if (!isCanonicalHost(h)) return { ok: false, message: `delta result is invalid: not a canonical hostname or IPv4 address: ${JSON.stringify(h)}` };
      // Listed twice: added twice, or added while an installed listing of it stays.
      const e = index.entryOf(h);
      if (!added.add(h) || (e >= 0 && !removed.has(h) && (target[index.groupIndexAt(e)] as number) >= 0)) {
        return { ok: false, message: `delta result is invalid: hosts listed more than once: ${h}` };
      }
      list.push(h);
    }
  }
  const { entries: _none, ...feedHead } = shell.feed;
  const next = await applyToIndex({ index, target, removedEntries, head: feedHead, groups: d.groups, added: addedTo }, async (bytes) => (await sha256Hex(bytes)) === d.sha256);
  if (!next) return { ok: false, message: 'delta result does not match the published feed (checksum)' };
  if (feedHead.serial !== d.to) return { ok: false, message: 'delta head serial differs from its target' };

  // The feed's hosts are the new index's, in its order (each group's, sorted).
  const feed: Feed = { ...shell.feed, entries: groupsReadLazily(d.groups, next.index) };
  const loaded = { head: { ...feedHead, hostCount: next.index.size }, index: next.index };
  rememberLoaded(feed, loaded);
  // What the sync log says: hosts listed now and not before, and the reverse (a move is neither).
  // An added host the installed index lists was dropped from it (else it is listed twice, refused above).
  const addedHosts = added.values().filter((h) => !index.contains(h));
  const removedSample: string[] = [];
  for (let k = 0; k < next.dropped.length && removedSample.length < CHANGE_SAMPLE; k++) {
    const h = index.hostAt(next.dropped[k] as number);
    if (!added.has(h)) removedSample.push(h);
  }
  rememberChange(index, loaded.index, {
    fromSerial: head.serial,
    toSerial: feed.serial,
    added: addedHosts.length,
    removed: next.dropped.length - (added.size - addedHosts.length),
    addedSample: addedHosts.slice(0, CHANGE_SAMPLE),
    removedSample,
  });
  // What may change which hosts are wanted: every dropped host and every added one.
  const changed = Array.from(next.dropped, (e) => index.hostAt(e));
  for (const h of added.values()) changed.push(h);
  rememberChangedHosts(index, loaded.index, changed);
  return { ok: true, feed, loaded };
}
