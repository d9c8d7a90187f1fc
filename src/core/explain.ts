// "Is this site blocked here, and why?": the one lookup behind the block page, the popup and the
// options search. It uses the same enforcement rule as the DNR compiler (selection.ts).
import { DEFAULT_DATA_MAX_AGE_MONTHS, isOutOfDate, newestDataDate, type DataDate } from './data-age.ts';
import type { Authority, Edition, Listing, Order } from './feed.ts';
import { canonicalHost, hostOfUrl } from './hostname.ts';
import type { IndexMatch } from './order-index.ts';
import { isJurisdictionEnabled, isOrderEnforced, type FeedHead, type Selection } from './selection.ts';

/** What an explanation reads of a feed: its head, and the index's answer for a host (an `OrderIndex`). */
export interface ExplainableFeed {
  readonly head: FeedHead;
  readonly index: { lookup(host: string): readonly IndexMatch[] };
}

export type EditionRef = Edition & { readonly id: string };

/** One order behind a host, with the facts of this host under this order. */
export interface ExplainedOrder {
  readonly id: string;
  readonly order: Order;
  readonly authority: Authority | undefined;
  /** The edition of the source that named this host for this order. */
  readonly edition: EditionRef | undefined;
  /** A newer edition of the same source that no longer names the host: the listing is removed. */
  readonly removedIn: EditionRef | undefined;
  /** The listing itself: its own act date and removal date, where the source gives them per host. */
  readonly listing?: Listing;
  readonly enforced: boolean;
}

export interface ExplainedMatch {
  readonly jurisdiction: string;
  /** The listed name that covers the host: the host itself or a parent domain. */
  readonly listed: string;
  readonly orders: readonly ExplainedOrder[];
  readonly enforced: boolean;
}

export interface ExplainedFeed {
  readonly jurisdiction: string;
  readonly serial: number;
  /** When the feed file was made: for diagnostics, not the age of its data. */
  readonly generated: string;
  /** The newest data date among the feed's editions. */
  readonly data: DataDate | null;
  /** The newest data is older than the configured threshold: pages say "may be out of date". */
  readonly outOfDate: boolean;
  readonly maxAgeMonths: number;
  readonly enabled: boolean;
}

export interface Explanation {
  readonly input: string;
  /** Canonical host, or null when the input names no web host. */
  readonly host: string | null;
  /** True when the extension blocks this host now. */
  readonly blocked: boolean;
  readonly matches: readonly ExplainedMatch[];
  readonly feeds: readonly ExplainedFeed[];
}

/** Accepts a URL or a bare host as typed by a person. */
export function hostOfInput(input: string): string | null {
  const trimmed = input.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) return hostOfUrl(trimmed);
  const r = canonicalHost(trimmed.replace(/[/?#].*$/, ''));
  return r.ok ? r.host : null;
}

function own<T>(rec: Readonly<Record<string, T>>, key: string | undefined): T | undefined {
  return key !== undefined && Object.hasOwn(rec, key) ? rec[key] : undefined;
}

function editionRef(editions: Readonly<Record<string, Edition>>, id: string | undefined): EditionRef | undefined {
  const e = own(editions, id);
  return e && id ? { ...e, id } : undefined;
}

/** When "now" is and after how many months data counts as possibly out of date. */
export interface AgeOptions {
  readonly now: number;
  readonly maxAgeMonths: number;
}

export function explain(input: string, feeds: readonly ExplainableFeed[], sel: Selection, age: AgeOptions = { now: Date.now(), maxAgeMonths: DEFAULT_DATA_MAX_AGE_MONTHS }): Explanation {
  const host = hostOfInput(input);
  const matches: ExplainedMatch[] = [];
  if (host) {
    for (const { head, index } of feeds) {
      for (const m of index.lookup(host)) {
        const orders: ExplainedOrder[] = [];
        for (const l of m.group.listings) {
          const order = own(head.orders, l.order);
          if (!order) continue;
          orders.push({
            id: l.order,
            order,
            authority: own(head.authorities, order.authority),
            edition: editionRef(head.editions, l.edition),
            removedIn: editionRef(head.editions, l.removedIn),
            listing: l,
            enforced: isOrderEnforced(head.jurisdiction, order, sel, l),
          });
        }
        matches.push({ jurisdiction: head.jurisdiction, listed: m.listed, orders, enforced: orders.some((o) => o.enforced) });
      }
    }
  }
  return {
    input,
    host,
    blocked: matches.some((m) => m.enforced),
    matches,
    feeds: feeds.map(({ head }) => {
      const data = newestDataDate(head.editions);
      return {
        jurisdiction: head.jurisdiction,
        serial: head.serial,
        generated: head.generated,
        data,
        outOfDate: isOutOfDate(data, age.now, age.maxAgeMonths),
        maxAgeMonths: age.maxAgeMonths,
        enabled: isJurisdictionEnabled(head.jurisdiction, sel),
      };
    }),
  };
}
