// Feed format v2: one jurisdiction's authorities, orders and entries. See docs/feed-format.md.
// v2 separates an order's act (what named the host) from its legal basis, and gives every
// (host, order) pair the edition that named it. A v1 feed is refused with a plain error.
// One validator, shared by the CLI (build, verify) and the extension (sync, embedded feed).
import * as v from 'valibot';
import { canonicalHostHash, NOT_CANONICAL } from './hostname.ts';

export { serializeFeed, serializeFeedBytes } from './feed-serial.ts';

export const FEED_FORMAT = 2;

export const CATEGORIES = ['copyright', 'gambling', 'tobacco', 'finance', 'health', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

const Id = v.pipe(v.string(), v.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'an id is 1-64 letters, digits, ".", "_" or "-"'));
const Text = v.pipe(v.string(), v.minLength(1), v.maxLength(4000));
const Url = v.pipe(v.string(), v.url(), v.regex(/^https?:\/\//, 'a link must be http(s)'));
// Partial ISO dates: a source may give only the year or the month.
const PartialDate = v.pipe(v.string(), v.regex(/^\d{4}(?:-\d{2}(?:-\d{2})?)?$/, 'a date is YYYY, YYYY-MM or YYYY-MM-DD'));
const Timestamp = v.pipe(v.string(), v.isoTimestamp('a time is an ISO 8601 UTC timestamp'), v.endsWith('Z'));

const Localized = v.strictObject({
  it: v.optional(Text),
  en: v.optional(Text),
  fr: v.optional(Text),
});

/** `private-body`: not a court nor a public authority (e.g. a clearing body of ISPs and rightsholders). */
export const AUTHORITY_KINDS = ['regulator', 'agency', 'court', 'ministry', 'private-body', 'other'] as const;

const AuthoritySchema = v.strictObject({
  name: Localized,
  short: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(40))),
  kind: v.optional(v.picklist(AUTHORITY_KINDS)),
  website: v.optional(Url),
  contest: v.optional(Localized),
  contestUrl: v.optional(Url),
});

const CitationSchema = v.strictObject({
  id: v.optional(Id),
  url: Url,
  kind: v.optional(Text),
  dateAsReported: v.optional(Text),
  quote: v.optional(Text),
});

/** Who an order is addressed to, where a cited source says so. */
export const ADDRESSEES = ['isps', 'dns-resolver'] as const;
export const ACT_KINDS = ['court-order', 'decision', 'register'] as const;
/** What a listing's own `date` is, when the source gives one per host (see Listing). */
export const LISTING_DATES = ['order-issued', 'published', 'blocked-from'] as const;

/**
 * What named the host: a court order, an authority's decision, or a listing in an authority's
 * register as seen in an edition. Reference and date only where a source gives them.
 */
const ActSchema = v.strictObject({
  kind: v.picklist(ACT_KINDS),
  title: v.optional(Localized),
  reference: v.optional(Text),
  date: v.optional(PartialDate),
  dateAsReported: v.optional(Text),
  /** The per-host date of a listing is this act's date, of this kind ("Blocking order issued on …"). */
  listingDate: v.optional(v.picklist(LISTING_DATES)),
});

/** The regulation or law the act rests on, as quoted by a source, with its own date. */
const LegalBasisSchema = v.strictObject({
  text: Text,
  title: v.optional(Localized),
  date: v.optional(PartialDate),
});

/** How an order can be contested, with the source that says so. */
const RemedySchema = v.strictObject({
  id: Id,
  remedy: Text,
  body: Text,
  deadline: v.optional(Text),
  url: Url,
  quote: Text,
  kind: v.optional(Text),
});

const OrderSchema = v.strictObject({
  authority: Id,
  category: v.picklist(CATEGORIES),
  act: ActSchema,
  legalBasis: v.optional(LegalBasisSchema),
  addressedTo: v.optional(v.strictObject({ kind: v.picklist(ADDRESSEES), name: v.optional(Text) })),
  requestedBy: v.optional(Text),
  url: v.optional(Url),
  sources: v.pipe(v.array(CitationSchema), v.minLength(1, 'an order cites at least one public source')),
  remedies: v.optional(v.array(RemedySchema)),
});

const EditionSchema = v.strictObject({
  title: v.optional(Text),
  date: v.optional(PartialDate),
  /** The date is the source's approximate data date ("about"), e.g. a commit date. */
  approximate: v.optional(v.literal(true)),
  source: Text,
  url: v.optional(Url),
  commit: v.optional(v.pipe(v.string(), v.regex(/^[0-9a-f]{7,40}$/))),
  licence: v.optional(Text),
  /** A warning the source carries about itself, verbatim. */
  caveat: v.optional(Text),
  /** The file is a copy of a leaked list, not published by the authority: pages say so. */
  leaked: v.optional(v.literal(true)),
});

/** At most this many bad hosts are reported per group: the first ones say enough. */
const MAX_HOST_ISSUES = 20;

/** A group's hosts: validateFeed checks them in the pass that hashes them for the duplicate check, not a schema per host (a feed holds a million). */
const Hosts = v.custom<string[]>((input) => Array.isArray(input), 'hosts must be an array of host names');

