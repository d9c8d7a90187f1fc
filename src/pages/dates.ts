// Dates and ages in the UI languages without Intl. A page's first Intl date or relative-time format
// loads ICU's locale data (40–70 ms in Chromium), which the block page would pay between reading
// the lists and showing its explanation. The forms below are CLDR's, which Intl gives: the unit test
// (test/unit/dates.test.ts) compares every one with Intl. Any other language, and any value outside
// what the forms cover, is left to Intl (null).

/** How much of a date is known: a partial ISO date ("2024", "2024-03") is shown as far as it goes. */
export type DatePrecision = 'year' | 'month' | 'day';

/** The units an age is given in. */
export type AgeUnit = 'month' | 'year';

interface Forms {
  /** Month names as a date and a month-and-year use them (the same in these languages). */
  readonly months: readonly string[];
  /** A full date (Intl's `dateStyle: 'long'`). */
  readonly day: (day: number, month: string, year: number) => string;
  /** Intl.RelativeTimeFormat's `numeric: 'auto'` in the past: this one, the last one, n ago (n ≥ 2). */
  readonly ago: Readonly<Record<AgeUnit, readonly [string, string, (n: number) => string]>>;
}

const FORMS: Readonly<Record<string, Forms>> = {
  en: {
    months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
    day: (d, m, y) => `${m} ${d}, ${y}`,
    ago: { month: ['this month', 'last month', (n) => `${n} months ago`], year: ['this year', 'last year', (n) => `${n} years ago`] },
  },
  it: {
    months: ['gennaio', 'febbraio', 'marzo', 'aprile', 'maggio', 'giugno', 'luglio', 'agosto', 'settembre', 'ottobre', 'novembre', 'dicembre'],
    day: (d, m, y) => `${d} ${m} ${y}`,
    ago: { month: ['questo mese', 'mese scorso', (n) => `${n} mesi fa`], year: ['quest’anno', 'anno scorso', (n) => `${n} anni fa`] },
  },
  fr: {
    months: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
    day: (d, m, y) => `${d} ${m} ${y}`,
    ago: { month: ['ce mois-ci', 'le mois dernier', (n) => `il y a ${n} mois`], year: ['cette année', 'l’année dernière', (n) => `il y a ${n} ans`] },
  },
};

/**
 * A UTC date in `lang`, to `precision`, as Intl.DateTimeFormat gives it in UTC (a full date in its
 * long style, or the month and year, or the year); null where only Intl can tell.
 */
export function dateText(lang: string, date: Date, precision: DatePrecision): string | null {
  const forms = Object.hasOwn(FORMS, lang) ? FORMS[lang] : undefined;
  const y = date.getUTCFullYear();
  // Four-digit years only: Intl writes others with eras or without grouping rules these forms skip.
  if (!forms || !(y >= 1000 && y <= 9999)) return null;
  if (precision === 'year') return String(y);
  const month = forms.months[date.getUTCMonth()] as string;
  return precision === 'month' ? `${month} ${y}` : forms.day(date.getUTCDate(), month, y);
}

/** `n` units ago in `lang`, as Intl.RelativeTimeFormat with `numeric: 'auto'` says it; null where only Intl can tell. */
export function agoText(lang: string, n: number, unit: AgeUnit): string | null {
  const forms = Object.hasOwn(FORMS, lang) ? FORMS[lang] : undefined;
  // Up to three digits: larger numbers take the language's digit grouping.
  if (!forms || !Number.isInteger(n) || n < 0 || n > 999) return null;
  const [thisOne, lastOne, many] = forms.ago[unit];
  return n === 0 ? thisOne : n === 1 ? lastOne : many(n);
}
