// How old a feed's data is: the date of its newest edition (the data date the sources give), not
// the date the feed file was generated. Pure, so pages and tests compute it the same way.
import type { Edition } from './feed.ts';

export const DEFAULT_DATA_MAX_AGE_MONTHS = 12;

export interface DataDate {
  /** Partial ISO date of the newest edition that gives one. */
  readonly date: string;
  /** That edition's date is approximate ("about"). */
  readonly approximate: boolean;
}

/** The newest edition date among `editions`, or null when none gives a date. */
export function newestDataDate(editions: Readonly<Record<string, Edition>>): DataDate | null {
  let best: DataDate | null = null;
  for (const e of Object.values(editions)) {
    if (!e.date) continue;
    if (!best || compareDataDates(e.date, best.date) > 0) best = { date: e.date, approximate: e.approximate === true };
  }
  return best;
}

/**
 * Orders two partial dates by the last day each can mean ("2023" is read as 2023-12-31, as
 * `monthsSince` reads it), so "2023" is not older than "2023-06-01" as a string comparison says.
 */
export function compareDataDates(a: string, b: string): number {
  return latestTime(a) - latestTime(b);
}

/** The last day a partial date can mean, as a UTC time: "2023" → 2023-12-31, "2023-09" → 2023-09-30. */
function latestTime(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  if (y === undefined) return Number.NaN;
  if (m === undefined) return Date.UTC(y, 11, 31);
  if (d === undefined) return Date.UTC(y, m, 0);
  return Date.UTC(y, m - 1, d);
}

/** Whole months from a partial date (read at its latest) to `now`; never negative. */
export function monthsSince(date: string, now: number): number {
  const t = latestTime(date);
  if (Number.isNaN(t)) return 0;
  const a = new Date(t);
  const b = new Date(now);
  let months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
  if (b.getUTCDate() < a.getUTCDate()) months--;
  return Math.max(0, months);
}

/** True when the data is older than `maxAgeMonths` (0 turns the notice off). */
export function isOutOfDate(data: DataDate | null, now: number, maxAgeMonths: number): boolean {
  if (!data || maxAgeMonths <= 0) return false;
  return monthsSince(data.date, now) >= maxAgeMonths;
}

/** What `hostDataDate` reads of an explanation's matches (structural, so core/explain.ts needs no import here). */
export interface DatedMatch {
  readonly jurisdiction: string;
  readonly orders: readonly { readonly enforced: boolean; readonly edition?: { readonly date?: string | undefined; readonly approximate?: boolean | undefined } | undefined }[];
}

/**
 * The data date behind a block in one jurisdiction: the newest date among the editions that name
 * the host for an enforced order. It can be older than the list's newest data (another source of
 * the same list may be newer), and it is the one that says how old this block's evidence is. Null
 * when none of those editions gives a date.
 */
export function hostDataDate(matches: readonly DatedMatch[], jurisdiction: string): DataDate | null {
  let best: DataDate | null = null;
  for (const m of matches) {
    if (m.jurisdiction !== jurisdiction) continue;
    for (const o of m.orders) {
      const date = o.enforced ? o.edition?.date : undefined;
      if (date && (!best || compareDataDates(date, best.date) > 0)) best = { date, approximate: o.edition?.approximate === true };
    }
  }
  return best;
}
