// Renders the orders behind a host: shared by the block page, the popup and the options search.
// Every line shows a fact of the feed for this host and order, or is left out: docs/explanations.md.
import type { ExplainedMatch, ExplainedOrder, Explanation } from '../core/explain.ts';
import type { ACT_KINDS, LISTING_DATES } from '../core/feed.ts';
import type { MessagePlaceholders, PlainMessageKey } from '../platform/message-keys.ts';
import { h, safeLink } from './dom.ts';
import { formatDate, pick, t, tList } from './i18n.ts';
import { jurisdictionName } from './ui.ts';
import { leadLines } from './view-model.ts';

/** What a listing's own date is ("Blocking order issued on …"), by the act's `listingDate`. */
const LISTING_DATE_KEYS = {
  'order-issued': 'listingDate_order_issued',
  published: 'listingDate_published',
  'blocked-from': 'listingDate_blocked_from',
} as const satisfies Record<(typeof LISTING_DATES)[number], keyof MessagePlaceholders>;

const ACT_KEYS = {
  'court-order': 'act_court_order',
  decision: 'act_decision',
  register: 'act_register',
} as const satisfies Record<(typeof ACT_KINDS)[number], PlainMessageKey>;

function row(label: string, value: Node | string | undefined): HTMLElement[] {
  if (value === undefined || value === '') return [];
  return [h('dt', {}, label), h('dd', {}, value)];
}

/** An edition's data date, with "about" when the source's date is approximate. */
export function editionDate(e: { readonly date?: string | undefined; readonly approximate?: boolean | undefined }): string | undefined {
  if (!e.date) return undefined;
  return e.approximate ? t('aboutDate', formatDate(e.date)) : formatDate(e.date);
}

/** "Listed in <source> as of <date>", "named in <source>", or listed then removed. */
function statusText(o: ExplainedOrder): string | undefined {
  const e = o.edition;
  if (!e) return undefined;
  const name = e.title ?? e.source;
  const listed = editionDate(e);
  const gone = o.removedIn ? editionDate(o.removedIn) : undefined;
  if (o.listing?.removed) return t('statusRemovedOn', formatDate(o.listing.removed));
  if (o.removedIn) {
    if (listed && gone) return t('statusRemoved', [name, listed, gone]);
    if (gone) return t('statusRemovedGoneOnly', [name, gone]);
    // The newer edition has no date: name it, and keep the date that is known.
    const goneName = o.removedIn.title ?? o.removedIn.source;
    return listed ? t('statusRemovedListedOnly', [name, listed, goneName]) : t('statusRemovedUndated', [name, goneName]);
  }
  return listed ? t('statusListed', [name, listed]) : t('statusNamed', name);
}

function addressee(o: ExplainedOrder): string | undefined {
  const to = o.order.addressedTo;
  if (!to) return undefined;
  if (to.kind === 'isps') return t('addressee_isps');
  return to.name ? t('addresseeResolver', to.name) : t('addresseeResolverUnnamed');
}

function legalBasisText(o: ExplainedOrder): string | undefined {
  const b = o.order.legalBasis;
  if (!b) return undefined;
  return b.date ? `${b.text} · ${formatDate(b.date)}` : b.text;
}

function remedies(o: ExplainedOrder, isPrivate: boolean): Node {
  const list = o.order.remedies ?? [];
  if (list.length === 0) return document.createTextNode(t(isPrivate ? 'contestUnknownList' : 'contestUnknown'));
  return h(
    'ul',
    { class: 'remedies' },
    ...list.map((r) =>
      h(
        'li',
        { 'data-remedy': r.id },
        `${r.remedy} (${r.body})`,
        r.deadline ? h('br') : null,
        r.deadline ? t('remedyDeadline', r.deadline) : null,
        h('br'),
        safeLink(r.url, new URL(r.url).hostname),
        h('blockquote', {}, r.quote),
        // What kind of source this is and whom the remedy is open to, as the remedies table says.
        r.kind ? h('span', { class: 'remedy-kind muted' }, t('remedyKind', r.kind)) : null,
      ),
    ),
    h('li', { class: 'muted' }, t('remedyNote')),
  );
}

/** The act's date for this host: its listing's own date where the source gives one per host. */
function actDateText(o: ExplainedOrder): string | undefined {
  const { act } = o.order;
  const own = o.listing?.date;
  if (own && act.listingDate) {
    const text = t(LISTING_DATE_KEYS[act.listingDate], formatDate(own));
    return o.edition?.leaked ? `${text} ${t('leakedSuffix')}` : text;
  }
  return act.date ? formatDate(act.date) : act.dateAsReported;
}

