// Pure decisions behind the popup and the options page, kept free of DOM and browser APIs so unit
// tests can run them: what a tab is, why a listed site is not blocked here, how sync went. Each
// returns message keys (and substitutions) that the pages translate.
import type { EffectiveSettings, FeedUrlIssue } from '../core/config.ts';
import type { ExplainedOrder, Explanation } from '../core/explain.ts';
import type { SyncErrorReason, SyncState } from '../core/messages.ts';
import { isPlainMessageKey, type MessageKey, type PlainMessageKey } from '../platform/message-keys.ts';

/** A jurisdiction, named by our own string where there is one, else by the browser (ui.ts). */
export type JurisdictionSub = `jurisdiction_${string}`;
/** A substitution of a Msg: a message without substitutions of its own, or a jurisdiction. */
export type SubKey = Exclude<PlainMessageKey, JurisdictionSub> | JurisdictionSub;

export function isJurisdictionSub(key: SubKey): key is JurisdictionSub {
  return key.startsWith('jurisdiction_');
}

/** A message key and its substitutions, which are message keys too (translated before use). */
export interface Msg {
  readonly key: MessageKey;
  readonly subs?: readonly SubKey[];
}

/** What the active tab shows, as far as Ordinanza is concerned. */
export type TabView =
  | { readonly kind: 'web'; readonly url: string }
  | { readonly kind: 'block-page'; readonly url: string }
  | { readonly kind: 'new-tab' }
  | { readonly kind: 'browser-page' }
  | { readonly kind: 'extension-page' }
  | { readonly kind: 'local-file' }
  | { readonly kind: 'unknown' };

/** What the popup says about a tab that shows no website. */
export const NON_WEB_TAB_KEYS: Readonly<Record<Exclude<TabView['kind'], 'web' | 'block-page'>, PlainMessageKey>> = {
  'new-tab': 'tabNewTab',
  'browser-page': 'tabBrowserPage',
  'extension-page': 'tabExtensionPage',
  'local-file': 'tabLocalFile',
  unknown: 'tabUnknown',
};

const NEW_TAB = /^(chrome|edge|brave|vivaldi):\/\/(newtab|new-tab-page)\b|^chrome-search:\/\/local-ntp|^about:(newtab|home|blank)$/i;

/**
 * Classifies a tab URL. `blockPageUrl` is this extension's block page: a tab on it explains the
 * URL in its hash. `extensionOrigin` is this extension's origin (`chrome-extension://id/`).
 */
export function classifyTab(url: string | undefined, blockPageUrl: string): TabView {
  if (!url) return { kind: 'unknown' };
  if (url.startsWith(`${blockPageUrl}#`) || url === blockPageUrl) {
    // The hash holds the blocked URL as the browser wrote it: looked up and shown as text only.
    return { kind: 'block-page', url: url.slice(blockPageUrl.length + 1) };
  }
  if (NEW_TAB.test(url)) return { kind: 'new-tab' };
  let scheme: string;
  try {
    scheme = new URL(url).protocol;
  } catch {
    return { kind: 'unknown' };
  }
  if (scheme === 'http:' || scheme === 'https:') return { kind: 'web', url };
  if (scheme === 'chrome-extension:' || scheme === 'moz-extension:' || scheme === 'extension:') return { kind: 'extension-page' };
  if (scheme === 'file:') return { kind: 'local-file' };
  return { kind: 'browser-page' };
}

/** Why a listed order is not enforced under the current settings; null when it is. */
export function notEnforcedReason(jurisdiction: string, o: ExplainedOrder, settings: Pick<EffectiveSettings, 'jurisdictions' | 'categories'>): Msg | null {
  if (o.enforced) return null;
  if (o.removedIn || o.listing?.removed) return { key: 'reasonRemoved' };
  if (!(settings.jurisdictions[jurisdiction] ?? false)) return { key: 'reasonJurisdictionOff', subs: [`jurisdiction_${jurisdiction}`] };
  if (settings.categories[jurisdiction]?.[o.order.category] === false) {
    return { key: 'reasonCategoryOff', subs: [`category_${o.order.category}`, `jurisdiction_${jurisdiction}`] };
  }
  return { key: 'reasonUnknown' };
}

