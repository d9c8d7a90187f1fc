// What the base rules were compiled from, so that an update is compiled without reading a million
// domains back from the browser (7 s in Chromium at a million hosts, half of it with only the redirect
// rules read). The applied record names the feeds (code and serial) and the selection of the last full
// compile; their indexes are the installed ones, and when a feed of the base is replaced, its index is
// kept in the database as `base:<code>` until the next full compile makes a new base. Whatever is
// missing (a record of an earlier build, a copy lost) makes the base unknown: the rules are read back.
import { RULE_LAYOUT_VERSION, type DnrRule, type KnownBase, type OverlayHosts } from '../core/compiler.ts';
import { isGrouping, type NestedHosts } from '../core/nested-hosts.ts';
import { isJurisdictionEnabled, wantedSet, type LoadedFeed, type Selection } from '../core/selection.ts';
import type { AppliedRecord } from '../core/stored.ts';
import { idbGet } from '../platform/idb.ts';
import { dnr } from '../platform/browser.ts';
import { rulesToRead, withPairedBlocks } from '../core/dnr-rules.ts';
import type { StoredFeed } from '../core/stored-feeds.ts';
import { fromStored, storedRecord, type Installed } from './feeds.ts';

export type BaseRecord = NonNullable<AppliedRecord['base']>;

const copyKey = (jurisdiction: string): string => `base:${jurisdiction}`;

/**
 * What the rules depend on: the enabled jurisdictions' feeds (serial, and where they came from: an
 * embedded and a downloaded list may share a serial, e.g. a list set aside for the embedded one),
 * the selection, the layout.
 */
export function fingerprintOf(feeds: Iterable<Installed>, sel: Selection, blockPageUrl: string, blockSubresources: boolean): string {
  const list = [...feeds]
    .filter((f) => isJurisdictionEnabled(f.head.jurisdiction, sel))
    .map((f) => `${f.head.jurisdiction}@${f.head.serial}:${f.source}:${f.keyId ?? '-'}:${f.head.hostCount}`)
    .sort();
  return JSON.stringify([RULE_LAYOUT_VERSION, blockPageUrl, list, sel, blockSubresources]);
}

/** What the base rules' shape depends on besides their hosts. */
export function baseShape(blockPageUrl: string, blockSubresources: boolean): string {
  return JSON.stringify([RULE_LAYOUT_VERSION, blockPageUrl, blockSubresources]);
}

/** The record of a base compiled now from the enforced ones of `feeds`. */
export function baseRecordOf(feeds: Iterable<Installed>, selection: Selection, shape: string, buckets: number): BaseRecord {
  const enforced = [...feeds].filter((f) => isJurisdictionEnabled(f.head.jurisdiction, selection));
  return {
    shape,
    buckets,
    feeds: enforced.map(identity).sort((a, b) => a.jurisdiction.localeCompare(b.jurisdiction)),
    selection: {
      jurisdictions: { ...selection.jurisdictions },
      categories: Object.fromEntries(Object.entries(selection.categories).map(([j, c]) => [j, Object.fromEntries(Object.entries(c).filter((e): e is [string, boolean] => e[1] !== undefined))])),
    },
  };
}

type Described = Pick<StoredFeed, 'head' | 'source' | 'keyId'>;

/** What tells one feed's content from another's: a serial is the publisher's, and an embedded and a downloaded list may share one. */
function identity(f: Described): BaseRecord['feeds'][number] {
  return { jurisdiction: f.head.jurisdiction, serial: f.head.serial, source: f.source, keyId: f.keyId ?? null, hosts: f.head.hostCount };
}

function sameFeed(f: Described, id: BaseRecord['feeds'][number]): boolean {
  const mine = identity(f);
  return mine.jurisdiction === id.jurisdiction && mine.serial === id.serial && mine.source === id.source && mine.keyId === id.keyId && mine.hosts === id.hosts;
}

/**
 * The base the installed rules were compiled from, or null when it cannot be rebuilt exactly: each
 * of its feeds at its serial among `atHand` (installed now or about to be) or kept in the database.
 */
export async function knownBase(record: BaseRecord | null | undefined, shape: string, baseRuleIds: readonly number[], atHand: Iterable<Installed>): Promise<KnownBase | null> {
  if (!record || record.shape !== shape || baseRuleIds.length === 0) return null;
  const candidates = [...atHand];
  const feeds: LoadedFeed[] = [];
  for (const id of record.feeds) {
    const found = candidates.find((f) => sameFeed(f, id)) ?? (await keptCopy(id));
    if (!found) return null;
    feeds.push(found);
  }
  const wanted = wantedSet(feeds, record.selection);
  return { buckets: record.buckets, ruleIds: baseRuleIds, hosts: { walk: (fn) => wanted.walk((h) => fn(h)), has: (h) => wanted.orderSetOf(h) >= 0 } };
}

