// UI strings come from _locales through the i18n API; feed texts carry their own languages.
import type { LocalizedText } from '../core/feed.ts';
import { message } from '../platform/browser.ts';

export function t(key: string, substitutions?: string | string[]): string {
  return message(key, substitutions) || key;
}

export function lang(): 'it' | 'en' | 'fr' {
  const l = t('localeCode');
  return l === 'it' || l === 'fr' ? l : 'en';
}

/** The text in the UI language, else English, else Italian, else whatever the source gives. */
export function pick(text: LocalizedText | undefined): string | undefined {
  if (!text) return undefined;
  return text[lang()] ?? text.en ?? text.it ?? text.fr;
}

export function formatDate(isoOrPartial: string): string {
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(isoOrPartial);
  if (!m) return isoOrPartial;
  const [, y, mo, d] = m;
  const date = new Date(Date.UTC(Number(y), mo ? Number(mo) - 1 : 0, d ? Number(d) : 1));
  const opts: Intl.DateTimeFormatOptions = d ? { dateStyle: 'long', timeZone: 'UTC' } : mo ? { year: 'numeric', month: 'long', timeZone: 'UTC' } : { year: 'numeric', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(lang(), opts).format(date);
}

/** Fills every element carrying data-i18n with its message. */
export function localizeDocument(root: ParentNode = document): void {
  document.documentElement.lang = lang();
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n]')) {
    el.textContent = t(el.dataset['i18n'] ?? '');
  }
}