/** The distinct reasons, in order, why the listed orders of an explanation are not enforced. */
export function notEnforcedReasons(ex: Explanation, settings: Pick<EffectiveSettings, 'jurisdictions' | 'categories'>): Msg[] {
  const out = new Map<string, Msg>();
  for (const m of ex.matches) {
    for (const o of m.orders) {
      const r = notEnforcedReason(m.jurisdiction, o, settings);
      if (r) out.set(JSON.stringify(r), r);
    }
  }
  return [...out.values()];
}

/** Whose authorities: "Italian authorities" for a known jurisdiction, else "The authorities". */
function authoritiesKey(jurisdiction: string): PlainMessageKey {
  const key: `authoritiesOf_${string}` = `authoritiesOf_${jurisdiction}`;
  return isPlainMessageKey(key) ? key : 'authoritiesOf';
}

/**
 * The lead of a block: who was ordered to block the host, one sentence per distinct addressee,
 * as the enforced orders' sources say, then that Ordinanza applies the orders here. Values in
 * `text` are shown as given (authority and company names, the host); `subs` are message keys.
 */
export interface LeadLine {
  readonly key: MessageKey;
  /** Substitutions in order; each is either a message key (`{ key }`) or literal text. */
  readonly subs: readonly ({ readonly key: PlainMessageKey } | { readonly text: string })[];
}

/** An authority's name as the lead shows it: by default its Italian, else English name (pages pass the UI language's). */
export type NameOf = (name: NonNullable<ExplainedOrder['authority']>['name']) => string | undefined;
const defaultName: NameOf = (name) => name.it ?? name.en;

export function leadLines(ex: Explanation, nameOf: NameOf = defaultName): LeadLine[] {
  const host = ex.host ?? '';
  const lines = new Map<string, LeadLine>();
  let count = 0;
  // A private body's list is not an order: the closing sentence says "list" for those.
  let lists = 0;
  const seen = new Set<string>();
  for (const m of ex.matches) {
    // A court's order names these very sites: its sentence comes first, as its card does.
    const orders = [...m.orders].sort((a, b) => Number(b.authority?.kind === 'court') - Number(a.authority?.kind === 'court'));
    for (const o of orders) {
      if (!o.enforced || seen.has(`${m.jurisdiction}:${o.id}`)) continue;
      seen.add(`${m.jurisdiction}:${o.id}`);
      count++;
      const to = o.order.addressedTo;
      const authority = o.authority ? (nameOf(o.authority.name) ?? o.authority.short) : undefined;
      let line: LeadLine;
      if (o.authority?.kind === 'private-body') lists++;
      if (o.authority?.kind === 'private-body' && authority) {
        // Not an order: a private body's list, which its member providers apply.
        line = { key: 'leadPrivateBody', subs: [{ text: host }, { text: o.authority.short ? `${authority} (${o.authority.short})` : authority }] };
      } else if (to?.kind === 'dns-resolver' && to.name && authority) {
        line = { key: 'leadResolver', subs: [{ text: authority }, { text: to.name }, { text: host }] };
      } else if (to?.kind === 'isps') {
        line = { key: 'leadIsps', subs: [{ key: authoritiesKey(m.jurisdiction) }, { text: host }] };
      } else {
        line = { key: 'leadUnknown', subs: [{ key: authoritiesKey(m.jurisdiction) }, { text: host }] };
      }
      lines.set(JSON.stringify(line), line);
    }
  }
  if (count === 0) return [];
  return [...lines.values(), { key: closingKey(count - lists, lists), subs: [] }];
}

function closingKey(orders: number, lists: number): PlainMessageKey {
  if (lists === 0) return orders > 1 ? 'leadAppliesMany' : 'leadApplies';
  if (orders === 0) return lists > 1 ? 'leadAppliesLists' : 'leadAppliesList';
  return 'leadAppliesMixed';
}

