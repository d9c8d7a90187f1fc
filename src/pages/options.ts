// The options page: which jurisdictions and categories are enforced, subresource blocking, where
// lists come from and how often, sync status, what the lists hold, and "is this site blocked, and
// why?". Every change goes through `setSettings`; the background refuses what the organisation sets,
// and the page shows those controls disabled.
import { feedUrlIssue, isManaged, SYNC_MAX_MINUTES, SYNC_MIN_MINUTES, type Policy, type SettingsPatch } from '../core/config.ts';
import type { Category } from '../core/feed.ts';
import type { SettingsView, Status } from '../core/messages.ts';
import { hostAccess, storage } from '../platform/browser.ts';
import { h } from './dom.ts';
import { localizeDocument, pick, t } from './i18n.ts';
import { readDataAgeField, renderDataAgeField } from './options-data-age.ts';
import { ask } from './messaging.ts';
import { byId, categoryName, formatNumber, jurisdictionName, renderFeedFacts, renderHostAccessNotice, renderSyncStatus, renderVerdict } from './ui.ts';
import { FEED_URL_ISSUE_KEYS, sortedCounts } from './view-model.ts';

let view: SettingsView;
let status: Status;
/** The update form holds typed but unsaved text: a refresh must not overwrite it. */
let syncFormDirty = false;

type ManagedKey = Exclude<keyof Policy, 'locked'>;

function managed(key: ManagedKey, jurisdiction?: string, category?: Category): boolean {
  return view.effective.locked || isManaged(view.policy, key, jurisdiction, category);
}

/** Marks a control the organisation sets; when everything is locked, the notice above says it once. */
function managedTag(): HTMLElement | null {
  return view.effective.locked ? null : h('span', { class: 'managed-tag' }, t('managedTag'));
}

let toastTimer: ReturnType<typeof setTimeout> | undefined;

/** Says what a save or a sync did; a success note goes away by itself, an error stays. */
function toast(text: string, tone: 'ok' | 'error' = 'ok'): void {
  const el = byId('saved');
  el.textContent = text;
  el.dataset['tone'] = tone;
  clearTimeout(toastTimer);
  if (tone === 'ok' && !text.endsWith('…')) {
    toastTimer = setTimeout(() => {
      el.textContent = '';
      delete el.dataset['tone'];
    }, 6000);
  }
}

/** A labelled checkbox that saves `patchFor(checked)` when changed. */
function checkbox(
  id: string,
  label: string,
  checked: boolean,
  disabled: boolean,
  patchFor: (checked: boolean) => SettingsPatch,
  extra?: string,
): HTMLElement {
  const input = h('input', { type: 'checkbox', id });
  input.checked = checked;
  input.disabled = disabled;
  input.addEventListener('change', () => void save(patchFor(input.checked)));
  return h(
    'label',
    { class: disabled ? 'check is-disabled' : 'check' },
    input,
    ' ',
    h('span', {}, label),
    extra ? h('span', { class: 'count' }, extra) : null,
    disabled ? managedTag() : null,
  );
}

function renderNotice(): void {
  const notice = byId('policy-notice');
  const parts: HTMLElement[] = [];
  if (view.effective.locked) parts.push(h('p', { class: 'notice-title' }, t('policyLocked')));
  else if (view.effective.managed.length > 0) parts.push(h('p', { class: 'notice-title' }, t('policyPartial')));
  if (view.policyErrors.length > 0) {
    parts.push(h('details', {}, h('summary', {}, t('policyErrors')), h('ul', {}, ...view.policyErrors.map((e) => h('li', {}, h('code', {}, e))))));
  }
  notice.replaceChildren(...parts);
  notice.hidden = parts.length === 0;
  document.body.classList.toggle('is-locked', view.effective.locked);
}

/** Who issues a jurisdiction's orders (and which of them are private bodies, not authorities). */
function renderAuthorities(feed: Status['feeds'][number]): HTMLElement[] {
  const all = Object.values(feed.authorities);
  const names = all.map((a) => {
    const full = pick(a.name) ?? a.short ?? '';
    return a.short && a.short !== full ? `${full} (${a.short})` : full;
  });
  const out = [h('p', { class: 'authorities' }, t('jurisdictionAuthorities', names.join(', ')))];
  if (all.some((a) => a.kind === 'private-body')) out.push(h('p', { class: 'muted private-body' }, t('privateBodyNote')));
  return out;
}

