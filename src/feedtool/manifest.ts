// The declarative source manifest (lists/<cc>/sources.yaml): what the feed is built from.
// It may classify (category, authority, which refs an order cites) but not describe an order in
// its own words: descriptive order fields are filled from the citation table by the build.
import * as v from 'valibot';
import { parse as parseYaml } from 'yaml';
import { ACT_KINDS, ADDRESSEES, AUTHORITY_KINDS, CATEGORIES, LISTING_DATES } from '../core/feed.ts';
import { ENCODINGS, HOST_KINDS } from './importers/index.ts';

const Id = v.pipe(v.string(), v.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'an id is 1-64 letters, digits, ".", "_" or "-"'));
const Text = v.pipe(v.string(), v.minLength(1));
const PartialDate = v.pipe(v.string(), v.regex(/^\d{4}(?:-\d{2}(?:-\d{2})?)?$/, 'a date is YYYY, YYYY-MM or YYYY-MM-DD (quote it in YAML)'));
const Timestamp = v.pipe(v.string('a time is a quoted ISO 8601 UTC timestamp'), v.isoTimestamp('a time is an ISO 8601 UTC timestamp'), v.endsWith('Z'));
const Localized = v.strictObject({ it: v.optional(Text), en: v.optional(Text), fr: v.optional(Text) });
const Column = v.union([v.pipe(v.number(), v.integer(), v.minValue(0)), Text]);
const Encoding = v.picklist(ENCODINGS);

const HostColumn = v.strictObject({
  column: Column,
  kind: v.optional(v.picklist(HOST_KINDS)),
  split: v.optional(Text),
  fallback: v.optional(v.boolean()),
  extract: v.optional(v.boolean()),
});
const DateColumn = v.strictObject({ column: Column, format: v.picklist(['dmy', 'iso']) });

const ImportSchema = v.variant('format', [
  v.strictObject({
    format: v.literal('hosts'),
    encoding: v.optional(Encoding),
    addresses: v.optional(v.array(Text)),
  }),
  v.strictObject({
    format: v.literal('lines'),
    encoding: v.optional(Encoding),
    kind: v.optional(v.picklist(HOST_KINDS)),
    extract: v.optional(v.boolean()),
    skipPrefixes: v.optional(v.array(Text)),
  }),
  v.strictObject({
    format: v.literal('csv'),
    encoding: v.optional(Encoding),
    separator: v.optional(Text),
    quote: v.optional(v.nullable(Text)),
    header: v.optional(v.boolean()),
    skipPrefixes: v.optional(v.array(Text)),
    columns: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
    overflowInto: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
    hosts: v.pipe(v.array(HostColumn), v.minLength(1)),
    where: v.optional(v.strictObject({ column: Column, equals: Text })),
    listed: v.optional(DateColumn),
    removed: v.optional(DateColumn),
    fields: v.optional(v.record(Text, Column)),
  }),
  // The `domains_named` cell of one row of the citation table.
  v.strictObject({ format: v.literal('references'), ref: Id }),
]);

const AuthorityEntry = v.strictObject({
  name: Localized,
  short: v.optional(Text),
  kind: v.optional(v.picklist(AUTHORITY_KINDS)),
});

const ActEntry = v.strictObject({
  kind: v.picklist(ACT_KINDS),
  /** Must equal the `list_or_case` cell of one of the cited rows. */
  title: v.optional(Localized),
  /** Text that must appear verbatim in one of the cited rows. */
  reference: v.optional(Text),
  /** Row whose reported date is the act's; without it the act carries no date. */
  dateFrom: v.optional(Id),
  /** A partial ISO date that the `dateFrom` row states. */
  date: v.optional(PartialDate),
  /**
   * The source gives a date per host (its `listed` column, or `dates` of the list): that date is
   * this act's, of this kind, and goes on each host's listing.
   */
  listingDate: v.optional(v.picklist(LISTING_DATES)),
});

const LegalBasisEntry = v.strictObject({
  /** The cited row whose `legal_basis_as_quoted` is the text. */
  from: Id,
  /** Must equal that row's `list_or_case` cell. */
  title: v.optional(Localized),
  /** A partial ISO date that row states (in its legal basis or its quote). */
  date: v.optional(PartialDate),
});

