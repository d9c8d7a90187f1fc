// Delimited files: configurable separator, quoting, header, columns by index or name,
// several values per field, rows with too many fields, and date columns. Splitting is csv-parse's;
// this file keeps the line numbers, the raw text of each row and the rejections.
import { CsvError, parse } from 'csv-parse/sync';
import { open } from './collect.ts';
import { splitLines, type Encoding } from './text.ts';
import { ImportError, type ImportResult } from './types.ts';
import { readHost, type HostKind } from './values.ts';

/** A column by 0-based index, or by its header name when the file has a header. */
export type ColumnRef = number | string;

export interface HostColumn {
  readonly column: ColumnRef;
  readonly kind?: HostKind;
  /** Several values in one field, joined by this (e.g. `" | "` or `";"`). */
  readonly split?: string;
  /** Read only when the columns before it gave no host (e.g. IP-only rows of a register). */
  readonly fallback?: boolean;
  readonly extract?: boolean;
}

export interface DateColumn {
  readonly column: ColumnRef;
  /** `dmy`: DD.MM.YYYY (also `/` or `-`); `iso`: YYYY-MM-DD, or a timestamp whose date part is kept. */
  readonly format: 'dmy' | 'iso';
}

export interface CsvOptions {
  readonly encoding?: Encoding;
  readonly separator?: string;
  /** Quote character (RFC 4180 doubling), or null for none. Default `"`. */
  readonly quote?: string | null;
  readonly header?: boolean;
  /** Lines starting with one of these are skipped as preamble (kept in stats). */
  readonly skipPrefixes?: readonly string[];
  /** Expected number of fields. With `overflowInto`, extra fields are joined back into that column. */
  readonly columns?: number;
  /** Index of the one column that may contain unescaped separators (split from both ends). */
  readonly overflowInto?: number;
  readonly hosts: readonly HostColumn[];
  /** Read only rows whose column equals the value (e.g. one row of a citation table). */
  readonly where?: { readonly column: ColumnRef; readonly equals: string };
  readonly listed?: DateColumn;
  readonly removed?: DateColumn;
  /** Further columns to keep on each entry, by the name given here. */
  readonly fields?: Readonly<Record<string, ColumnRef>>;
}

export interface CsvRow {
  readonly line: number;
  readonly raw: string;
  readonly fields: string[];
}

/** Splits lines into rows; quoted fields may hold separators, doubled quotes and line breaks. */
function rows(lines: readonly string[], separator: string, quote: string | null): CsvRow[] {
  // Without quoting a row is its line split at the separator: the parser gives the same fields,
  // but takes several times as long on the multi-megabyte registers read this way.
  if (quote === null) return lines.map((raw, i) => ({ line: i + 1, raw, fields: raw.split(separator) }));
  // Every line ends in one LF, the last too, so that each line, blank or not, is in exactly one row.
  const text = lines.map((l) => `${l}\n`).join('');
  let records: string[][];
  try {
    records = parse(text, {
      delimiter: separator,
      record_delimiter: '\n',
      // Doubling escapes a quote, whatever the quote character is (RFC 4180).
      quote,
      escape: quote,
      // A quote inside an unquoted field is text, as in free-text columns of real registers.
      relax_quotes: true,
      // Row widths are checked by the callers, so that a short row is one rejection with its line.
      relax_column_count: true,
    });
  } catch (e) {
    if (!(e instanceof CsvError)) throw e;
    throw new ImportError(csvProblem(e, text));
  }
  let start = 1;
  return records.map((fields) => {
    // A row ends at the LF of its last line; every other LF of it is inside a quoted field.
    const end = start + fields.reduce((n, f) => n + countLf(f), 0);
    const row = { line: start, raw: lines.slice(start - 1, end).join('\n'), fields };
    start = end + 1;
    return row;
  });
}

