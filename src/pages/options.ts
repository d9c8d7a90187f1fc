// The options page: which jurisdictions and categories are enforced, subresource blocking, where
// lists come from and how often, sync status, what the lists hold, and "is this site blocked, and
// why?". Every change goes through `setSettings`; the background refuses what the organisation sets,
// and the page shows those controls disabled (options-managed.ts).
import type { SettingsPatch } from '../core/config.ts';
import type { SettingsView, Status } from '../core/messages.ts';
import { hostAccess, storage } from '../platform/browser.ts';
import { h } from './dom.ts';
import { localizeDocument, t } from './i18n.ts';
import { renderJurisdictions } from './options-jurisdictions.ts';
import { renderNotice } from './options-managed.ts';
import { markSyncFormDirty, readSyncForm, renderStatus, renderSyncForm } from './options-sync.ts';
import { ask } from './messaging.ts';
import { byId, renderHostAccessNotice, renderVerdict } from './ui.ts';

let view: SettingsView;
let status: Status;

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

function render(): void {
  // Rebuilding the controls must not throw a keyboard user out of the page.
  const focused = document.activeElement?.id;
  renderNotice(view);
  renderJurisdictions(view, status, save);
  renderSyncForm(view);
  renderStatus(status);
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
  const { patch, firstBad } = readSyncForm(view);
  if (firstBad) {
    firstBad.focus();
    toast(t('fixErrors'), 'error');
    return;
  }
  if (Object.keys(patch).length === 0) {
    toast(t('nothingChanged'));
    return;
  }
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
    const failed = [...status.feeds, ...status.awaiting].some((f) => f.feedUrl !== null && f.sync?.url === f.feedUrl && f.sync.lastError && f.sync.lastAttempt === f.sync.lastError.at);
    toast(t(failed ? 'syncFinishedErrors' : 'syncFinished'), failed ? 'error' : 'ok');
    renderStatus(status);
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
  byId('sync-interval').addEventListener('input', markSyncFormDirty);
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
