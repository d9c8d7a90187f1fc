// The toolbar popup: is the site in the active tab blocked, and why; which lists are in force and how
// fresh they are. A tab on the block page is explained by the URL in its hash.
import type { EffectiveSettings } from '../core/config.ts';
import type { FeedStatus, Status } from '../core/messages.ts';
import { activeTabUrl, extensionUrl, runtime } from '../platform/browser.ts';
import { h } from './dom.ts';
import { localizeDocument, t } from './i18n.ts';
import { ask } from './messaging.ts';
import { byId, jurisdictionName, renderFeedFacts, renderHostAccessNotice, renderSyncStatus, renderVerdict } from './ui.ts';
import { classifyTab, NON_WEB_TAB_KEYS, type TabView } from './view-model.ts';

async function renderSite(view: TabView, settings: EffectiveSettings): Promise<void> {
  const site = byId('site');
  if (view.kind !== 'web' && view.kind !== 'block-page') {
    site.replaceChildren(h('p', { class: 'verdict-box verdict-none', 'data-verdict': 'none' }, t(NON_WEB_TAB_KEYS[view.kind])));
    document.body.dataset['state'] = view.kind;
    return;
  }
  const ex = await ask({ type: 'lookup', input: view.url });
  site.replaceChildren(renderVerdict(ex, settings));
  document.body.dataset['state'] = site.querySelector<HTMLElement>('[data-verdict]')?.dataset['verdict'] ?? 'unknown';
}

function renderFeed(f: FeedStatus): HTMLElement {
  return h(
    'div',
    { class: 'list', 'data-jurisdiction': f.jurisdiction },
    h(
      'p',
      { class: 'list-title' },
      h('strong', {}, jurisdictionName(f.jurisdiction)),
      ' ',
      h('span', { class: f.enabled ? 'badge badge-on' : 'badge badge-off' }, t(f.enabled ? 'badgeOn' : 'badgeOff')),
    ),
    ...renderFeedFacts(f),
    renderSyncStatus(f),
  );
}

function renderLists(status: Status): void {
  const body = byId('lists-body');
  body.replaceChildren(...status.feeds.map(renderFeed));
  if (status.locked) body.append(h('p', { class: 'notice' }, t('policyLockedShort')));
}

async function main(): Promise<void> {
  localizeDocument();
  byId('open-options').addEventListener('click', () => {
    void runtime.openOptionsPage().then(() => window.close());
  });
  try {
    const [url, settings, status] = await Promise.all([activeTabUrl(), ask({ type: 'getSettings' }), ask({ type: 'status' })]);
    renderLists(status);
    const notice = renderHostAccessNotice(status, () => location.reload());
    if (notice) byId('site').before(notice);
    await renderSite(classifyTab(url, extensionUrl('src/pages/blocked.html')), settings.effective);
  } catch {
    byId('site').replaceChildren(h('p', { class: 'error' }, t('unavailable')));
    document.body.dataset['state'] = 'error';
  }
}

void main();
