import { describe, expect, it } from 'vitest';
import { explain, hostOfInput } from '../../src/core/explain.ts';
import type { Feed } from '../../src/core/feed.ts';
import { DEFAULT_SELECTION, loadFeed, wantedHosts, type Selection } from '../../src/core/selection.ts';

const feed: Feed = {
  format: 1,
  jurisdiction: 'IT',
  serial: 7,
  generated: '2026-11-28T00:00:00Z',
  expires: '2027-11-28T00:00:00Z',
  authorities: { ADM: { name: { it: 'ADM' } }, AGCOM: { name: { it: 'AGCOM' } } },
  orders: {
    GIOCHI: { authority: 'ADM', title: { it: 'giochi' }, category: 'gambling', status: 'active', sources: [{ url: 'https://example.org/a' }] },
    DDA: { authority: 'AGCOM', title: { it: 'dda' }, category: 'copyright', status: 'active', sources: [{ url: 'https://example.org/b' }] },
    OLD: { authority: 'AGCOM', title: { it: 'old' }, category: 'copyright', status: 'revoked', sources: [{ url: 'https://example.org/c' }] },
  },
  editions: { e: { source: 'test' } },
  entries: [
    { orders: ['GIOCHI'], edition: 'e', hosts: ['casino.example', 'both.example'] },
    { orders: ['DDA'], edition: 'e', hosts: ['sub.both.example', 'torrent.example'] },
    { orders: ['OLD'], edition: 'e', hosts: ['revoked.example'] },
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
    expect(wantedHosts([loaded], noGambling).map((w) => w.host).sort()).toEqual(['sub.both.example', 'torrent.example']);
  });

  it('never enforces a revoked order, and nothing when the jurisdiction is off', () => {
    expect(explain('revoked.example', [loaded], DEFAULT_SELECTION).blocked).toBe(false);
    expect(explain('torrent.example', [loaded], { jurisdictions: { IT: false }, categories: {} }).blocked).toBe(false);
    expect(wantedHosts([loaded], { jurisdictions: {}, categories: {} })).toEqual([]);
  });

  it('an unlisted host or a non-web URL explains nothing', () => {
    expect(explain('http://example.org', [loaded], DEFAULT_SELECTION)).toMatchObject({ host: 'example.org', blocked: false, matches: [] });
    expect(explain('about:blank', [loaded], DEFAULT_SELECTION)).toMatchObject({ host: null, blocked: false });
  });
});
