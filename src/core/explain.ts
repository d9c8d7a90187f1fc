// "Is this site blocked here, and why?": the one lookup behind the block page, the popup and the
// options search. It uses the same enforcement rule as the DNR compiler (selection.ts).
import type { Authority, Edition, Order } from './feed.ts';
import { canonicalHost, hostOfUrl } from './hostname.ts';
import { isJurisdictionEnabled, isOrderEnforced, type LoadedFeed, type Selection } from './selection.ts';

export interface ExplainedOrder {
  readonly id: string;
  readonly order: Order;
  readonly authority: Authority | undefined;
  readonly enforced: boolean;
}

export interface ExplainedMatch {
  readonly jurisdiction: string;
  /** The listed name that covers the host: the host itself or a parent domain. */
  readonly listed: string;
  readonly edition: (Edition & { readonly id: string }) | undefined;
  readonly orders: readonly ExplainedOrder[];
  readonly enforced: boolean;
}

export interface Explanation {
  readonly input: string;
  /** Canonical host, or null when the input names no web host. */
  readonly host: string | null;
  /** True when the extension blocks this host now. */
  readonly blocked: boolean;
  readonly matches: readonly ExplainedMatch[];
  readonly feeds: readonly { readonly jurisdiction: string; readonly serial: number; readonly generated: string; readonly enabled: boolean }[];
}

/** Accepts a URL or a bare host as typed by a person. */
export function hostOfInput(input: string): string | null {
  const trimmed = input.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) return hostOfUrl(trimmed);
  const r = canonicalHost(trimmed.replace(/[/?#].*$/, ''));
  return r.ok ? r.host : null;
}

export function explain(input: string, feeds: readonly LoadedFeed[], sel: Selection): Explanation {
  const host = hostOfInput(input);
  const matches: ExplainedMatch[] = [];
  if (host) {
    for (const { head, index } of feeds) {
      for (const m of index.lookup(host)) {
        const orders = m.group.orders.map((id) => {
          const order = head.orders[id];
          return order ? { id, order, authority: head.authorities[order.authority], enforced: isOrderEnforced(head.jurisdiction, order, sel) } : undefined;
        }).filter((o): o is ExplainedOrder => o !== undefined);
        const edition = head.editions[m.group.edition];
        matches.push({
          jurisdiction: head.jurisdiction,
          listed: m.listed,
          edition: edition ? { ...edition, id: m.group.edition } : undefined,
          orders,
          enforced: orders.some((o) => o.enforced),
        });
      }
    }
  }
  return {
    input,
    host,
    blocked: matches.some((m) => m.enforced),
    matches,
    feeds: feeds.map(({ head }) => ({ jurisdiction: head.jurisdiction, serial: head.serial, generated: head.generated, enabled: isJurisdictionEnabled(head.jurisdiction, sel) })),
  };
}
