import { describe, expect, it } from 'vitest';
import { explain, hostOfInput } from '../../src/core/explain.ts';
import type { Feed } from '../../src/core/feed.ts';
import { DEFAULT_SELECTION, loadFeed, wantedHosts, type Selection } from '../../src/core/selection.ts';

const feed: Feed = {
  format: 2,
  jurisdiction: 'IT',
  serial: 7,
  generated: '2026-11-28T00:00:00Z',
  expires: '2027-11-28T00:00:00Z',
  authorities: { ADM: { name: { it: 'ADM' } }, AGCOM: { name: { it: 'AGCOM' } }, TRIB: { name: { it: 'Tribunale' }, kind: 'court' } },
  orders: {
    GIOCHI: { authority: 'ADM', category: 'gambling', act: { kind: 'register' }, sources: [{ url: 'https://example.org/a' }] },
    DDA: { authority: 'AGCOM', category: 'copyright', act: { kind: 'register' }, sources: [{ url: 'https://example.org/b' }] },
    CASE: { authority: 'TRIB', category: 'copyright', act: { kind: 'court-order', date: '2022-07' }, sources: [{ url: 'https://example.org/c' }] },
  },
  editions: {
    e: { source: 'test', date: '2023-09-25', approximate: true },
    press: { source: 'press report' },
    dda1: { source: 'AGCOM list, first copy', date: '2023-09-25' },
    dda2: { source: 'AGCOM list, newer copy', date: '2024-02-01' },
  },
  entries: [
    { listings: [{ order: 'GIOCHI', edition: 'e' }], hosts: ['casino.example', 'both.example'] },
    { listings: [{ order: 'DDA', edition: 'dda2' }], hosts: ['sub.both.example', 'torrent.example'] },
    {
      listings: [
        { order: 'CASE', edition: 'press' },
        { order: 'DDA', edition: 'dda2' },
      ],
      hosts: ['court.example'],
    },
    { listings: [{ order: 'DDA', edition: 'dda1', removedIn: 'dda2' }], hosts: ['gone.example'] },
  ],
};
const loaded = loadFeed(feed);
const noGambling: Selection = { jurisdictions: { IT: true }, categories: { IT: { gambling: false } } };

describe('hostOfInput', () => {
  it.each([
    ['https://WWW.Casino.Example./x?y', 'www.casino.example'],
    ['casino.example/path', 'casino.example'],
    ['  casino.example  ', 'casino.example'],
    ['caffè.example', 'xn--caff-8oa.example'],
    ['javascript:alert(1)', null],
    ['chrome://settings', null],
    ['not a host', null],
  ])('%s → %s', (input, host) => expect(hostOfInput(input)).toBe(host));
});

describe('explain', () => {
  it('names the order behind a listed host and its subdomains', () => {
    const ex = explain('http://www.casino.example/', [loaded], DEFAULT_SELECTION);
    expect(ex.blocked).toBe(true);
    expect(ex.matches.map((m) => [m.listed, m.orders.map((o) => o.id)])).toEqual([['casino.example', ['GIOCHI']]]);
    expect(ex.matches[0]?.orders[0]?.authority?.name.it).toBe('ADM');
  });

  it('lists every covering entry, most specific first', () => {
    const ex = explain('a.sub.both.example', [loaded], DEFAULT_SELECTION);
    expect(ex.matches.map((m) => m.listed)).toEqual(['sub.both.example', 'both.example']);
  });

  it('says listed-but-off when a category is off, and agrees with the wanted hosts', () => {
    const ex = explain('casino.example', [loaded], noGambling);
    expect(ex.blocked).toBe(false);
    expect(ex.matches[0]?.enforced).toBe(false);
    const both = explain('sub.both.example', [loaded], noGambling);
    expect(both.blocked).toBe(true);
    expect(
      wantedHosts([loaded], noGambling)
        .map((w) => w.host)
        .sort(),
    ).toEqual(['court.example', 'sub.both.example', 'torrent.example']);
  });

  it('shows each order of a host named by two sources with its own source and date', () => {
    const ex = explain('court.example', [loaded], DEFAULT_SELECTION);
    expect(ex.blocked).toBe(true);
    const facts = ex.matches[0]?.orders.map((o) => [o.id, o.edition?.id, o.edition?.source, o.edition?.date, o.order.act.date, o.enforced]);
    expect(facts).toEqual([
      ['CASE', 'press', 'press report', undefined, '2022-07', true],
      ['DDA', 'dda2', 'AGCOM list, newer copy', '2024-02-01', undefined, true],
    ]);
  });

  it('does not enforce a removed host and explains when it was listed and when it went', () => {
    const ex = explain('gone.example', [loaded], DEFAULT_SELECTION);
    expect(ex.blocked).toBe(false);
    const o = ex.matches[0]?.orders[0];
    expect([o?.enforced, o?.edition?.date, o?.removedIn?.date]).toEqual([false, '2023-09-25', '2024-02-01']);
    expect(wantedHosts([loaded], DEFAULT_SELECTION).map((w) => w.host)).not.toContain('gone.example');
  });

  it('gives the date of the newest data, not the generation date', () => {
    expect(explain('x.example', [loaded], DEFAULT_SELECTION).feeds[0]?.data).toEqual({ date: '2024-02-01', approximate: false });
  });

  it('never enforces a removed listing, and nothing when the jurisdiction is off', () => {
    expect(explain('gone.example', [loaded], DEFAULT_SELECTION).blocked).toBe(false);
    expect(explain('torrent.example', [loaded], { jurisdictions: { IT: false }, categories: {} }).blocked).toBe(false);
    expect(wantedHosts([loaded], { jurisdictions: {}, categories: {} })).toEqual([]);
  });

  it('an unlisted host or a non-web URL explains nothing', () => {
    expect(explain('http://example.org', [loaded], DEFAULT_SELECTION)).toMatchObject({ host: 'example.org', blocked: false, matches: [] });
    expect(explain('about:blank', [loaded], DEFAULT_SELECTION)).toMatchObject({ host: null, blocked: false });
  });
});
