// One order of the feed, built from its manifest entry and the table rows it cites. Every field
// is copied from a row or checked against one; anything no row supports stops the build.
import type { Citation, Order, Remedy } from '../core/feed.ts';
import type { ManifestOrder } from './manifest.ts';
import { cellValue, textStatesDate, type ReferenceRow, type RemedyRow } from './references.ts';

export class OrderError extends Error {
  override readonly name = 'OrderError';
}

export interface OrderTables {
  readonly refs: ReadonlyMap<string, ReferenceRow>;
  readonly refsFile: string;
  readonly remedies: ReadonlyMap<string, RemedyRow>;
  readonly remediesFile: string | undefined;
  readonly jurisdiction: string;
}

function citation(row: ReferenceRow): Citation {
  const c: Citation = { id: row.ref_id, url: row.source_url };
  const kind = cellValue(row.source_kind);
  const date = cellValue(row.event_date_as_reported);
  const quote = cellValue(row.quote_excerpt);
  if (kind) c.kind = kind;
  if (date) c.dateAsReported = date;
  if (quote) c.quote = quote;
  return c;
}

const cells = (r: ReferenceRow): string[] => Object.values(r).filter((c): c is string => typeof c === 'string');

function remedy(row: RemedyRow): Remedy {
  const deadline = cellValue(row.deadline);
  const kind = cellValue(row.source_kind);
  return {
    id: row.id,
    remedy: row.remedy,
    body: row.body,
    ...(deadline ? { deadline } : {}),
    url: row.source_url,
    quote: row.quote,
    ...(kind ? { kind } : {}),
  };
}

/** Builds one order; every error names the order and the field. */
export function buildOrder(id: string, o: ManifestOrder, t: OrderTables): Order {
  const fail = (msg: string): never => {
    throw new OrderError(`order ${id}: ${msg}`);
  };
  const rows = o.refs.map((r) => t.refs.get(r) ?? fail(`ref ${r} is not in ${t.refsFile}`));
  const row = (ref: string, field: string): ReferenceRow => {
    if (!o.refs.includes(ref)) fail(`${field} ${ref} is not one of its refs`);
    return t.refs.get(ref) ?? fail(`ref ${ref} is not in ${t.refsFile}`);
  };
  const titleFrom = (title: Partial<Record<string, string>>, candidates: readonly ReferenceRow[], field: string): void => {
    if (Object.keys(title).length === 0) fail(`${field} needs at least one language`);
    for (const [lang, text] of Object.entries(title)) {
      if (!candidates.some((r) => r.list_or_case === text)) fail(`${field}.${lang} "${text}" is not the list_or_case of ${candidates.length === 1 ? `row ${candidates[0]?.ref_id}` : 'any cited row'}`);
    }
  };

  // The act: what named the host.
  const a = o.act;
  if (a.title) titleFrom(a.title, rows, 'act.title');
  if (a.reference && !rows.some((r) => cells(r).some((c) => c.includes(a.reference ?? '')))) {
    fail(`act.reference "${a.reference}" does not appear in any cited row`);
  }
  let dateAsReported: string | undefined;
  if (a.dateFrom) dateAsReported = cellValue(row(a.dateFrom, 'act.dateFrom').event_date_as_reported);
  if (a.date) {
    if (!a.dateFrom) fail('act.date needs act.dateFrom: the cited row that states it');
    if (!dateAsReported || !textStatesDate(dateAsReported, a.date)) fail(`act.date ${a.date} is not stated by row ${a.dateFrom} ("${dateAsReported ?? ''}")`);
  }

  // The legal basis: the regulation or law, with its own date.
  let legalBasis: Order['legalBasis'];
  if (o.legalBasis) {
    const b = o.legalBasis;
    const r = row(b.from, 'legalBasis.from');
    const text = cellValue(r.legal_basis_as_quoted) ?? fail(`legalBasis.from row ${b.from} states no legal basis ("${r.legal_basis_as_quoted}")`);
    if (b.title) titleFrom(b.title, [r], 'legalBasis.title');
    if (b.date && !textStatesDate(text, b.date) && !textStatesDate(r.quote_excerpt, b.date)) fail(`legalBasis.date ${b.date} is not stated by row ${b.from}`);
    legalBasis = { text, ...(b.title ? { title: b.title } : {}), ...(b.date ? { date: b.date } : {}) };
  }

  let addressedTo: Order['addressedTo'];
  if (o.addressedTo) {
    const x = o.addressedTo;
    const r = row(x.ref, 'addressedTo.ref');
    if (!cells(r).some((c) => c.includes(x.quote))) fail(`addressedTo.quote "${x.quote}" does not appear in row ${x.ref}`);
    if (x.name && !x.quote.includes(x.name)) fail(`addressedTo.name "${x.name}" is not in its quote`);
    addressedTo = { kind: x.kind, ...(x.name ? { name: x.name } : {}) };
  }
  if (o.requestedBy && !rows.some((r) => r.authority.includes(o.requestedBy ?? ''))) {
    fail(`requestedBy "${o.requestedBy}" does not appear in the authority cell of any cited row`);
  }

  const remedies = (o.remedies ?? []).map((rid) => {
    const r = t.remedies.get(rid) ?? fail(`remedy ${rid} is not in ${t.remediesFile ?? 'a remedies table (the manifest names none)'}`);
    if (r.jurisdiction !== t.jurisdiction) fail(`remedy ${rid} is for ${r.jurisdiction}, not ${t.jurisdiction}`);
    if (!cellValue(r.quote) || !cellValue(r.source_url)) fail(`remedy ${rid} has no quote or no source URL`);
    return remedy(r);
  });

  // Key order is part of the bytes: build the object in the schema's order.
  return {
    authority: o.authority,
    category: o.category,
    act: {
      kind: a.kind,
      ...(a.title ? { title: a.title } : {}),
      ...(a.reference ? { reference: a.reference } : {}),
      ...(a.date ? { date: a.date } : {}),
      ...(dateAsReported ? { dateAsReported } : {}),
      ...(a.listingDate ? { listingDate: a.listingDate } : {}),
    },
    ...(legalBasis ? { legalBasis } : {}),
    ...(addressedTo ? { addressedTo } : {}),
    ...(o.requestedBy ? { requestedBy: o.requestedBy } : {}),
    sources: rows.map(citation),
    ...(remedies.length > 0 ? { remedies } : {}),
  };
}
