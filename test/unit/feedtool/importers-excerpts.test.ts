// The importers on the quirks of real files, in `npm test` with nothing beside the clone: the Italian
// sources committed in lists/it/sources, and short excerpts of the other real files committed under
// test/fixtures/real-excerpts (lines cut unchanged, listed in its PROVENANCE.md). Line numbers below
// are the excerpt's; the source line is in the comment. The sweep of the whole corpus, with the
// counts of every file, is `npm run test:corpus` (test/corpus/importers.corpus.test.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importSource, type ImportResult } from '../../../src/feedtool/importers/index.ts';
import { REPO_ROOT } from '../../support/paths.ts';
import { planFor, RU_DUMP } from '../../support/real-plans.ts';

const EXCERPTS = join(REPO_ROOT, 'test/fixtures/real-excerpts');
const IT_SOURCES = join(REPO_ROOT, 'lists/it/sources');

/** A real file by its shared/data/real name: the in-repo copy for the Italian sources, else the excerpt. */
function bytes(rel: string): Uint8Array {
  const inRepo = rel.startsWith('it/')
    ? ['censura-it_aams.hosts', 'censura-it_tabacchi.hosts', 'censura-it_agcom.hosts', 'consob_2024020200.txt', 'it_legal_basis_references.csv'].includes(rel.slice(3))
    : false;
  return new Uint8Array(readFileSync(inRepo ? join(IT_SOURCES, rel.slice(3)) : join(EXCERPTS, rel)));
}
const run = (rel: string): ImportResult => importSource(bytes(rel), planFor(rel));
const hosts = (rel: string): Set<string> => new Set(run(rel).entries.map((e) => e.host));
const entry = (rel: string, host: string) => run(rel).entries.find((e) => e.host === host);

describe('Italian quirks (lists/it/sources and excerpts)', () => {
  it('reads the BOM of the censura-it hosts files instead of keeping it in the first host', () => {
    const r = run('it/censura-it_aams.hosts');
    expect(r.stats.bom).toBe(true);
    expect(r.entries[0]).toEqual({ host: '01.mycoolcasino.com', line: 1 });
    expect(run('it/censura-it_consob.hosts').stats.bom).toBe(true);
    expect(run('it/consob_2024020200.txt').stats.bom).toBe(false);
  });

  it('keeps the punycode IDNs and lower-cases the ADM hosts', () => {
    expect(hosts('it/censura-it_aams.hosts').has('xn--casinvincenti-0kb.com')).toBe(true);
    expect(hosts('it/censura-it_tabacchi.hosts').has('www.hookah-shisha.com')).toBe(true);
    expect([...hosts('it/censura-it_tabacchi.hosts')].some((h) => /[A-Z]/.test(h))).toBe(false);
  });

  it('rejects the word "nonché" with its file line', () => {
    // Source lines 638 and 641.
    expect(run('it/censura-it_consob.hosts').rejected).toEqual([{ line: 12, text: 'nonché', reason: 'not a hostname (no dot)' }]);
    expect(run('it/consob_2023073100.txt').rejected).toEqual([{ line: 17, text: 'nonché', reason: 'not a hostname (no dot)' }]);
    // The three "#" header lines of the CONSOB list are skipped, not read as hosts.
    expect(run('it/consob_2023073100.txt').stats).toMatchObject({ skipped: 3, kept: 17 });
  });

  it('takes the one host out of the four NBSP free-text CONSOB lines', () => {
    const r = run('it/consob_2024020200.txt');
    expect(r.stats.extracted).toBe(4);
    expect(r.entries.filter((e) => e.via === 'text')).toEqual([
      { host: 'www.capo-invest.com', line: 589, via: 'text' },
      { host: 'www.fincogb.com', line: 590, via: 'text' },
      { host: 'www.fortraders-fx.com', line: 591, via: 'text' },
      { host: 'www.trade100fm.com', line: 592, via: 'text' },
    ]);
  });

  it('without extraction the free-text lines are rejected, each with its line', () => {
    const r = importSource(bytes('it/consob_2024020200.txt'), { format: 'lines' });
    expect(r.rejected.map((x) => [x.line, x.reason])).toEqual([589, 590, 591, 592].map((n) => [n, 'contains white space']));
    expect(r.rejected[0]?.text).toBe('sito<NBSP>internet<NBSP>www.capo-invest.com');
  });

  it('folds upper-case CONSOB twins into their lower-case entry (first line wins)', () => {
    expect(entry('it/consob_2024020200.txt', 'bb360.market')?.line).toBe(17);
    expect(entry('it/consob_2024020200.txt', 'worldfxm.com')?.line).toBe(24);
    expect(hosts('it/consob_2024020200.txt').has('WORLDFXM.COM')).toBe(false);
  });

  it('trims trailing spaces and tabs in the AGCOM list, counting them as duplicates', () => {
    expect(entry('it/censura-it_agcom.hosts', 'www.torrentdownload.ws')?.line).toBe(5);
    expect(run('it/censura-it_agcom.hosts').stats).toMatchObject({ kept: 3507, duplicates: 31 });
    for (const name of ['serietvonline.tech', 'kickasstorrents.to', 'limetorrents.pro', 'ilcorsaronero.pro']) expect(hosts('it/censura-it_agcom.hosts').has(name)).toBe(true);
  });

  it('rejects every CIDR prefix of the aggregated Piracy Shield table with a reason', () => {
    const r = run('it/piracyshield_routingtable_aggregated_10.txt');
    expect(r.stats).toMatchObject({ candidates: 20, kept: 0, rejected: 20 });
    expect(new Set(r.rejected.map((x) => x.reason))).toEqual(new Set(['CIDR ranges are not supported (list single addresses)']));
    expect(r.rejected[0]).toEqual({ line: 1, text: '2.56.10.31/32', reason: 'CIDR ranges are not supported (list single addresses)' });
  });

  it('reads the three Milan domains out of one row of the citation table', () => {
    expect([...hosts('it/it_legal_basis_references.csv')]).toEqual(['kickasstorrents.to', 'limetorrents.pro', 'ilcorsaronero.pro']);
    expect(run('it/it_legal_basis_references.csv').entries.every((e) => e.line === 11)).toBe(true);
  });

  it('keeps upper-case Piracy Shield FQDNs in canonical form', () => {
    // Source line 7168: "Backtoback.live".
    expect(entry('it/piracyshield_routingtable_fqdns.txt', 'backtoback.live')?.line).toBe(9);
  });

  it('Piracy Shield history: ISO time stamps become dates', () => {
    expect(entry('it/piracyshield_routingtable_fqdns_history.csv', '0.0068.uk')).toEqual({ host: '0.0068.uk', line: 2, listed: '2025-10-08' });
  });
});

