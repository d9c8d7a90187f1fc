// Rendering shared by the popup and the options page: the verdict on a host (with the order cards of
// explanation.ts), list facts, sync status. Texts come from _locales; data goes in as text nodes.
import type { EffectiveSettings } from '../core/config.ts';
import type { Explanation } from '../core/explain.ts';
import type { FeedStatus, Status } from '../core/messages.ts';
import { hostAccess } from '../platform/browser.ts';
import { h } from './dom.ts';
import { compareDataDates, hostDataDate, isOutOfDate, monthsSince, type DataDate } from '../core/data-age.ts';
import { agoText } from './dates.ts';
import { editionDate, renderLead, renderOrders } from './explanation.ts';
import { isPlainMessageKey } from '../platform/message-keys.ts';
import { formatDate, lang, t, tList } from './i18n.ts';
import { ageInDays, isJurisdictionSub, notEnforcedReasons, syncLines, verdictOf, type Msg, type SubKey } from './view-model.ts';

/** A jurisdiction's name in the UI language: our own string, else the browser's region name, else the code. */
export function jurisdictionName(code: string): string {
  const key: `jurisdiction_${string}` = `jurisdiction_${code}`;
  if (isPlainMessageKey(key)) return t(key);
  try {
    return new Intl.DisplayNames([lang()], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** A category's name; the code itself for a category this version has no name for. */
export function categoryName(category: string): string {
  const key: `category_${string}` = `category_${category}`;
  return isPlainMessageKey(key) ? t(key) : category;
}

function translateKey(key: SubKey): string {
  return isJurisdictionSub(key) ? jurisdictionName(key.slice('jurisdiction_'.length)) : t(key);
}

export function msgText(m: Msg): string {
  return tList(m.key, (m.subs ?? []).map(translateKey));
}

export function formatNumber(n: number): string {
  return new Intl.NumberFormat(lang()).format(n);
}

export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang(), { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/** "today", "yesterday", "3 days ago" in the UI language. */
export function formatAge(iso: string, now = Date.now()): string {
  return new Intl.RelativeTimeFormat(lang(), { numeric: 'auto' }).format(-ageInDays(iso, now), 'day');
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing`);
  return el as T;
}

/**
 * The verdict on a looked-up address: blocked (with the enforced orders), listed but not enforced
 * here (with the reasons and the listed orders), not listed, or not a web address.
 */
export function renderVerdict(ex: Explanation, settings: Pick<EffectiveSettings, 'jurisdictions' | 'categories'>): HTMLElement {
  const verdict = verdictOf(ex);
  const host = ex.host ?? '';
  const box = h('div', { class: `verdict-box verdict-${verdict}`, 'data-verdict': verdict });
  switch (verdict) {
    case 'no-host':
      box.append(h('p', { class: 'verdict' }, t('verdictNoHost')));
      break;
    case 'blocked': {
      const cards = renderOrders(ex.matches);
      box.append(
        h('p', { class: 'verdict' }, h('span', { class: 'badge badge-blocked' }, t('badgeBlocked')), ' ', h('strong', { class: 'host' }, host)),
        h('div', { class: 'lead' }, ...renderLead(ex)),
        ...cards,
        h('div', { class: 'host-data-age' }, ...renderHostDataAge(ex, false)),
      );
      break;
    }
    case 'listed-not-enforced': {
      const reasons = notEnforcedReasons(ex, settings);
      const cards = renderOrders(ex.matches, true);
      for (const c of cards) c.classList.add('not-enforced');
      box.append(
        h('p', { class: 'verdict' }, h('span', { class: 'badge badge-off' }, t('badgeListedOff')), ' ', h('strong', { class: 'host' }, host)),
        h('p', {}, t('verdictListedOff', host)),
        h('ul', { class: 'reasons' }, ...reasons.map((r) => h('li', {}, msgText(r)))),
        ...cards,
      );
      break;
    }
    case 'not-listed':
      box.append(h('p', { class: 'verdict' }, h('span', { class: 'badge badge-ok' }, t('badgeNotBlocked')), ' ', h('strong', { class: 'host' }, host)), h('p', {}, t('verdictNotListed', host)));
      break;
  }
  return box;
}

/** "3 months ago", "2 years ago" for a partial date, in the UI language. */
export function formatDataAge(date: string, now = Date.now()): string {
  const months = monthsSince(date, now);
  const [n, unit] = months >= 24 ? [Math.floor(months / 12), 'year' as const] : [months, 'month' as const];
  // Intl only where the UI language has no forms of its own (dates.ts: Intl's first use costs the block page).
  return agoText(lang(), n, unit) ?? new Intl.RelativeTimeFormat(lang(), { numeric: 'auto' }).format(-n, unit);
}

/**
 * The date of a list's newest data and its age; "may be out of date" past the threshold. With
 * `forHost`, the date is that of the data naming the blocked site (block page), and says so.
 */
export function renderDataAge(f: { jurisdiction: string; data: DataDate | null; outOfDate: boolean; maxAgeMonths: number }, forHost = false): HTMLElement[] {
  const name = jurisdictionName(f.jurisdiction);
  const out: HTMLElement[] = [
    f.data
      ? h('p', { class: 'data-age' }, t(forHost ? 'dataAgeHost' : 'dataAge', [name, editionDate(f.data) ?? f.data.date, formatDataAge(f.data.date)]))
      : h('p', { class: 'data-age' }, t('dataAgeUnknown', name)),
  ];
  if (f.outOfDate) out.push(h('p', { class: 'warning out-of-date' }, t(forHost ? 'dataOutOfDateHost' : 'dataOutOfDate', String(f.maxAgeMonths))));
  return out;
}

/**
 * How old the data behind a block is, for the lists that block the host (other countries' lists say
 * nothing about it): the date of the data that names it (a list's other sources can be newer), then,
 * with `withList` (the block page; the popup and options show each list's facts apart), the list's
 * newest data when it is later; or, when the data naming it gives no date, a sentence saying so
 * (and the list's newest data). With no enforced match (the rules and lists disagree for a moment),
 * every list's data date.
 */
export function renderHostDataAge(ex: Explanation, withList: boolean): HTMLElement[] {
  const blocking = new Set(ex.matches.filter((m) => m.enforced).map((m) => m.jurisdiction));
  return ex.feeds
    .filter((f) => blocking.size === 0 || blocking.has(f.jurisdiction))
    .flatMap((f) => {
      const own = blocking.has(f.jurisdiction) ? hostDataDate(ex.matches, f.jurisdiction) : null;
      if (own) {
        const forHost = renderDataAge({ ...f, data: own, outOfDate: isOutOfDate(own, Date.now(), f.maxAgeMonths) }, true);
        // The list's newest data too, when later: one out-of-date notice is enough (the block's).
        return withList && f.data && compareDataDates(f.data.date, own.date) > 0 ? [...forHost, ...renderDataAge({ ...f, outOfDate: false })] : forHost;
      }
      if (!blocking.has(f.jurisdiction)) return renderDataAge(f);
      const unknown = h('p', { class: 'data-age' }, t('dataAgeHostUnknown', jurisdictionName(f.jurisdiction)));
      return withList ? [unknown, ...renderDataAge(f)] : [unknown];
    });
}

/** The facts about one installed list: data date and age, size, expiry; serial and file date in diagnostics. */
export function renderFeedFacts(f: FeedStatus): HTMLElement[] {
  const out: HTMLElement[] = [
    ...renderDataAge({ jurisdiction: f.jurisdiction, data: f.data, outOfDate: f.dataOutOfDate, maxAgeMonths: f.dataMaxAgeMonths }),
    h('p', {}, t('listSize', formatNumber(f.hostCount)), ' ', t(f.source === 'embedded' ? 'listSourceEmbedded' : 'listSourceRemote')),
  ];
  if (f.stale) out.push(h('p', { class: 'warning' }, t('listStale', formatDate(f.expires.slice(0, 10)))));
  // A downloaded list whose signing key is no longer trusted: not enforced, the built-in list is.
  if (f.setAside) out.push(h('p', { class: 'warning list-set-aside' }, t('listSetAside', [String(f.setAside.serial), f.setAside.keyId])));
  out.push(
    h(
      'details',
      { class: 'tech list-diagnostics' },
      h('summary', {}, t('technicalDetails')),
      h('p', {}, t('listFacts', [String(f.serial), formatDate(f.generated.slice(0, 10)), formatAge(f.generated), formatNumber(f.hostCount)])),
    ),
  );
  return out;
}

/** How updates of one list stand, one sentence per line; the failure's technical text on request. */
export function renderSyncStatus(f: Pick<FeedStatus, 'jurisdiction' | 'feedUrl' | 'sync'>, installed = true): HTMLElement {
  const lines = syncLines(f.feedUrl, f.sync, installed).map((l) =>
    h('li', { class: `sync-${l.tone}` }, tList(l.msg.key, [...(l.at ? [formatDateTime(l.at)] : []), ...(l.msg.subs ?? []).map(translateKey)])),
  );
  const err = f.sync?.url === f.feedUrl ? f.sync?.lastError : null;
  const box = h('div', { class: 'sync-status', 'data-jurisdiction': f.jurisdiction }, h('ul', { class: 'sync-lines' }, ...lines));
  if (err) box.append(h('details', { class: 'tech' }, h('summary', {}, t('technicalDetails')), h('code', {}, err.message)));
  return box;
}

/** The warning shown while the extension has no access to sites (its rules then block nothing), or null. */
export function renderHostAccessNotice(status: Pick<Status, 'hostAccess'>, onGranted: () => void): HTMLElement | null {
  if (status.hostAccess) return null;
  const button = h('button', { type: 'button', id: 'grant-host-access' }, t('grantHostAccess'));
  button.addEventListener('click', () => {
    // permissions.request needs the click's user gesture: called straight from the handler.
    void hostAccess.request().then((granted) => granted && onGranted());
  });
  return h('div', { class: 'warning host-access', id: 'host-access', role: 'alert' }, h('p', {}, h('strong', {}, t('noHostAccess'))), h('p', {}, t('noHostAccessDetail')), button);
}
