// The age of a feed's data: its newest edition date, not the file's generation date.
import { describe, expect, it } from 'vitest';
import { compareDataDates, hostDataDate, isOutOfDate, monthsSince, newestDataDate } from '../../src/core/data-age.ts';

const now = Date.UTC(2026, 11, 2);

describe('data age', () => {
  it('is the newest edition date, approximate when that edition is', () => {
    expect(newestDataDate({ a: { source: 'a', date: '2023-09-25', approximate: true }, b: { source: 'b', date: '2024-02-02' }, c: { source: 'c' } })).toEqual({
      date: '2024-02-02',
      approximate: false,
    });
    expect(newestDataDate({ a: { source: 'a', date: '2023-09-25', approximate: true } })).toEqual({ date: '2023-09-25', approximate: true });
    expect(newestDataDate({ c: { source: 'c' } })).toBeNull();
  });
  it('counts whole months, reading a partial date at its latest day', () => {
    expect(monthsSince('2024-02-02', now)).toBe(34);
    expect(monthsSince('2025-12-02', now)).toBe(12);
    expect(monthsSince('2025-12-03', now)).toBe(11);
    expect(monthsSince('2025-12', now)).toBe(11);
    expect(monthsSince('2030-01-01', now)).toBe(0);
  });
  it('is out of date at the threshold, and never without a date', () => {
    expect(isOutOfDate({ date: '2024-02-02', approximate: false }, now, 12)).toBe(true);
    expect(isOutOfDate({ date: '2026-06-01', approximate: false }, now, 12)).toBe(false);
    expect(isOutOfDate({ date: '2026-06-01', approximate: false }, now, 6)).toBe(true);
    expect(isOutOfDate(null, now, 12)).toBe(false);
  });
});

describe('hostDataDate: the data behind one block', () => {
  const agcom = { enforced: true, edition: { date: '2023-09-25', approximate: true } };
  const press = { enforced: true, edition: {} };
  const removed = { enforced: false, edition: { date: '2024-02-02' } };
  it('is the newest dated edition naming the host for an enforced order, in that jurisdiction only', () => {
    const matches = [
      { jurisdiction: 'IT', orders: [agcom, press, removed] },
      { jurisdiction: 'CH', orders: [{ enforced: true, edition: { date: '2020-03-17' } }] },
    ];
    // Not the list's newest data (CONSOB, 2024-02-02), nor a listing that is not enforced.
    expect(hostDataDate(matches, 'IT')).toEqual({ date: '2023-09-25', approximate: true });
    expect(hostDataDate(matches, 'CH')).toEqual({ date: '2020-03-17', approximate: false });
    expect(hostDataDate(matches, 'DE')).toBeNull();
  });
  it('reads a partial date at its latest day, as the age does: "2023" is later than "2023-06-01"', () => {
    expect(compareDataDates('2023', '2023-06-01')).toBeGreaterThan(0);
    expect(compareDataDates('2023-06', '2023-06-30')).toBe(0);
    expect(compareDataDates('2023-06-29', '2023-06')).toBeLessThan(0);
    const matches = [
      {
        jurisdiction: 'IT',
        orders: [
          { enforced: true, edition: { date: '2023-06-01' } },
          { enforced: true, edition: { date: '2023' } },
        ],
      },
    ];
    expect(hostDataDate(matches, 'IT')?.date).toBe('2023');
    expect(newestDataDate({ a: { source: 'a', date: '2023-06-01' }, b: { source: 'b', date: '2023' } })?.date).toBe('2023');
  });
  it('is null when no such edition gives a date (the page then shows the list’s newest data)', () => {
    expect(hostDataDate([{ jurisdiction: 'IT', orders: [press] }], 'IT')).toBeNull();
    expect(hostDataDate([{ jurisdiction: 'IT', orders: [{ enforced: true, edition: undefined }] }], 'IT')).toBeNull();
  });
});
