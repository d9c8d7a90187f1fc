// Shared bookkeeping of importers: dedupe by canonical host, count, and keep every rejection.
import { decodeSource, showText, splitLines, type Encoding } from './text.ts';
import type { ImportedEntry, ImportResult, ImportStats, Rejection } from './types.ts';
import type { HostValue } from './values.ts';

export class Collector {
  readonly entries: ImportedEntry[] = [];
  readonly rejected: Rejection[] = [];
  readonly stats: ImportStats;
  private readonly seen = new Set<string>();

  constructor(meta: { encoding: string; bom: boolean; gzip: boolean; crlf: boolean; lines: number }) {
    this.stats = {
      lines: meta.lines,
      skipped: 0,
      candidates: 0,
      kept: 0,
      duplicates: 0,
      rejected: 0,
      extracted: 0,
      fromUrl: 0,
      encoding: meta.encoding,
      bom: meta.bom,
      gzip: meta.gzip,
      crlf: meta.crlf,
      preamble: [],
    };
  }

  skip(): void {
    this.stats.skipped++;
  }

  reject(line: number, text: string, reason: string): void {
    this.stats.rejected++;
    this.rejected.push({ line, text: showText(text), reason });
  }

  /** Records one host value; `extra` is attached only when the host is new. */
  add(line: number, raw: string, value: HostValue, extra?: Omit<ImportedEntry, 'host' | 'line' | 'via'>): boolean {
    this.stats.candidates++;
    if (!value.ok) {
      this.reject(line, raw, value.reason);
      return false;
    }
    if (value.via === 'text') this.stats.extracted++;
    if (value.via === 'url') this.stats.fromUrl++;
    if (this.seen.has(value.host)) {
      this.stats.duplicates++;
      return true;
    }
    this.seen.add(value.host);
    this.stats.kept++;
    this.entries.push({ host: value.host, line, ...(value.via ? { via: value.via } : {}), ...extra });
    return true;
  }

  result(): ImportResult {
    return { entries: this.entries, rejected: this.rejected, stats: this.stats };
  }
}

/** Decodes and splits a source, returning its lines and a fresh collector. */
export function open(bytes: Uint8Array, encoding: Encoding | undefined): { lines: string[]; collector: Collector } {
  const d = decodeSource(bytes, encoding);
  const lines = splitLines(d.text);
  return { lines, collector: new Collector({ encoding: d.encoding, bom: d.bom, gzip: d.gzip, crlf: d.crlf, lines: lines.length }) };
}
