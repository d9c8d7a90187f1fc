// The citation table (it_legal_basis_references.csv): the only place order metadata may come from.
import { csvRows, decodeSource, ImportError, type CsvRow } from './importers/index.ts';

export const REFERENCE_COLUMNS = ['ref_id', 'authority', 'list_or_case', 'legal_basis_as_quoted', 'event_date_as_reported', 'domains_named', 'source_url', 'source_kind', 'quote_excerpt'] as const;
export type ReferenceColumn = (typeof REFERENCE_COLUMNS)[number];
export type ReferenceRow = Readonly<Record<ReferenceColumn, string>> & { readonly line: number };

export class ReferenceTableError extends Error {
  override readonly name = 'ReferenceTableError';
}

/** Parses a CSV table keyed by its first column; a missing column, a duplicate id or a row of the wrong width is an error. */
function parseTable<C extends string>(bytes: Uint8Array, file: string, columns: readonly C[], what: string): Map<string, Readonly<Record<C, string>> & { readonly line: number }> {
  let rows: CsvRow[];
  try {
    rows = csvRows(decodeSource(bytes).text);
  } catch (e) {
    // The table's name belongs in the message: the build reports it without a file of its own.
    if (e instanceof ImportError) throw new ReferenceTableError(`${file}: ${e.message}`);
    throw e;
  }
  const [header, ...data] = rows;
  if (!header) throw new ReferenceTableError(`${file}: empty ${what}`);
  const names = header.fields.map((f) => f.trim());
  const missing = columns.filter((c) => !names.includes(c));
  if (missing.length > 0) throw new ReferenceTableError(`${file}:1: ${what} lacks column(s) ${missing.join(', ')}`);
  const key = columns[0] as C;
  const out = new Map<string, Readonly<Record<C, string>> & { readonly line: number }>();
  for (const row of data) {
    if (row.fields.every((f) => f.trim() === '')) continue;
    if (row.fields.length !== names.length) throw new ReferenceTableError(`${file}:${row.line}: expected ${names.length} fields, found ${row.fields.length}`);
    const rec = Object.fromEntries(columns.map((c) => [c, (row.fields[names.indexOf(c)] ?? '').trim()])) as Record<C, string>;
    if (out.has(rec[key])) throw new ReferenceTableError(`${file}:${row.line}: duplicate ${key} ${rec[key]}`);
    out.set(rec[key], { ...rec, line: row.line });
  }
  return out;
}

/** Parses the citation table. */
export function parseReferences(bytes: Uint8Array, file: string): Map<string, ReferenceRow> {
  return parseTable(bytes, file, REFERENCE_COLUMNS, 'citation table');
}

/** The remedies table (lists/<cc>/remedies.csv): how a kind of order can be contested, with a source. */
export const REMEDY_COLUMNS = ['id', 'jurisdiction', 'applies_to', 'remedy', 'body', 'deadline', 'source_url', 'quote', 'source_kind'] as const;
export type RemedyRow = Readonly<Record<(typeof REMEDY_COLUMNS)[number], string>> & { readonly line: number };

export function parseRemedies(bytes: Uint8Array, file: string): Map<string, RemedyRow> {
  return parseTable(bytes, file, REMEDY_COLUMNS, 'remedies table');
}

/**
 * A cell as data, or undefined. The table marks editorial notes by wrapping the whole cell in
 * parentheses, e.g. "(not stated)" or "(court injunction; …; no order numbers in source)":
 * such a note is not a value and the field stays absent.
 */
export function cellValue(value: string): string | undefined {
  const v = value.trim();
  if (v === '' || (v.startsWith('(') && v.endsWith(')'))) return undefined;
  return v;
}

const MONTHS: readonly (readonly string[])[] = [
  ['january', 'gennaio'],
  ['february', 'febbraio'],
  ['march', 'marzo'],
  ['april', 'aprile'],
  ['may', 'maggio'],
  ['june', 'giugno'],
  ['july', 'luglio'],
  ['august', 'agosto'],
  ['september', 'settembre'],
  ['october', 'ottobre'],
  ['november', 'novembre'],
  ['december', 'dicembre'],
];

/**
 * True when `text` states the partial ISO date `date`: literally (2013-12-12, 2022-07), or as
 * "July 2022" / "luglio 2022" for a month, or "12 December 2013" for a day.
 */
export function textStatesDate(text: string, date: string): boolean {
  const t = text.toLowerCase();
  if (new RegExp(`(^|[^\\d])${date}($|[^\\d-])`).test(t)) return true;
  const [y, m, d] = date.split('-');
  if (y === undefined || m === undefined) return false;
  const names = MONTHS[Number(m) - 1] ?? [];
  return names.some((name) => {
    const month = `${name} ${y}`;
    if (d === undefined) return t.includes(month);
    return new RegExp(`(^|\\D)0?${Number(d)} ${month}`).test(t);
  });
}
