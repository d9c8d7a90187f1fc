// Delimited files: configurable separator, quoting, header, columns by index or name,
// several values per field, rows with too many fields, and date columns.
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

/** Splits text into rows; quoted fields may hold separators, doubled quotes and line breaks. */
function* rows(lines: readonly string[], separator: string, quote: string | null): Generator<CsvRow> {
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let raw = lines[i] ?? '';
    if (quote === null) {
      yield { line: start, raw, fields: raw.split(separator) };
      continue;
    }
    const fields: string[] = [];
    let field = '';
    let inQuotes = false;
    let atFieldStart = true;
    let text = raw;
    for (let p = 0; ; p++) {
      if (p >= text.length) {
        if (inQuotes && i + 1 < lines.length) {
          // A quoted field continues on the next line.
          i++;
          field += '\n';
          text = lines[i] ?? '';
          raw += `\n${text}`;
          p = -1;
          continue;
        }
        break;
      }
      const c = text[p] ?? '';
      if (inQuotes) {
        if (text.startsWith(quote, p)) {
          if (text.startsWith(quote, p + quote.length)) {
            field += quote;
            p += quote.length * 2 - 1;
          } else {
            inQuotes = false;
            p += quote.length - 1;
          }
        } else field += c;
      } else if (text.startsWith(separator, p)) {
        fields.push(field);
        field = '';
        atFieldStart = true;
        p += separator.length - 1;
        continue;
      } else if (atFieldStart && text.startsWith(quote, p)) {
        inQuotes = true;
        p += quote.length - 1;
      } else field += c;
      atFieldStart = false;
    }
    fields.push(field);
    yield { line: start, raw, fields };
  }
}

/** Rows of an already decoded text, for tables that are read whole (e.g. a citation table). */
export function csvRows(text: string, separator = ',', quote: string | null = '"'): CsvRow[] {
  return [...rows(splitLines(text), separator, quote)];
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
    for (const [key, col] of [['listed', options.listed], ['removed', options.removed]] as const) {
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