/**
 * One (order, edition) pair behind the hosts of a group: `edition` named them for `order`;
 * `removedIn`, a newer edition of the same source that no longer names them (not enforced).
 */
const ListingSchema = v.strictObject({
  order: Id,
  edition: Id,
  removedIn: v.optional(Id),
  /** This host's own act date, as its source gives it per entry (its meaning: the order's `act.listingDate`). */
  date: v.optional(PartialDate),
  /** The source marks this host removed from the list on this date: kept for explanations, not enforced. */
  removed: v.optional(PartialDate),
});

const EntryGroupSchema = v.strictObject({
  listings: v.pipe(v.array(ListingSchema), v.minLength(1)),
  hosts: Hosts,
});

const has = (rec: object, key: string): boolean => Object.hasOwn(rec, key);

/** The feed's structure and references; its hosts are checked by validateFeed, the one validator of feeds. */
export const FeedSchema = v.pipe(
  v.strictObject({
    format: v.literal(FEED_FORMAT),
    jurisdiction: v.pipe(v.string(), v.regex(/^[A-Z]{2}$/, 'jurisdiction is an ISO 3166-1 alpha-2 code')),
    serial: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
    generated: Timestamp,
    expires: Timestamp,
    authorities: v.record(Id, AuthoritySchema),
    orders: v.record(Id, OrderSchema),
    editions: v.record(Id, EditionSchema),
    entries: v.array(EntryGroupSchema),
  }),
  v.check((f) => Date.parse(f.expires) > Date.parse(f.generated), 'expires must be after generated'),
  // Own properties only: an order named `constructor` or `__proto__` is not "known".
  v.check((f) => Object.values(f.orders).every((o) => has(f.authorities, o.authority)), 'every order names a known authority'),
  v.check(
    (f) => f.entries.every((g) => g.listings.every((l) => has(f.orders, l.order) && has(f.editions, l.edition) && (l.removedIn === undefined || has(f.editions, l.removedIn)))),
    'every listing names a known order and known editions',
  ),
);

export type Feed = v.InferOutput<typeof FeedSchema>;
export type Authority = v.InferOutput<typeof AuthoritySchema>;
export type Order = v.InferOutput<typeof OrderSchema>;
export type Edition = v.InferOutput<typeof EditionSchema>;
export type EntryGroup = v.InferOutput<typeof EntryGroupSchema>;
export type Listing = v.InferOutput<typeof ListingSchema>;
export type Act = v.InferOutput<typeof ActSchema>;
export type LegalBasis = v.InferOutput<typeof LegalBasisSchema>;
export type Remedy = v.InferOutput<typeof RemedySchema>;
/** A group without its hosts: what the order index and deltas keep. */
export type GroupHead = Pick<EntryGroup, 'listings'>;
export const GroupHeadSchema = v.strictObject({ listings: EntryGroupSchema.entries.listings });
export type Citation = v.InferOutput<typeof CitationSchema>;
export type LocalizedText = v.InferOutput<typeof Localized>;

export type FeedResult = { ok: true; feed: Feed } | { ok: false; errors: string[] };

function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string[] {
  return issues.slice(0, 20).map((issue) => {
    const path = v.getDotPath(issue);
    return path ? `${path}: ${issue.message}` : issue.message;
  });
}

/** A listing is removed when a newer edition no longer names the host or the source dates its removal. */
export function isListingRemoved(l: Pick<Listing, 'removedIn' | 'removed'>): boolean {
  return l.removedIn !== undefined || l.removed !== undefined;
}

/** The orders that still name a group's hosts (their listing is not removed), without repeats. */
export function activeOrders(g: GroupHead): string[] {
  return [...new Set(g.listings.filter((l) => !isListingRemoved(l)).map((l) => l.order))];
}

/**
 * A stable key for a group's listings (deltas match groups by it), one per distinct listings: each
 * field after a mark no id contains (ids may contain "-", so `removedIn` follows "/").
 */
export function groupKey(g: GroupHead): string {
  return g.listings.map((l) => `${l.order}@${l.edition}${l.removedIn ? `/${l.removedIn}` : ''}${l.date ? `:${l.date}` : ''}${l.removed ? `~${l.removed}` : ''}`).join(',');
}

/** A plain error for a feed of another format, before the schema's details. */
function formatProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || !('format' in value)) return null;
  const f = (value as { format: unknown }).format;
  if (f === FEED_FORMAT) return null;
  if (typeof f === 'number' && f < FEED_FORMAT) {
    return `feed format ${f} is no longer read: this version reads format ${FEED_FORMAT} (rebuild the feed with the same version of ordinanza-feed)`;
  }
  return `feed format ${JSON.stringify(f)} is not supported: this version reads format ${FEED_FORMAT}`;
}