function renderJurisdictions(): void {
  const box = byId('jurisdictions');
  box.replaceChildren(
    ...view.jurisdictions.map(({ jurisdiction: j, categories }) => {
      const name = jurisdictionName(j);
      const feed = status.feeds.find((f) => f.jurisdiction === j);
      const cats = categories as readonly Category[];
      return h(
        'fieldset',
        { class: 'jurisdiction', 'data-jurisdiction': j },
        h('legend', {}, name),
        ...(feed ? renderAuthorities(feed) : []),
        checkbox(`j-${j}`, t('enforceJurisdiction', name), view.effective.jurisdictions[j] ?? false, managed('jurisdictions', j), (on) => ({
          jurisdictions: { [j]: on },
        })),
        h(
          'fieldset',
          { class: 'categories' },
          h('legend', {}, t('categoriesLegend', name)),
          ...cats.map((c) =>
            checkbox(
              `c-${j}-${c}`,
              t(`category_${c}`),
              view.effective.categories[j]?.[c] ?? true,
              managed('categories', j, c),
              (on) => ({ categories: { [j]: { [c]: on } } }),
              feed ? t('siteCount', formatNumber(feed.byCategory[c] ?? 0)) : undefined,
            ),
          ),
        ),
        ...(feed ? renderFeedFacts(feed).map((p) => (p.classList.add('muted'), p)) : []),
      );
    }),
  );
  const sub = byId<HTMLInputElement>('block-subresources');
  sub.checked = view.effective.blockSubresources;
  sub.disabled = managed('blockSubresources');
  const label = sub.closest('label');
  label?.classList.toggle('is-disabled', sub.disabled);
  label?.querySelector('.managed-tag')?.remove();
  const subTag = sub.disabled ? managedTag() : null;
  if (subTag) label?.append(subTag);
}

function fieldError(id: string, text: string | null): void {
  const el = byId(id);
  el.textContent = text ?? '';
  el.hidden = text === null;
  const input = document.querySelector(`[aria-describedby~="${id}"]`);
  if (text === null) input?.removeAttribute('aria-invalid');
  else input?.setAttribute('aria-invalid', 'true');
}

function renderSyncForm(): void {
  if (syncFormDirty) return;
  byId('feed-urls').replaceChildren(
    ...view.jurisdictions.map(({ jurisdiction: j }) => {
      const disabled = managed('feedUrls', j);
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
      input.addEventListener('input', () => (syncFormDirty = true));
      return h(
        'div',
        { class: 'field' },
        h('label', { for: `feed-${j}` }, t('feedUrlLabel', jurisdictionName(j)), disabled ? managedTag() : null),
        input,
        h('p', { id: `feed-${j}-help`, class: 'muted help' }, t('feedUrlHelp')),
        h('p', { id: `feed-${j}-error`, class: 'field-error', hidden: '' }),
      );
    }),
  );
  const interval = byId<HTMLInputElement>('sync-interval');
  interval.value = String(view.effective.syncIntervalMinutes);
  interval.disabled = managed('syncIntervalMinutes');
  const label = document.querySelector('label[for="sync-interval"]');
  label?.querySelector('.managed-tag')?.remove();
  const intervalTag = interval.disabled ? managedTag() : null;
  if (intervalTag) label?.append(intervalTag);
  fieldError('sync-interval-error', null);
  const ageEditable = renderDataAgeField(view, managed('dataMaxAgeMonths'), managedTag());
  fieldError('data-max-age-error', null);
  const anyEditable = !interval.disabled || ageEditable || view.jurisdictions.some(({ jurisdiction: j }) => !managed('feedUrls', j));
  byId<HTMLButtonElement>('save-sync').disabled = !anyEditable;
}

function renderStatus(): void {
  byId('sync-status').replaceChildren(
    ...status.feeds.map((f) => h('div', { class: 'status-block' }, h('h3', {}, jurisdictionName(f.jurisdiction)), renderSyncStatus(f))),
  );
  byId('stats').replaceChildren(
    ...status.feeds.map((f) => {
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
          table(t('byAuthority'), t('fieldAuthority'), sortedCounts(f.byAuthority).map(([id, n]) => [authorityName(id), n])),
          table(t('byCategory'), t('fieldCategory'), sortedCounts(f.byCategory).map(([c, n]) => [categoryName(c), n])),
        ),
        h('p', { class: 'muted' }, t('statsNote', formatNumber(f.hostCount))),
      );
    }),
  );
}

