// The options page's "What is blocked": per jurisdiction, who issues its orders, whether they are
// applied and which categories, with the list's facts; then whether embedded content is blocked too.
import type { SettingsPatch } from '../core/config.ts';
import { CATEGORIES, type Category } from '../core/feed.ts';
import type { SettingsView, Status } from '../core/messages.ts';
import { h } from './dom.ts';
import { pick, t } from './i18n.ts';
import { managed, managedTag, markManaged } from './options-managed.ts';
import { byId, formatNumber, jurisdictionName, renderFeedFacts } from './ui.ts';

type Save = (patch: SettingsPatch) => Promise<boolean>;

interface Checkbox {
  readonly id: string;
  readonly label: string;
  readonly checked: boolean;
  readonly disabled: boolean;
  /** What to save when the box is ticked or cleared. */
  readonly patchFor: (checked: boolean) => SettingsPatch;
  readonly extra?: string | undefined;
}

/** A labelled checkbox that saves its patch when changed. */
function checkbox(view: SettingsView, save: Save, c: Checkbox): HTMLElement {
  const input = h('input', { type: 'checkbox', id: c.id });
  input.checked = c.checked;
  input.disabled = c.disabled;
  input.addEventListener('change', () => void save(c.patchFor(input.checked)));
  return h(
    'label',
    { class: c.disabled ? 'check is-disabled' : 'check' },
    input,
    ' ',
    h('span', {}, c.label),
    c.extra ? h('span', { class: 'count' }, c.extra) : null,
    c.disabled ? managedTag(view) : null,
  );
}

/** Who issues a jurisdiction's orders (and which of them are private bodies, not authorities). */
function renderAuthorities(feed: Status['feeds'][number]): HTMLElement[] {
  const all = Object.values(feed.authorities);
  const names = all.map((a) => {
    const full = pick(a.name) ?? a.short ?? '';
    return a.short && a.short !== full ? `${full} (${a.short})` : full;
  });
  // A private body (CUII) is not an authority: a country whose lists all come from such bodies says "List of".
  const bodiesOnly = all.length > 0 && all.every((a) => a.kind === 'private-body');
  const out = [h('p', { class: 'authorities' }, t(bodiesOnly ? 'jurisdictionBodies' : 'jurisdictionAuthorities', names.join(', ')))];
  if (all.some((a) => a.kind === 'private-body')) out.push(h('p', { class: 'muted private-body' }, t('privateBodyNote')));
  return out;
}

function renderJurisdiction(view: SettingsView, status: Status, save: Save, j: string, categories: readonly Category[]): HTMLElement {
  const name = jurisdictionName(j);
  const feed = status.feeds.find((f) => f.jurisdiction === j);
  return h(
    'fieldset',
    { class: 'jurisdiction', 'data-jurisdiction': j },
    h('legend', {}, name),
    ...(feed ? renderAuthorities(feed) : []),
    checkbox(view, save, {
      id: `j-${j}`,
      label: t('enforceJurisdiction', name),
      checked: view.effective.jurisdictions[j] ?? false,
      disabled: managed(view, 'jurisdictions', j),
      patchFor: (on) => ({ jurisdictions: { [j]: on } }),
    }),
    h(
      'fieldset',
      { class: 'categories' },
      h('legend', {}, t('categoriesLegend', name)),
      ...categories.map((c) =>
        checkbox(view, save, {
          id: `c-${j}-${c}`,
          label: t(`category_${c}`),
          checked: view.effective.categories[j]?.[c] ?? true,
          disabled: managed(view, 'categories', j, c),
          patchFor: (on) => ({ categories: { [j]: { [c]: on } } }),
          extra: feed ? t('siteCount', formatNumber(feed.byCategory[c] ?? 0)) : undefined,
        }),
      ),
    ),
    ...(feed
      ? renderFeedFacts(feed).map((p) => {
          p.classList.add('muted');
          return p;
        })
      : []),
  );
}

/** The status names categories as text; the feed's schema admits only these. */
function isCategory(c: string): c is Category {
  return CATEGORIES.some((known) => known === c);
}

export function renderJurisdictions(view: SettingsView, status: Status, save: Save): void {
  byId('jurisdictions').replaceChildren(...view.jurisdictions.map(({ jurisdiction: j, categories }) => renderJurisdiction(view, status, save, j, categories.filter(isCategory))));
  const sub = byId<HTMLInputElement>('block-subresources');
  sub.checked = view.effective.blockSubresources;
  const label = sub.closest('label');
  markManaged(view, sub, label, managed(view, 'blockSubresources'));
  label?.classList.toggle('is-disabled', sub.disabled);
}