const OrderEntry = v.strictObject({
  authority: Id,
  category: v.picklist(CATEGORIES),
  /** Rows of the citation table this order rests on; all become `sources`. */
  refs: v.pipe(v.array(Id), v.minLength(1, 'an order cites at least one ref')),
  act: ActEntry,
  legalBasis: v.optional(LegalBasisEntry),
  /** Who was ordered to block: `quote` must appear verbatim in row `ref`, and `name` in `quote`. */
  addressedTo: v.optional(v.strictObject({ kind: v.picklist(ADDRESSEES), name: v.optional(Text), ref: Id, quote: Text })),
  /** Text that must appear verbatim in the authority cell of one of the cited rows. */
  requestedBy: v.optional(Text),
  /** Rows of the remedies table (`remedies`) that say how this order can be contested. */
  remedies: v.optional(v.array(Id)),
});

const EditionEntry = v.strictObject({
  title: v.optional(Text),
  date: v.optional(PartialDate),
  /** The date is approximate (e.g. a commit date): pages say "about". */
  approximate: v.optional(v.literal(true)),
  source: Text,
  url: v.optional(v.pipe(v.string(), v.url())),
  commit: v.optional(v.pipe(v.string(), v.regex(/^[0-9a-f]{7,40}$/))),
  licence: v.optional(Text),
  /** The source's own warning; each " / "-separated part must appear verbatim in a file of this edition, or in `caveatFile`. */
  caveat: v.optional(Text),
  /** Where the source gives its warning when not in the list file itself (e.g. the repository's README), pinned by SHA-256. */
  caveatFile: v.optional(v.strictObject({ file: Text, sha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)) })),
  /** The file is a copy of a leaked list (say so in PROVENANCE.md): pages show it. */
  leaked: v.optional(v.literal(true)),
});

const ListEntry = v.strictObject({
  /** Path relative to the manifest. */
  file: Text,
  /** Hex SHA-256 of the file: the build refuses a source that changed without the manifest saying so. */
  sha256: v.optional(v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/))),
  orders: v.pipe(v.array(Id), v.minLength(1)),
  edition: Id,
  import: ImportSchema,
  /**
   * An older edition of the same source: hosts it named for these orders that this file no
   * longer names are kept as removed (not enforced, still explained).
   */
  supersedes: v.optional(Id),
  /**
   * Entries whose removal column is filled: left out (default true), or, when false, kept with
   * their removal date (`removed` on the listing: explained, not enforced).
   */
  dropRemoved: v.optional(v.boolean()),
  /**
   * Per-host dates from another file (a CSV with a `listed` date column) for a source that has
   * none, e.g. a plain list whose dates are printed in the authority's PDF of the same release.
   */
  dates: v.optional(
    v.strictObject({
      file: Text,
      sha256: v.optional(v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/))),
      import: v.strictObject({
        format: v.literal('csv'),
        encoding: v.optional(Encoding),
        separator: v.optional(Text),
        header: v.optional(v.boolean()),
        hosts: v.pipe(v.array(HostColumn), v.minLength(1)),
        listed: DateColumn,
      }),
    }),
  ),
});

export const ManifestSchema = v.strictObject({
  format: v.literal(2, 'manifest format is 2 (act and legal basis are separate since format 2; see docs/feed-format.md)'),
  jurisdiction: v.pipe(v.string(), v.regex(/^[A-Z]{2}$/)),
  serial: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
  generated: Timestamp,
  expires: Timestamp,
  /** The citation table(s), relative to the manifest; ref ids are unique across them. */
  references: v.union([Text, v.pipe(v.array(Text), v.minLength(1))]),
  /** The remedies table (how orders can be contested), relative to the manifest. */
  remedies: v.optional(Text),
  authorities: v.record(Id, AuthorityEntry),
  orders: v.record(Id, OrderEntry),
  editions: v.record(Id, EditionEntry),
  /** In priority order: a host named by several lists takes the edition of the first. */
  lists: v.pipe(v.array(ListEntry), v.minLength(1)),
});

export type Manifest = v.InferOutput<typeof ManifestSchema>;
export type ManifestList = Manifest['lists'][number];
export type ManifestOrder = Manifest['orders'][string];
export type ImportSpec = ManifestList['import'];

export class ManifestError extends Error {
  override readonly name = 'ManifestError';
}

/** Parses and validates manifest text; errors name the file and the path of the field. */
export function parseManifest(text: string, file: string): Manifest {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (e) {
    throw new ManifestError(`${file}: not valid YAML: ${(e as Error).message.split('\n')[0] ?? ''}`);
  }
  const r = v.safeParse(ManifestSchema, value);
  if (!r.success) {
    const first = r.issues[0];
    const path = first ? v.getDotPath(first) : null;
    throw new ManifestError(`${file}: invalid manifest: ${path ? `${path}: ` : ''}${first?.message ?? 'unknown error'}`);
  }
  return r.output;
}
