// The options page's "List updates" form (feed addresses, interval, data age) and what the lists
// report: sync status per list and the counts by authority and category.
import { feedUrlIssue, SYNC_MAX_MINUTES, SYNC_MIN_MINUTES, type SettingsPatch } from '../core/config.ts';
import type { SettingsView, Status } from '../core/messages.ts';
import { h } from './dom.ts';
import { pick, t } from './i18n.ts';
import { readDataAgeField, renderDataAgeField } from './options-data-age.ts';
import { managed, managedTag, markManaged } from './options-managed.ts';
import { byId, categoryName, formatNumber, jurisdictionName, renderSyncStatus } from './ui.ts';
import { FEED_URL_ISSUE_KEYS, sortedCounts } from './view-model.ts';

/** The update form holds typed but unsaved text: a refresh must not overwrite it. */
let dirty = false;

export function markSyncFormDirty(): void {
  dirty = true;
}

function fieldError(id: string, text: string | null): void {
  const el = byId(id);
  el.textContent = text ?? '';
  el.hidden = text === null;
  const input = document.querySelector(`[aria-describedby~="${id}"]`);
  if (text === null) input?.removeAttribute('aria-invalid');
  else input?.setAttribute('aria-invalid', 'true');
}

function feedUrlField(view: SettingsView, j: string): HTMLElement {
  const disabled = managed(view, 'feedUrls', j);
  const input = h('input', {
    id: `feed-${j}`,
    type: 'url',
    inputmode: 'url',
    autocomplete: 'off',
    spellcheck: 'false',
    maxlength: '2048',
    placeholder: `https://…/${j}.json`,
    'aria-describedby': `feed-${j}-help feed-${j}-error`,
    'data-jurisdiction': j,
  });
  input.value = view.effective.feedUrls[j] ?? '';
  input.disabled = disabled;
  input.addEventListener('input', markSyncFormDirty);
  return h(
    'div',
    { class: 'field' },
    h('label', { for: `feed-${j}` }, t('feedUrlLabel', jurisdictionName(j)), disabled ? managedTag(view) : null),
    input,
    h('p', { id: `feed-${j}-help`, class: 'muted help' }, t('feedUrlHelp')),
    h('p', { id: `feed-${j}-error`, class: 'field-error', hidden: '' }),
  );
}

export function renderSyncForm(view: SettingsView): void {
  if (dirty) return;
  byId('feed-urls').replaceChildren(...view.jurisdictions.map(({ jurisdiction: j }) => feedUrlField(view, j)));
  const interval = byId<HTMLInputElement>('sync-interval');
  interval.value = String(view.effective.syncIntervalMinutes);
  markManaged(view, interval, document.querySelector('label[for="sync-interval"]'), managed(view, 'syncIntervalMinutes'));
  fieldError('sync-interval-error', null);
  const ageEditable = renderDataAgeField(view, managed(view, 'dataMaxAgeMonths'));
  fieldError('data-max-age-error', null);
  const anyEditable = !interval.disabled || ageEditable || view.jurisdictions.some(({ jurisdiction: j }) => !managed(view, 'feedUrls', j));
  byId<HTMLButtonElement>('save-sync').disabled = !anyEditable;
}

/**
 * Reads the form: the change to save, or the first field whose value is not acceptable (each such
 * field shows why). Reading clears the form's unsaved mark unless a field is wrong.
 */
export function readSyncForm(view: SettingsView): { readonly patch: SettingsPatch; readonly firstBad: HTMLElement | null } {
  const patch: SettingsPatch = {};
  let firstBad: HTMLElement | null = null;
  const feedUrls: Record<string, string> = { ...view.user.feedUrls };
  for (const { jurisdiction: j } of view.jurisdictions) {
    const input = byId<HTMLInputElement>(`feed-${j}`);
    if (input.disabled) continue;
    const value = input.value.trim();
    const issue = value === '' ? null : feedUrlIssue(value);
    fieldError(`feed-${j}-error`, issue ? t(FEED_URL_ISSUE_KEYS[issue]) : null);
    if (issue) firstBad ??= input;
    else if (value === '') delete feedUrls[j];
    else feedUrls[j] = value;
  }
  if (JSON.stringify(feedUrls) !== JSON.stringify(view.user.feedUrls)) patch.feedUrls = feedUrls;
  const interval = byId<HTMLInputElement>('sync-interval');
  if (!interval.disabled) {
    const n = Number(interval.value);
    const good = interval.value.trim() !== '' && Number.isInteger(n) && n >= SYNC_MIN_MINUTES && n <= SYNC_MAX_MINUTES;
    fieldError('sync-interval-error', good ? null : t('syncIntervalInvalid', [String(SYNC_MIN_MINUTES), String(SYNC_MAX_MINUTES)]));
    if (!good) firstBad ??= interval;
    else if (n !== view.user.syncIntervalMinutes) patch.syncIntervalMinutes = n;
  }
  firstBad ??= readDataAgeField(view, patch, fieldError);
  if (!firstBad) dirty = false;
  return { patch, firstBad };
}

function renderStats(f: Status['feeds'][number]): HTMLElement {
  const authorityName = (id: string): string => {
    const a = f.authorities[id];
    if (!a) return id;
    const full = pick(a.name) ?? id;
    return a.short && a.short !== full ? `${full} (${a.short})` : full;
  };
  const table = (caption: string, head: string, rows: [string, number][]): HTMLElement =>
    h(
      'table',
      { class: 'counts' },
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, head), h('th', { scope: 'col', class: 'num' }, t('countSites')))),
      h('tbody', {}, ...rows.map(([k, n]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', { class: 'num' }, formatNumber(n))))),
    );
  return h(
    'div',
    { class: 'stats-block', 'data-jurisdiction': f.jurisdiction },
    h('h3', {}, jurisdictionName(f.jurisdiction)),
    h(
      'div',
      { class: 'tables' },
      table(
        t('byAuthority'),
        t('fieldAuthority'),
        sortedCounts(f.byAuthority).map(([id, n]) => [authorityName(id), n]),
      ),
      table(
        t('byCategory'),
        t('fieldCategory'),
        sortedCounts(f.byCategory).map(([c, n]) => [categoryName(c), n]),
      ),
    ),
    h('p', { class: 'muted' }, t('statsNote', formatNumber(f.hostCount))),
  );
}

/** Sync status and counts of every installed list; for a code with no list, its address's updates or its list set aside. */
export function renderStatus(status: Status): void {
  const installed = status.feeds.map((f) => h('div', { class: 'status-block' }, h('h3', {}, jurisdictionName(f.jurisdiction)), renderSyncStatus(f)));
  const awaiting = status.awaiting.map((a) =>
    h(
      'div',
      { class: 'status-block', 'data-awaiting': a.jurisdiction },
      h('h3', {}, jurisdictionName(a.jurisdiction)),
      a.setAside ? h('p', { class: 'warning list-set-aside' }, t('listSetAsideNoBuiltIn', [String(a.setAside.serial), a.setAside.keyId])) : null,
      a.feedUrl ? h('p', { class: 'sync-error' }, t('syncAwaiting', a.feedUrl)) : null,
      a.feedUrl ? renderSyncStatus(a, false) : null,
    ),
  );
  byId('sync-status').replaceChildren(...installed, ...awaiting);
  byId('stats').replaceChildren(...status.feeds.map(renderStats));
}
