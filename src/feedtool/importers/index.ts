// One entry point over all importers, keyed by the `format` of a source.
import { importCsv, type CsvOptions } from './csv.ts';
import { importHosts, importLines, type HostsOptions, type LinesOptions } from './lines.ts';
import type { ImportResult } from './types.ts';

export type SourceOptions = ({ readonly format: 'hosts' } & HostsOptions) | ({ readonly format: 'lines' } & LinesOptions) | ({ readonly format: 'csv' } & CsvOptions);

export function importSource(bytes: Uint8Array, options: SourceOptions): ImportResult {
  switch (options.format) {
    case 'hosts':
      return importHosts(bytes, options);
    case 'lines':
      return importLines(bytes, options);
    case 'csv':
      return importCsv(bytes, options);
  }
}

export { importCsv, importHosts, importLines };
export type { CsvOptions, HostsOptions, LinesOptions };
export { csvRows } from './csv.ts';
export type { ColumnRef, CsvRow, DateColumn, HostColumn } from './csv.ts';
export { decodeSource, splitLines, ENCODINGS, type Encoding } from './text.ts';
export { hostFromFreeText, readHost, HOST_KINDS, type HostKind } from './values.ts';
export { ImportError, type ImportResult, type ImportedEntry, type ImportStats, type Rejection } from './types.ts';
