// Feed format v1: one jurisdiction's authorities, orders and entries. See docs/feed-format.md.
// One validator, shared by the CLI (build, verify) and the extension (sync, embedded feed).
import * as v from 'valibot';
import { isCanonicalHost } from './hostname.ts';

export const FEED_FORMAT = 1;

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

const AuthoritySchema = v.strictObject({
  name: Localized,
  short: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(40))),
  kind: v.optional(v.picklist(['regulator', 'agency', 'court', 'ministry', 'other'])),
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

const OrderSchema = v.strictObject({
  authority: Id,
  title: Localized,
  reference: v.optional(Text),
  date: v.optional(PartialDate),
  dateAsReported: v.optional(Text),
  legalBasis: v.optional(Text),
  category: v.picklist(CATEGORIES),
  requestedBy: v.optional(Text),
  url: v.optional(Url),
  status: v.picklist(['active', 'revoked']),
  sources: v.pipe(v.array(CitationSchema), v.minLength(1, 'an order cites at least one public source')),
});

const EditionSchema = v.strictObject({
  title: v.optional(Text),
  date: v.optional(PartialDate),
  source: Text,
  url: v.optional(Url),
  commit: v.optional(v.pipe(v.string(), v.regex(/^[0-9a-f]{7,40}$/))),
  licence: v.optional(Text),
});

const Host = v.pipe(
  v.string(),
  v.check(isCanonicalHost, (issue) => `not a canonical hostname or IPv4 address: ${JSON.stringify(issue.input)}`),
);

const EntryGroupSchema = v.strictObject({
  orders: v.pipe(v.array(Id), v.minLength(1)),
  edition: Id,
  hosts: v.array(Host),
});

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
  v.check((f) => Object.values(f.orders).every((o) => o.authority in f.authorities), 'every order names a known authority'),
  v.check(
    (f) => f.entries.every((g) => g.edition in f.editions && g.orders.every((o) => o in f.orders)),
    'every entry group names known orders and a known edition',
  ),
);

export type Feed = v.InferOutput<typeof FeedSchema>;
export type Authority = v.InferOutput<typeof AuthoritySchema>;
export type Order = v.InferOutput<typeof OrderSchema>;
export type Edition = v.InferOutput<typeof EditionSchema>;
export type EntryGroup = v.InferOutput<typeof EntryGroupSchema>;
export type Citation = v.InferOutput<typeof CitationSchema>;
export type LocalizedText = v.InferOutput<typeof Localized>;

export type FeedResult = { ok: true; feed: Feed } | { ok: false; errors: string[] };

function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string[] {
  return issues.slice(0, 20).map((issue) => {
    const path = v.getDotPath(issue);
    return path ? `${path}: ${issue.message}` : issue.message;
  });
}

/** Validates an already-parsed value. */
export function validateFeed(value: unknown): FeedResult {
  const r = v.safeParse(FeedSchema, value);
  if (!r.success) return { ok: false, errors: describeIssues(r.issues) };
  const dupes = duplicateHosts(r.output);
  if (dupes.length > 0) return { ok: false, errors: [`hosts listed more than once: ${dupes.slice(0, 5).join(', ')}`] };
  return { ok: true, feed: r.output };
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

function duplicateHosts(feed: Feed): string[] {
  const seen = new Set<string>();
  const dupes: string[] = [];
  for (const g of feed.entries) {
    for (const h of g.hosts) {
      if (seen.has(h)) dupes.push(h);
      else seen.add(h);
    }
  }
  return dupes;
}

/** Number of hosts in a feed. */
export function countHosts(feed: Feed): number {
  let n = 0;
  for (const g of feed.entries) n += g.hosts.length;
  return n;
}

/**
 * Serialises a feed to its canonical bytes: stable key order as given, hosts one per line
 * so that diffs of feed files stay readable. `build` twice yields identical bytes.
 */
export function serializeFeed(feed: Feed): string {
  const { entries, ...head } = feed;
  const headJson = JSON.stringify(head, null, 1);
  const groups = entries.map((g) => {
    const hosts = g.hosts.map((h) => JSON.stringify(h)).join(',\n   ');
    return ` {"orders": ${JSON.stringify(g.orders)}, "edition": ${JSON.stringify(g.edition)}, "hosts": [\n   ${hosts}\n  ]}`;
  });
  return `${headJson.slice(0, -2)},\n "entries": [\n${groups.join(',\n')}\n ]\n}\n`;
}
