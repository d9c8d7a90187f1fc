// What the organisation sets, on the options page: a control it sets is disabled and tagged, and
// the notice at the top says whether all, some or none of the settings are the organisation's.
import { isManaged, type Policy } from '../core/config.ts';
import type { Category } from '../core/feed.ts';
import type { SettingsView } from '../core/messages.ts';
import { h } from './dom.ts';
import { t } from './i18n.ts';
import { byId } from './ui.ts';

export type ManagedKey = Exclude<keyof Policy, 'locked'>;

export function managed(view: SettingsView, key: ManagedKey, jurisdiction?: string, category?: Category): boolean {
  return view.effective.locked || isManaged(view.policy, key, jurisdiction, category);
}

/** Marks a control the organisation sets; when everything is locked, the notice above says it once. */
export function managedTag(view: SettingsView): HTMLElement | null {
  return view.effective.locked ? null : h('span', { class: 'managed-tag' }, t('managedTag'));
}

/** Disables a control of the page's HTML that the organisation sets, and tags its label. */
export function markManaged(view: SettingsView, input: HTMLInputElement, label: Element | null, disabled: boolean): void {
  input.disabled = disabled;
  label?.querySelector('.managed-tag')?.remove();
  const tag = disabled ? managedTag(view) : null;
  if (tag) label?.append(tag);
}

export function renderNotice(view: SettingsView): void {
  const notice = byId('policy-notice');
  const parts: HTMLElement[] = [];
  if (view.effective.locked) parts.push(h('p', { class: 'notice-title' }, t('policyLocked')));
  else if (view.effective.managed.length > 0) parts.push(h('p', { class: 'notice-title' }, t('policyPartial')));
  // Keys the page has no control for: their values are said, so the notice never points at nothing.
  const others = [
    ...(view.policy.fetchTimeoutSeconds !== undefined ? [t('policyFetchTimeout', String(view.policy.fetchTimeoutSeconds))] : []),
    ...(view.policy.trustedKeys !== undefined ? [t('policyTrustedKeys', view.policy.trustedKeys.map((k) => k.keyId).join(', ') || '—')] : []),
  ];
  if (others.length > 0) parts.push(h('p', {}, t('policyAlsoSets')), h('ul', { id: 'policy-other-keys' }, ...others.map((o) => h('li', {}, o))));
  if (view.policyErrors.length > 0) {
    parts.push(h('details', {}, h('summary', {}, t('policyErrors')), h('ul', {}, ...view.policyErrors.map((e) => h('li', {}, h('code', {}, e))))));
  }
  notice.replaceChildren(...parts);
  notice.hidden = parts.length === 0;
  document.body.classList.toggle('is-locked', view.effective.locked);
}