/** The verdict for a looked-up host. */
export type Verdict = 'no-host' | 'blocked' | 'listed-not-enforced' | 'not-listed';

export function verdictOf(ex: Explanation): Verdict {
  if (!ex.host) return 'no-host';
  if (ex.blocked) return 'blocked';
  return ex.matches.length > 0 ? 'listed-not-enforced' : 'not-listed';
}

/** One sentence per sync failure reason: every reason has one (the Record makes it exhaustive). */
export const SYNC_ERROR_KEYS: Readonly<Record<SyncErrorReason, PlainMessageKey>> = {
  'bad-url': 'syncError_badUrl',
  network: 'syncError_network',
  timeout: 'syncError_timeout',
  'http-status': 'syncError_httpStatus',
  oversized: 'syncError_oversized',
  'bad-redirect': 'syncError_badRedirect',
  'malformed-signature': 'syncError_malformedSignature',
  'unknown-key': 'syncError_unknownKey',
  'bad-signature': 'syncError_badSignature',
  'invalid-feed': 'syncError_invalidFeed',
  rollback: 'syncError_rollback',
  expired: 'syncError_expired',
  'wrong-jurisdiction': 'syncError_wrongJurisdiction',
  'apply-failed': 'syncError_applyFailed',
  superseded: 'syncError_superseded',
};

export const FEED_URL_ISSUE_KEYS: Readonly<Record<FeedUrlIssue, PlainMessageKey>> = {
  'not-url': 'feedUrlNotUrl',
  credentials: 'feedUrlCredentials',
  insecure: 'feedUrlInsecure',
};

const OUTCOME_KEYS: Readonly<Record<NonNullable<SyncState['lastOutcome']>, PlainMessageKey>> = {
  installed: 'syncOutcome_installed',
  'installed-delta': 'syncOutcome_installed',
  'not-modified': 'syncOutcome_unchanged',
  'up-to-date': 'syncOutcome_unchanged',
};

/** A time to show, as an ISO string, next to a message: the page formats it in the UI language. */
export interface SyncLine {
  readonly msg: Msg;
  readonly at?: string;
  readonly tone: 'ok' | 'error' | 'neutral';
}

/** How updates of one jurisdiction's list stand, in plain sentences; `installed`: a list of the code is in use. */
export function syncLines(feedUrl: string | null, sync: SyncState | null, installed = true): SyncLine[] {
  if (!feedUrl) return [{ msg: { key: 'syncOff' }, tone: 'neutral' }];
  const lines: SyncLine[] = [];
  const current = sync && sync.url === feedUrl ? sync : null;
  if (!current?.lastAttempt) {
    lines.push({ msg: { key: 'syncNever' }, tone: 'neutral' });
    return lines;
  }
  if (current.lastSuccess) {
    const outcome = current.lastOutcome ? OUTCOME_KEYS[current.lastOutcome] : 'syncOutcome_unchanged';
    lines.push({ msg: { key: 'syncLastSuccess', subs: [outcome] }, at: current.lastSuccess, tone: current.lastError ? 'neutral' : 'ok' });
  } else {
    lines.push({ msg: { key: 'syncNoSuccess' }, tone: 'neutral' });
  }
  if (current.lastError) {
    lines.push({ msg: { key: installed ? 'syncLastError' : 'syncLastErrorNoList', subs: [SYNC_ERROR_KEYS[current.lastError.reason]] }, at: current.lastError.at, tone: 'error' });
  }
  if (current.nextSync) lines.push({ msg: { key: 'syncNext' }, at: current.nextSync, tone: 'neutral' });
  return lines;
}

/** Whole days between an ISO time and now (never negative). */
export function ageInDays(iso: string, now: number): number {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return 0;
  return Math.max(0, Math.floor((now - t) / 86_400_000));
}

/** Sorted `[name, count]` pairs, largest first, then by name. */
export function sortedCounts(counts: Readonly<Record<string, number>>): [string, number][] {
  return Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
