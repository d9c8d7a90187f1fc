// The block page's dates and ages without Intl (src/pages/dates.ts) say exactly what Intl says.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agoText, dateText, type DatePrecision } from '../../src/pages/dates.ts';

const LANGS = ['en', 'it', 'fr'] as const;
/** The UI languages the extension ships (`lang()` is one of them). */
const UI_LANGS = readdirSync(join(import.meta.dirname, '../../extension/_locales'));
const INTL_OPTIONS: Record<DatePrecision, Intl.DateTimeFormatOptions> = {
  day: { dateStyle: 'long', timeZone: 'UTC' },
  month: { year: 'numeric', month: 'long', timeZone: 'UTC' },
  year: { year: 'numeric', timeZone: 'UTC' },
};

describe('dates without Intl', () => {
  it.each(LANGS)('%s: every day of 2023 and 2024, every month and year, as Intl writes them', (lang) => {
    for (const precision of ['day', 'month', 'year'] as const) {
      const intl = new Intl.DateTimeFormat(lang, INTL_OPTIONS[precision]);
      for (let t = Date.UTC(2023, 0, 1); t < Date.UTC(2025, 0, 1); t += 86_400_000) {
        expect(dateText(lang, new Date(t), precision)).toBe(intl.format(t));
      }
      for (const y of [1000, 1999, 2000, 2031, 9999]) expect(dateText(lang, new Date(Date.UTC(y, 10, 9)), precision)).toBe(intl.format(Date.UTC(y, 10, 9)));
    }
  });

  it.each(LANGS)('%s: 0 to 999 months and years ago, as Intl.RelativeTimeFormat (numeric: auto) says them', (lang) => {
    const rtf = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
    for (const unit of ['month', 'year'] as const) {
      for (let n = 0; n <= 999; n++) expect(agoText(lang, n, unit)).toBe(rtf.format(-n, unit));
    }
  });

  it('has forms for every UI language, so that no page pays for Intl on its way to a date', () => {
    for (const lang of UI_LANGS) {
      expect(LANGS, `${lang}: add its forms to src/pages/dates.ts and to this test`).toContain(lang);
      expect(dateText(lang, new Date(Date.UTC(2024, 1, 2)), 'day')).not.toBeNull();
      expect(agoText(lang, 2, 'year')).not.toBeNull();
    }
  });

  it('leaves to Intl what it has no forms for', () => {
    expect(dateText('de', new Date(Date.UTC(2024, 1, 2)), 'day')).toBeNull();
    expect(dateText('en', new Date(Date.UTC(999, 1, 2)), 'day')).toBeNull();
    expect(dateText('en', new Date(Number.NaN), 'day')).toBeNull();
    expect(dateText('constructor', new Date(Date.UTC(2024, 1, 2)), 'day')).toBeNull();
    expect(agoText('cs', 3, 'month')).toBeNull();
    expect(agoText('en', 1000, 'year')).toBeNull();
    expect(agoText('en', -1, 'month')).toBeNull();
    expect(agoText('en', 1.5, 'month')).toBeNull();
  });
});