function render(): void {
  // Rebuilding the controls must not throw a keyboard user out of the page.
  const focused = document.activeElement?.id;
  renderNotice();
  renderJurisdictions();
  renderSyncForm();
  renderStatus();
  if (focused) document.getElementById(focused)?.focus();
  document.body.dataset['state'] = 'ready';
}

async function load(): Promise<void> {
  [view, status] = await Promise.all([ask({ type: 'getSettings' }), ask({ type: 'status' })]);
  render();
  const notice = renderHostAccessNotice(status, () => void load());
  document.getElementById('host-access')?.remove();
  if (notice) byId('policy-notice').after(notice);
}

async function save(patch: SettingsPatch): Promise<boolean> {
  toast(t('saving'));
  let ok = false;
  try {
    const r = await ask({ type: 'setSettings', patch });
    ok = r.ok;
    if (r.ok) toast(t('saved'));
    else toast(r.code === 'invalid' ? t('saveRefused', r.error) : t('saveRefusedManaged'), 'error');
  } catch {
    toast(t('unavailable'), 'error');
  }
  await load();
  return ok;
}

async function saveSyncForm(): Promise<void> {
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
  if (firstBad) {
    firstBad.focus();
    toast(t('fixErrors'), 'error');
    return;
  }
  if (Object.keys(patch).length === 0) {
    syncFormDirty = false;
    toast(t('nothingChanged'));
    return;
  }
  syncFormDirty = false;
  await save(patch);
}

async function syncNow(): Promise<void> {
  const button = byId<HTMLButtonElement>('sync-now');
  if (Object.keys(view.effective.feedUrls).length === 0) {
    toast(t('syncNothing'));
    return;
  }
  button.disabled = true;
  button.textContent = t('syncing');
  toast(t('syncing'));
  try {
    status = await ask({ type: 'syncNow' });
    const failed = status.feeds.some((f) => f.feedUrl && f.sync?.url === f.feedUrl && f.sync.lastError && f.sync.lastAttempt === f.sync.lastError.at);
    toast(t(failed ? 'syncFinishedErrors' : 'syncFinished'), failed ? 'error' : 'ok');
    renderStatus();
  } catch {
    toast(t('unavailable'), 'error');
  } finally {
    button.disabled = false;
    button.textContent = t('syncNowButton');
  }
}

async function search(): Promise<void> {
  const input = byId<HTMLInputElement>('search-input');
  const out = byId('search-result');
  const query = input.value.trim();
  if (query === '') {
    out.replaceChildren();
    return;
  }
  out.replaceChildren(h('p', { class: 'muted' }, t('loading')));
  try {
    const ex = await ask({ type: 'lookup', input: query });
    out.replaceChildren(renderVerdict(ex, view.effective));
  } catch {
    out.replaceChildren(h('p', { class: 'error' }, t('unavailable')));
  }
}

async function main(): Promise<void> {
  localizeDocument();
  document.title = `${t('optionsTitle')} · Ordinanza`;
  byId('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void search();
  });
  byId('sync-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void saveSyncForm();
  });
  byId('sync-interval').addEventListener('input', () => (syncFormDirty = true));
  byId('sync-now').addEventListener('click', () => void syncNow());
  byId('block-subresources').addEventListener('change', (e) => {
    void save({ blockSubresources: (e.target as HTMLInputElement).checked });
  });
  // Sync results, rule changes and policy changes made elsewhere show up without a reload; the
  // background caches each policy it reads (`policyCache`), which may come seconds after the page.
  const watched = ['sync', 'applied', 'settings', 'policyCache'];
  storage.onChanged((changes, area) => {
    if (area === 'managed' || (area === 'local' && watched.some((k) => k in changes))) void load().catch(() => undefined);
  });
  // Access to sites withdrawn or allowed again in the browser's own settings.
  hostAccess.onChange(() => void load().catch(() => undefined));
  try {
    await load();
  } catch {
    byId('jurisdictions').replaceChildren(h('p', { class: 'error' }, t('unavailable')));
    document.body.dataset['state'] = 'error';
  }
}

void main();