function orderCard(match: ExplainedMatch, o: ExplainedOrder): HTMLElement {
  const { order, authority } = o;
  const authorityName = authority ? (pick(authority.name) ?? order.authority) : order.authority;
  const actDate = actDateText(o);
  const edition = o.edition;
  const caveat = edition?.caveat;
  // A private body (e.g. CUII) is not an authority, and orders no one: the card says so.
  const isPrivate = authority?.kind === 'private-body';
  // A register act that no cited row names and whose list gives no per-host date (the Italian
  // AGCOM data: an ISP's compilation) is not shown as the authority's list: no act line. A private
  // body's register is its own list (the card says so), whatever the feed names.
  const unnamedRegister = order.act.kind === 'register' && !order.act.title && !order.act.listingDate && !isPrivate;
  const shortName = authority?.short ?? authorityName;
  const heading = pick(order.act.title) ?? (unnamedRegister ? `${shortName} · ${t(`category_${order.category}`)}` : t('actHeading', shortName));
  const removed = o.removedIn !== undefined || o.listing?.removed !== undefined;

  const dl = h(
    'dl',
    {},
    ...row(t(isPrivate ? 'fieldBody' : 'fieldAuthority'), authority?.website ? safeLink(authority.website, authorityName) : authorityName),
    ...row(t('fieldAct'), unnamedRegister ? undefined : t(isPrivate && order.act.kind === 'register' ? 'act_register_private' : ACT_KEYS[order.act.kind])),
    ...row(t('fieldReference'), order.act.reference),
    ...row(t('fieldDate'), actDate),
    ...row(t(isPrivate ? 'fieldBlockedBy' : 'fieldAddressedTo'), addressee(o)),
    ...row(t('fieldLegalBasis'), legalBasisText(o)),
    ...row(t('fieldCategory'), t(`category_${order.category}`)),
    ...row(t('fieldRequestedBy'), order.requestedBy),
    ...row(t('fieldSource'), order.url ? safeLink(order.url, order.url) : undefined),
    ...row(t('fieldStatus'), statusText(o)),
    ...row(t('fieldListed'), match.listed),
    ...row(t('fieldContest'), remedies(o, isPrivate)),
  );
  const sources = h(
    'details',
    { class: 'sources' },
    h('summary', {}, t('sourcesTitle')),
    // The citations are about the order as a whole (e.g. a 2025 press report on ADM's list); the
    // host's own provenance is the edition, listed last.
    edition ? h('p', { class: 'sources-note muted' }, t('sourcesNote')) : null,
    h(
      'ul',
      {},
      ...order.sources.map((s) => h('li', {}, safeLink(s.url, new URL(s.url).hostname), s.dateAsReported ? ` (${s.dateAsReported})` : '', s.quote ? h('blockquote', {}, s.quote) : null)),
      // Where this host's entry came from: the provenance of the listing.
      edition
        ? h(
            'li',
            { class: 'edition' },
            `${t('fieldEdition')}: ${edition.source}`,
            edition.url ? h('br') : null,
            edition.url ? safeLink(edition.url, edition.commit ? `${edition.url} @ ${edition.commit.slice(0, 12)}` : edition.url) : null,
            edition.licence ? h('br') : null,
            edition.licence ?? null,
          )
        : null,
    ),
    // Internal ids, for reports and diagnostics only.
    h(
      'p',
      { class: 'ids muted' },
      h('code', {}, [`${match.jurisdiction}:${o.id}`, edition ? `@${edition.id}` : '', o.removedIn ? ` → ${o.removedIn.id}` : '', o.listing?.removed ? ` ✕${o.listing.removed}` : ''].join('')),
    ),
  );
  return h(
    'article',
    {
      class: removed ? 'order removed' : 'order',
      'data-order': o.id,
      'data-jurisdiction': match.jurisdiction,
      'data-act': order.act.kind,
      ...(isPrivate ? { 'data-authority-kind': 'private-body' } : {}),
    },
    h('h2', {}, heading),
    h('p', { class: 'authority' }, authorityName),
    isPrivate ? h('p', { class: 'private-body warning' }, t('privateBodyNote')) : null,
    edition?.leaked ? h('p', { class: 'leaked warning' }, t('leakedNote')) : null,
    caveat ? h('p', { class: 'caveat warning' }, h('strong', {}, `${t('fieldCaveat')}: `), h('q', {}, caveat), ' ', h('span', { class: 'muted' }, t('caveatNote'))) : null,
    dl,
    sources,
  );
}

/**
 * One card per enforced order (or every listed order when `all`), most specific match first. When
 * the cards come from several jurisdictions they are grouped by country, each under its name.
 */
export function renderOrders(matches: readonly ExplainedMatch[], all = false): HTMLElement[] {
  const cards = orderCards(matches, all);
  const countries = [...new Set(cards.map((c) => c.dataset['jurisdiction'] ?? ''))];
  if (countries.length < 2) return cards;
  return countries.map((j) => h('section', { class: 'country', 'data-country': j }, h('h2', { class: 'country-name' }, jurisdictionName(j)), ...cards.filter((c) => c.dataset['jurisdiction'] === j)));
}

function orderCards(matches: readonly ExplainedMatch[], all: boolean): HTMLElement[] {
  const out: HTMLElement[] = [];
  const seen = new Set<string>();
  for (const m of matches) {
    // A court's order names these very sites; a standing register lists many: show the court first.
    const orders = [...m.orders].sort((a, b) => Number(b.authority?.kind === 'court') - Number(a.authority?.kind === 'court'));
    for (const o of orders) {
      const key = `${m.jurisdiction}:${o.id}`;
      if ((!all && !o.enforced) || seen.has(key)) continue;
      seen.add(key);
      out.push(orderCard(m, o));
    }
  }
  return out;
}

/** The lead: who was ordered to block the host, then that Ordinanza applies the orders here. */
export function renderLead(ex: Explanation): HTMLElement[] {
  return leadLines(ex, pick).map((l) =>
    h(
      'p',
      { class: 'lead-line' },
      tList(
        l.key,
        l.subs.map((s) => ('key' in s ? t(s.key) : s.text)),
      ),
    ),
  );
}