describe('international quirks (excerpts)', () => {
  const RU16 = 'intl/ru_zapret-info_dump_2016-06-13.csv.gz';

  it('Russian dump 2016: cp1251, gzip, the Updated line, Cyrillic IDNs to punycode', () => {
    const r = run(RU16);
    expect(r.stats).toMatchObject({ gzip: true, encoding: 'windows-1251', preamble: ['Updated: 2016-06-13 12:04:00 +0000'] });
    // Source line 367.
    expect(entry(RU16, 'xn--76-8kcaef8fsao.xn--p1ai')).toEqual({
      host: 'xn--76-8kcaef8fsao.xn--p1ai',
      line: 6,
      fields: { authority: 'суд', decision: '2-518/2016', date: '2016-03-01' },
    });
    // Source line 19618.
    expect(entry(RU16, 'www.xn--76-8kcaef8fsao.xn--p1ai')?.line).toBe(14);
    expect([...hosts(RU16)].every((h) => /^[\x21-\x7e]+$/.test(h))).toBe(true);
  });

  it('Russian dump 2016: rows with ";" inside the URL keep their trailing columns', () => {
    expect(run(RU16).rejected).toEqual([]);
    // Source line 29776.
    expect(entry(RU16, 'www.caymanchem.com')).toEqual({
      host: 'www.caymanchem.com',
      line: 15,
      fields: { authority: 'ФСКН', decision: '2/1/11-32656', date: '2015-02-10' },
    });
    // The URL column is put back together with its ";", so a row can be picked by its full URL (source line 5184).
    const one = importSource(bytes(RU16), { ...RU_DUMP, where: { column: 2, equals: '"http://forumkavkaz.com/index.php?topic=4931.25;wap2"' } });
    expect(one.entries).toEqual([{ host: 'forumkavkaz.com', line: 13, fields: { authority: 'суд', decision: '2-522/2014', date: '2014-12-03' } }]);
    // Without the overflow rule those rows would be rejected (source lines 1163, 5184, 29776).
    const strict = importSource(bytes(RU16), { ...RU_DUMP, overflowInto: undefined });
    expect(strict.rejected.map((x) => x.line)).toEqual([11, 13, 15]);
  });

  it('Russian dump 2016: IP-only rows give their addresses, several per field', () => {
    expect(entry(RU16, '104.16.173.117')).toMatchObject({ line: 2 });
    // Source line 1162: one row, 16 addresses.
    const argo = importSource(bytes(RU16), { ...RU_DUMP, where: { column: 1, equals: 'argo-casino.com' }, hosts: [{ column: 0, split: ' | ' }] });
    expect(argo.entries.filter((e) => e.line === 10).map((e) => e.host)).toHaveLength(16);
    expect(argo.entries[0]).toEqual({ host: '151.80.0.236', line: 10, fields: expect.objectContaining({ authority: expect.any(String) }) });
    const ips = importSource(bytes(RU16), { ...RU_DUMP, hosts: [{ column: 0, split: ' | ' }] });
    expect(ips.entries.every((e) => /^\d+\.\d+\.\d+\.\d+$/.test(e.host))).toBe(true);
  });

  it('Russian dump-08 2020: the 38-field row is put back together', () => {
    const r = run('intl/ru_zapret-info_dump-08_2020-01-30.csv.gz');
    expect(r.stats).toMatchObject({ gzip: true, encoding: 'windows-1251', preamble: [], rejected: 0 });
    expect(hosts('intl/ru_zapret-info_dump-08_2020-01-30.csv.gz').has('telegra.ph')).toBe(true);
    // Source line 10464, 38 fields.
    expect(entry('intl/ru_zapret-info_dump-08_2020-01-30.csv.gz', 'www.phimvid.com')).toMatchObject({ line: 11, fields: { date: '2015-04-03' } });
  });

  it('nxdomain: trailing-dot names lose the dot', () => {
    // Source lines 12820 and 13020.
    expect(entry('intl/ru_zapret-info_nxdomain_2020-01-30.txt', 'diplomy-v-ekb.ru')?.line).toBe(6);
    expect(entry('intl/ru_zapret-info_nxdomain_2020-01-30.txt', 'e38.us')?.line).toBe(17);
  });

  it('Re-filter list: the bare IPv4 addresses are entries like any host', () => {
    expect(run('intl/ru_refilter_domains_all.lst').entries.filter((e) => /^\d+\.\d+\.\d+\.\d+$/.test(e.host))).toEqual([
      { host: '119.59.99.174', line: 7 },
      { host: '119.82.71.95', line: 8 },
    ]);
  });

  it('Czech list: cp1250 header, CRLF, upper case, trailing space, dates to ISO', () => {
    const CZ = 'intl/cz_mfcr_unauthorized_internet_games_v70.csv';
    const r = run(CZ);
    expect(r.stats).toMatchObject({ encoding: 'windows-1250', crlf: true, rejected: 0 });
    expect(entry(CZ, '1xbet.com')).toEqual({ host: '1xbet.com', line: 2, listed: '2017-07-26', removed: '2023-01-04', fields: { account: '5990242/0800' } });
    // Source lines 100 ("1XIIV.XYZ") and 685 ("nationalcasino.co ").
    expect(entry(CZ, '1xiiv.xyz')).toMatchObject({ line: 33, listed: '2018-02-15', removed: '2023-01-04' });
    expect(entry(CZ, 'nationalcasino.co')).toEqual({ host: 'nationalcasino.co', line: 38, listed: '2023-03-29' });
    expect(r.entries.every((e) => e.listed !== undefined && e.listed >= '2017' && e.listed < '2024')).toBe(true);
  });

  it('CUII and Comlot: dated entries', () => {
    expect(entry('intl/de_cuii_blocked_domains_2024-08.csv', 'astrotheque.net')).toEqual({ host: 'astrotheque.net', line: 3, listed: '2024-07-21' });
    expect(entry('intl/ch_comlot_blacklist_2019-2020_orders.csv', '1xbet.com')?.listed).toBe('2019-09-03');
  });

  it('Comlot TXT: the #Version/#Serial header is comments; the 2019-11 release drops 5 domains', () => {
    expect(run('intl/ch_comlot_blacklist_20191008.txt').stats).toMatchObject({ lines: 84, skipped: 2, kept: 82 });
    const a = hosts('intl/ch_comlot_blacklist_20191008.txt');
    const b = hosts('intl/ch_comlot_blacklist_20191126.txt');
    expect([...a].filter((h) => !b.has(h)).sort()).toEqual(['bsupporter.com', 'cashpoint.com', 'tipwin.com', 'tipwin.de', 'xtip.de']);
  });

  it('citizenlab: URLs to hosts, every row counted', () => {
    expect(entry('intl/citizenlab_it.csv', 'www.torrentdownload.ws')).toEqual({ host: 'www.torrentdownload.ws', line: 2, via: 'url', listed: '2017-04-12' });
    expect(run('intl/citizenlab_it.csv').stats).toMatchObject({ candidates: 19, fromUrl: 19 });
  });

  it('citizenlab legend is not a host list: every code is rejected with its line', () => {
    const r = run('intl/citizenlab_00-LEGEND-new_category_codes.csv');
    expect(r.entries).toEqual([]);
    expect(r.rejected[0]).toEqual({ line: 2, text: 'ALDR', reason: 'not a hostname (no dot)' });
  });
});
