// What every importer returns: the hosts it kept, every line it could not use, and counts.
// Importers are pure: bytes and options in, a result out; nothing is dropped without a reason.

/** One host found in a source, at the first line that names it. */
export interface ImportedEntry {
  readonly host: string;
  /** 1-based line of the source where the host first appears. */
  readonly line: number;
  /** How the host was read when not taken verbatim: from a URL or out of free text. */
  readonly via?: 'url' | 'text';
  /** Listing date, ISO (YYYY-MM-DD), when the source has a configured date column. */
  readonly listed?: string;
  /** Removal date, ISO, when the source has a configured removal column and it is filled. */
  readonly removed?: string;
  /** Extra annotated columns (e.g. issuing body, decision number), as written in the source. */
  readonly fields?: Readonly<Record<string, string>>;
}

export interface Rejection {
  readonly line: number;
  /** The offending text, shortened for reports. */
  readonly text: string;
  readonly reason: string;
}

export interface ImportStats {
  /** Physical lines in the decoded text (a final newline does not start a new line). */
  lines: number;
  /** Lines that were blank, comments, a header or a configured preamble. */
  skipped: number;
  /** Host values read (a line may give several, or none). */
  candidates: number;
  /** Unique canonical hosts kept. */
  kept: number;
  /** Candidates whose canonical host was already kept (case, trailing dot, repeats). */
  duplicates: number;
  /** Rejected values or lines; each one is listed in `rejected`. */
  rejected: number;
  /** Hosts taken out of free text or from a URL. */
  extracted: number;
  fromUrl: number;
  encoding: string;
  bom: boolean;
  gzip: boolean;
  crlf: boolean;
  /** Preamble lines skipped by prefix (e.g. `Updated: …`), verbatim. */
  preamble: string[];
}

export interface ImportResult {
  readonly entries: ImportedEntry[];
  readonly rejected: Rejection[];
  readonly stats: ImportStats;
}

export class ImportError extends Error {
  override readonly name = 'ImportError';
}