/** Validates an already-parsed value. */
export function validateFeed(value: unknown): FeedResult {
  const problem = formatProblem(value);
  if (problem) return { ok: false, errors: [problem] };
  const r = v.safeParse(FeedSchema, value);
  const groups = hostArrays(value);
  const hosts = checkHosts(groups);
  if (!r.success || hosts.errors.length > 0) return { ok: false, errors: [...(r.success ? [] : describeIssues(r.issues)), ...hosts.errors].slice(0, 20) };
  const dupes = duplicateHosts(groups as readonly (readonly string[])[], hosts.hashes);
  if (dupes.length > 0) return { ok: false, errors: [`hosts listed more than once: ${dupes.slice(0, 5).join(', ')}`] };
  return { ok: true, feed: r.output };
}

/** Each group's `hosts` if it is an array, else none (the schema reports it): read before validation. */
function hostArrays(value: unknown): (readonly unknown[])[] {
  const entries = (value as { entries?: unknown } | null | undefined)?.entries;
  return Array.isArray(entries) ? entries.map((g: { hosts?: unknown } | null | undefined) => (Array.isArray(g?.hosts) ? g.hosts : [])) : [];
}

/** Every host checked canonical and hashed (`hostHash`, in feed order) in one pass; bad ones reported at their path (`entries.0.hosts.3`). */
function checkHosts(groups: readonly (readonly unknown[])[]): { errors: string[]; hashes: Int32Array } {
  const hashes = new Int32Array(groups.reduce((n, hosts) => n + hosts.length, 0));
  const errors: string[] = [];
  let k = 0;
  for (let g = 0; g < groups.length; g++) {
    const hosts = groups[g] as readonly unknown[];
    let reported = 0;
    for (let i = 0; i < hosts.length; i++) {
      const host = hosts[i];
      const hash = typeof host === 'string' ? canonicalHostHash(host) : NOT_CANONICAL;
      hashes[k++] = hash;
      if (hash !== NOT_CANONICAL) continue;
      const problem = typeof host === 'string' ? `not a canonical hostname or IPv4 address: ${JSON.stringify(host)}` : `a host is a string, not ${JSON.stringify(host)}`;
      errors.push(`entries.${g}.hosts.${i}: ${problem}`);
      if (++reported === MAX_HOST_ISSUES) break;
    }
  }
  return { errors, hashes };
}

/** Parses and validates the exact bytes of a feed file. */
export function parseFeed(bytes: Uint8Array | string): FeedResult {
  let text: string;
  try {
    text = typeof bytes === 'string' ? bytes : new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, errors: ['feed is not valid UTF-8'] };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [`feed is not valid JSON (truncated or corrupt): ${(e as Error).message}`] };
  }
  return validateFeed(value);
}

/**
 * The hosts listed more than once, in feed order. A hash set of a million strings spends ~0.4 s in cache misses; sorting
 * their hashes takes a few sequential passes, and only hosts whose hash is not unique (~100 in a million) are compared.
 */
function duplicateHosts(groups: readonly (readonly string[])[], hashes: Int32Array): string[] {
  const repeated = repeatedValues(hashes);
  if (repeated.size === 0) return [];
  // Marks the low 16 bits of each repeated hash: most hosts are passed over without a Set lookup.
  const maybe = new Uint8Array(1 << 16);
  for (const x of repeated) maybe[x & 0xffff] = 1;
  const seen = new Set<string>();
  const dupes: string[] = [];
  // An indexed loop (no iterator objects, which unoptimised code allocates): only hosts of a repeated hash are read.
  let group = 0;
  let groupStart = 0;
  for (let k = 0; k < hashes.length; k++) {
    const x = hashes[k] as number;
    if (maybe[x & 0xffff] === 0 || !repeated.has(x)) continue;
    while (k - groupStart >= (groups[group] as readonly string[]).length) groupStart += (groups[group++] as readonly string[]).length;
    const h = (groups[group] as readonly string[])[k - groupStart] as string;
    if (seen.has(h)) dupes.push(h);
    else seen.add(h);
  }
  return dupes;
}

/** The values found more than once: a radix sort (two passes of 16 bits), then neighbours compared. */
function repeatedValues(values: Int32Array): Set<number> {
  const n = values.length;
  let [src, dst, spare] = [values, new Int32Array(n), new Int32Array(n)];
  for (let shift = 0; shift < 32; shift += 16) {
    // starts[d + 1] counts the values of digit d; summed up, starts[d] is where digit d begins.
    const starts = new Int32Array((1 << 16) + 1);
    for (let i = 0; i < n; i++) {
      const d = (((src[i] as number) >>> shift) & 0xffff) + 1;
      starts[d] = (starts[d] as number) + 1;
    }
    for (let d = 1; d < starts.length; d++) starts[d] = (starts[d] as number) + (starts[d - 1] as number);
    for (let i = 0; i < n; i++) {
      const x = src[i] as number;
      const d = (x >>> shift) & 0xffff;
      dst[starts[d] as number] = x;
      starts[d] = (starts[d] as number) + 1;
    }
    src = dst;
    dst = spare;
  }
  const out = new Set<number>();
  for (let i = 1; i < n; i++) if (src[i] === src[i - 1]) out.add(src[i] as number);
  return out;
}

/** Number of hosts in a feed. */
export function countHosts(feed: Feed): number {
  let n = 0;
  for (const g of feed.entries) n += g.hosts.length;
  return n;
}