function countLf(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** The parser's error as one line that names the line where the broken row starts. */
function csvProblem(e: CsvError, text: string): string {
  if (e.code.startsWith('CSV_INVALID_OPTION')) return `invalid CSV options: ${e.message}`;
  // The parser counts bytes up to the last row it completed; the broken row starts after them.
  const done = typeof e['bytes_records'] === 'number' ? e['bytes_records'] : 0;
  const line = countLf(new TextDecoder().decode(new TextEncoder().encode(text).subarray(0, done))) + 1;
  if (e.code === 'CSV_QUOTE_NOT_CLOSED') return `line ${line}: a quoted field opened in this row is never closed (unterminated quote; set quote: null if quotes are plain text in this file)`;
  return `line ${line}: ${e.message}`;
}

/** Rows of an already decoded text, for tables that are read whole (e.g. a citation table). */
export function csvRows(text: string, separator = ',', quote: string | null = '"'): CsvRow[] {
  return rows(splitLines(text), separator, quote);
}

function parseDate(value: string, format: 'dmy' | 'iso'): string | null {
  const v = value.trim();
  const m = format === 'dmy' ? /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(v) : /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(v);
  if (!m) return null;
  const [y, mo, d] = format === 'dmy' ? [m[3], m[2], m[1]] : [m[1], m[2], m[3]];
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function importCsv(bytes: Uint8Array, options: CsvOptions): ImportResult {
  const { lines, collector } = open(bytes, options.encoding);
  const separator = options.separator ?? ',';
  const quote = options.quote === undefined ? '"' : options.quote;
  let header: string[] | null = null;

  const index = (ref: ColumnRef): number => {
    if (typeof ref === 'number') return ref;
    if (!header) throw new ImportError(`column "${ref}" is named but the file has no header`);
    const i = header.indexOf(ref);
    if (i === -1) throw new ImportError(`no column "${ref}" in the header (${header.join(', ')})`);
    return i;
  };

  for (const row of rows(lines, separator, quote)) {
    if (options.skipPrefixes?.some((p) => row.raw.startsWith(p))) {
      collector.skip();
      collector.stats.preamble.push(row.raw);
      continue;
    }
    if (options.header && header === null) {
      header = row.fields.map((f) => f.trim());
      collector.skip();
      continue;
    }
    if (row.fields.every((f) => f.trim() === '')) {
      collector.skip();
      continue;
    }
    let fields = row.fields;
    if (options.columns !== undefined && fields.length !== options.columns) {
      const into = options.overflowInto;
      if (into === undefined || fields.length < options.columns) {
        collector.reject(row.line, row.raw, `expected ${options.columns} fields, found ${fields.length}`);
        continue;
      }
      // Split from both ends: the fields before and after the overflowing column are fixed.
      const extra = fields.length - options.columns;
      fields = [...fields.slice(0, into), fields.slice(into, into + extra + 1).join(separator), ...fields.slice(into + extra + 1)];
    }
    const cell = (ref: ColumnRef): string => fields[index(ref)] ?? '';

    if (options.where && cell(options.where.column).trim() !== options.where.equals) {
      collector.skip();
      continue;
    }

    const extra: { listed?: string; removed?: string; fields?: Record<string, string> } = {};
    let bad: string | null = null;
    for (const [key, col] of [
      ['listed', options.listed],
      ['removed', options.removed],
    ] as const) {
      if (!col) continue;
      const value = cell(col.column).trim();
      if (value === '') continue;
      const iso = parseDate(value, col.format);
      if (iso === null) bad = `invalid ${key} date "${value}" (expected ${col.format === 'dmy' ? 'DD.MM.YYYY' : 'YYYY-MM-DD'})`;
      else extra[key] = iso;
    }
    if (bad !== null) {
      collector.reject(row.line, row.raw, bad);
      continue;
    }
    if (options.fields) {
      const kept: Record<string, string> = {};
      for (const [name, col] of Object.entries(options.fields)) {
        const value = cell(col).trim();
        if (value !== '') kept[name] = value;
      }
      if (Object.keys(kept).length > 0) extra.fields = kept;
    }

    let found = false;
    let anyValue = false;
    for (const hc of options.hosts) {
      if (hc.fallback && found) continue;
      const field = cell(hc.column);
      const values = (hc.split !== undefined ? field.split(hc.split) : [field]).filter((s) => s.trim() !== '');
      for (const value of values) {
        anyValue = true;
        if (collector.add(row.line, value, readHost(value, hc.kind ?? 'host', hc.extract ?? false), extra)) found = true;
      }
    }
    if (!anyValue) collector.reject(row.line, row.raw, 'no host in this row (empty host field)');
  }
  return collector.result();
}
