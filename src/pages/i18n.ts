// UI strings come from _locales through the i18n API; feed texts carry their own languages.
import type { LocalizedText } from '../core/feed.ts';
import { message } from '../platform/browser.ts';
import { dateText, type DatePrecision } from './dates.ts';
import { isPlainMessageKey, type MessageKey, type MessagePlaceholders, type PlaceholderList, type PlainMessageKey } from '../platform/message-keys.ts';

/** A string for each placeholder, in their order. */
type Strings<P extends readonly string[]> = { readonly [I in keyof P]: string };
/** The substitutions of a message; one with a single placeholder also takes the string alone. */
export type Substitutions<K extends keyof MessagePlaceholders> = Strings<PlaceholderList<MessagePlaceholders[K]>> | (PlaceholderList<MessagePlaceholders[K]>['length'] extends 1 ? string : never);

export function t(key: PlainMessageKey): string;
export function t<K extends keyof MessagePlaceholders>(key: K, substitutions: Substitutions<K>): string;
export function t(key: MessageKey, substitutions?: string | readonly string[]): string {
  return lookup(key, substitutions);
}

/**
 * A message whose key a view model chose at run time (view-model.ts), with the substitutions it
 * built: the key is typed, their number is the view model's (its unit test checks it).
 */
export function tList(key: MessageKey, substitutions: readonly string[]): string {
  return lookup(key, substitutions);
}

function lookup(key: MessageKey, substitutions: string | readonly string[] | undefined): string {
  return message(key, typeof substitutions === 'string' || substitutions === undefined ? substitutions : [...substitutions]) || key;
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

/** Intl's options for each precision of a partial date: every date is a UTC day. */
const DATE_OPTIONS: Readonly<Record<DatePrecision, Intl.DateTimeFormatOptions>> = {
  day: { dateStyle: 'long', timeZone: 'UTC' },
  month: { year: 'numeric', month: 'long', timeZone: 'UTC' },
  year: { year: 'numeric', timeZone: 'UTC' },
};

export function formatDate(isoOrPartial: string): string {
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(isoOrPartial);
  if (!m) return isoOrPartial;
  const [, y, mo, d] = m;
  const date = new Date(Date.UTC(Number(y), mo ? Number(mo) - 1 : 0, d ? Number(d) : 1));
  const precision: DatePrecision = d ? 'day' : mo ? 'month' : 'year';
  // Intl only where the UI language has no forms of its own (dates.ts: Intl's first date costs the page).
  return dateText(lang(), date, precision) ?? new Intl.DateTimeFormat(lang(), DATE_OPTIONS[precision]).format(date);
}

/** Fills every element carrying data-i18n with its message. */
export function localizeDocument(root: ParentNode = document): void {
  document.documentElement.lang = lang();
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n]')) {
    const key = el.dataset['i18n'] ?? '';
    // The pages' HTML names only plain messages (test/unit/locales.test.ts).
    el.textContent = isPlainMessageKey(key) ? t(key) : key;
  }
}