async function keptCopy(id: BaseRecord['feeds'][number]): Promise<Installed | undefined> {
  try {
    const stored = await idbGet<StoredFeed>(copyKey(id.jurisdiction));
    return stored && sameFeed(stored, id) ? await fromStored(stored) : undefined;
  } catch (e) {
    console.warn(`kept ${id.jurisdiction} index unreadable`, e);
    return undefined;
  }
}

/** The database write that keeps `previous` for the base, when the base was compiled from it and it is being replaced. */
export function keepForBase(record: BaseRecord | null | undefined, previous: Installed | undefined): Record<string, unknown> {
  if (!record || !previous) return {};
  return record.feeds.some((id) => sameFeed(previous, id)) ? { [copyKey(previous.head.jurisdiction)]: storedRecord(previous) } : {};
}

/** The database deletes of copies that no base needs any more, once a new base is recorded. */
export function dropCopies(codes: Iterable<string>): Record<string, undefined> {
  return Object.fromEntries([...new Set(codes)].map((j) => [copyKey(j), undefined]));
}

/** Database key: the overlay rules of the last update and the hosts they were compiled from, with the time of its record. */
const OVERLAY_KEY = 'overlay-rules';

interface OverlayCopy {
  readonly appliedAt: string;
  readonly rules: readonly DnrRule[];
  /** Absent when the compile did not say (an update that changed nothing). */
  readonly hosts?: OverlayHosts;
}

/** The database write that keeps the overlay rules of the update recorded at `appliedAt`, and their hosts when known. */
export function overlayCopy(appliedAt: string, rules: readonly DnrRule[], hosts: OverlayHosts | null): Record<string, OverlayCopy> {
  return { [OVERLAY_KEY]: hosts ? { appliedAt, rules, hosts } : { appliedAt, rules } };
}

/** The overlay kept with the update recorded at `appliedAt`; null when the copy is of another update or missing. */
export async function keptOverlayCopy(appliedAt: string): Promise<{ rules: DnrRule[]; hosts: OverlayHosts | null } | null> {
  const copy = await idbGet<OverlayCopy>(OVERLAY_KEY).catch(() => undefined);
  if (copy?.appliedAt !== appliedAt || !Array.isArray(copy.rules)) return null;
  const hosts = copy.hosts && Array.isArray(copy.hosts.added) && Array.isArray(copy.hosts.removed) ? copy.hosts : null;
  return { rules: [...copy.rules], hosts };
}

/** The overlay rules kept with the update recorded at `appliedAt`; null when the copy is of another update or missing. */
export async function keptOverlay(appliedAt: string): Promise<DnrRule[] | null> {
  return (await keptOverlayCopy(appliedAt))?.rules ?? null;
}

/** Database key: the base hosts below another base host (`CompileResult.nested`), with the base record they belong to. */
const NESTED_KEY = 'base-nested';

interface NestedCopy {
  readonly base: string;
  /** One string, newline-separated: one value to clone instead of one per host. */
  readonly hosts: string;
  /** Where each group of them starts (`NestedHosts.starts`); absent in a copy of an earlier build. */
  readonly starts?: Uint32Array;
}

/** A record as JSON with its keys sorted: the same record read back from storage gives the same string. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x));
}

/** The database write that keeps the nested hosts of the base recorded as `base`. */
export function nestedCopy(base: BaseRecord, nested: NestedHosts): Record<string, NestedCopy> {
  const copy = { base: canonical(base), hosts: nested.hosts.join('\n') };
  return { [NESTED_KEY]: nested.starts ? { ...copy, starts: nested.starts } : copy };
}

/** The nested hosts kept for the base recorded as `base`; null when the copy is another base's or missing. Groups that do not fit them are not used. */
export async function keptNested(base: BaseRecord): Promise<NestedHosts | null> {
  const copy = await idbGet<NestedCopy>(NESTED_KEY).catch(() => undefined);
  if (copy?.base !== canonical(base) || typeof copy.hosts !== 'string') return null;
  const hosts = copy.hosts === '' ? [] : copy.hosts.split('\n');
  return { hosts, starts: isGrouping(copy.starts, hosts.length) ? copy.starts : null };
}

/**
 * The installed rules (of `ids`, when the last update is on record): block rules are rebuilt from
 * their redirect partners instead of read (reading every rule back took 7 s in Chromium at 1M).
 */
export async function installedRules(ids: readonly number[] | null): Promise<DnrRule[]> {
  return ids ? withPairedBlocks(await dnr.getDynamicRules(rulesToRead(ids)), ids) : dnr.getDynamicRules();
}
