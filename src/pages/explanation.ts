// Renders the orders behind a host: shared by the block page, the popup and the options search.
import type { ExplainedMatch, ExplainedOrder } from '../core/explain.ts';
import { h, safeLink } from './dom.ts';
import { formatDate, pick, t } from './i18n.ts';

function row(label: string, value: Node | string | undefined): HTMLElement[] {
  if (value === undefined || value === '') return [];
  return [h('dt', {}, label), h('dd', {}, value)];
}

function orderCard(match: ExplainedMatch, o: ExplainedOrder): HTMLElement {
  const { order, authority } = o;
  const title = pick(order.title) ?? o.id;
  const authorityName = authority ? pick(authority.name) ?? order.authority : order.authority;
  const date = order.date ? formatDate(order.date) : order.dateAsReported;
  const contest = authority?.contest ? pick(authority.contest) : undefined;
  const edition = match.edition;
  const editionText = edition ? [edition.date ? formatDate(edition.date) : undefined, edition.title ?? edition.id].filter(Boolean).join(' · ') : undefined;

  const dl = h(
    'dl',
    {},
    ...row(t('fieldAuthority'), authority?.website ? safeLink(authority.website, authorityName) : authorityName),
    ...row(t('fieldReference'), order.reference),
    ...row(t('fieldDate'), date),
    ...row(t('fieldLegalBasis'), order.legalBasis),
    ...row(t('fieldCategory'), t(`category_${order.category}`)),
    ...row(t('fieldRequestedBy'), order.requestedBy),
    ...row(t('fieldSource'), order.url ? safeLink(order.url, order.url) : undefined),
    ...row(t('fieldContest'), contest ? (authority?.contestUrl ? safeLink(authority.contestUrl, contest) : contest) : t('contestUnknown')),
    ...row(t('fieldEdition'), editionText),
    ...row(t('fieldListed'), match.listed),
    ...row(t('fieldStatus'), t(`status_${order.status}`)),
  );
  const sources = h(
    'details',
    { class: 'sources' },
    h('summary', {}, t('sourcesTitle')),
    h(
      'ul',
      {},
      ...order.sources.map((s) =>
        h('li', {}, safeLink(s.url, new URL(s.url).hostname), s.dateAsReported ? ` (${s.dateAsReported})` : '', s.quote ? h('blockquote', {}, s.quote) : null),
      ),
      // Where the list itself came from: the provenance of this entry.
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
  );
  return h(
    'article',
    { class: 'order', 'data-order': o.id, 'data-jurisdiction': match.jurisdiction },
    h('h2', {}, title),
    h('p', { class: 'authority' }, authorityName),
    dl,
    sources,
  );
}

/** One card per enforced order (or every listed order when `all`), most specific match first. */
export function renderOrders(matches: readonly ExplainedMatch[], all = false): HTMLElement[] {
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
