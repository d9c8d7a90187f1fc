// Every real file under shared/data/real goes through an importer: counts and quirks are pinned.
// Corpus test (`npm run test:corpus`): needs a copy of shared/ beside the clone. `npm test` checks the
// same quirks on committed excerpts instead (test/unit/feedtool/importers-excerpts.test.ts).
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importSource, type ImportResult } from '../../src/feedtool/importers/index.ts';
import { PLAN, RU_DUMP } from '../support/real-plans.ts';
import { REAL_DATA, realFile } from './shared-data.ts';

// Not a list: the Comlot PDF is the official form of the 20200317 TXT (same domains per PROVENANCE).
const NOT_LISTS = new Set(['PROVENANCE.md', 'intl/ch_comlot_blacklist_20200317.pdf']);

const cache = new Map<string, ImportResult>();
function run(rel: string): ImportResult {
  let r = cache.get(rel);
  if (!r) {
    const plan = PLAN[rel];
    if (!plan) throw new Error(`no import plan for ${rel}`);
    r = importSource(realFile(rel), plan);
    cache.set(rel, r);
  }
  return r;
}
const hosts = (rel: string): Set<string> => new Set(run(rel).entries.map((e) => e.host));
const entry = (rel: string, host: string) => run(rel).entries.find((e) => e.host === host);

describe('the plan covers the shared data', () => {
  it('names every file under shared/data/real', () => {
    const files = ['it', 'intl'].flatMap((d) => readdirSync(`${REAL_DATA}/${d}`).map((f) => `${d}/${f}`));
    const missing = files.filter((f) => !(f in PLAN) && !NOT_LISTS.has(f));
    expect(missing).toEqual([]);
    expect(files.length).toBeGreaterThanOrEqual(35);
  });
});

// [lines, skipped, candidates, kept, duplicates, rejected]
const COUNTS: Record<string, [number, number, number, number, number, number]> = {
  'it/censura-it_aams.hosts': [9685, 0, 9685, 9685, 0, 0],
  'it/censura-it_tabacchi.hosts': [745, 0, 745, 742, 3, 0],
  'it/censura-it_agcom.hosts': [3538, 0, 3538, 3507, 31, 0],
  'it/censura-it_consob.hosts': [937, 0, 937, 936, 0, 1],
  'it/consob_2023073100.txt': [940, 3, 937, 936, 0, 1],
  'it/consob_2024020200.txt': [1153, 3, 1150, 1145, 5, 0],
  'it/piracyshield_routingtable_fqdns.txt': [38530, 0, 38530, 38530, 0, 0],
  'it/piracyshield_routingtable_ipv4_full.txt': [10967, 0, 10967, 10967, 0, 0],
  'it/piracyshield_routingtable_aggregated_10.txt': [3462, 0, 3462, 0, 0, 3462],
  'it/piracyshield_routingtable_fqdns_history.csv': [50447, 1, 50446, 50445, 1, 0],
  'it/it_legal_basis_references.csv': [14, 13, 3, 3, 0, 0],
  'intl/ru_zapret-info_dump_2016-06-13.csv.gz': [30664, 1, 30667, 18303, 12364, 0],
  'intl/ru_zapret-info_dump-08_2020-01-30.csv.gz': [15882, 0, 15882, 4114, 11768, 0],
  'intl/ru_zapret-info_nxdomain_2020-01-30.txt': [37395, 0, 37395, 37395, 0, 0],
  'intl/ru_refilter_domains_all.lst': [86140, 0, 86140, 86140, 0, 0],
  'intl/cz_mfcr_unauthorized_internet_games_v70.csv': [744, 1, 743, 743, 0, 0],
  'intl/de_cuii_blocked_domains_2024-08.csv': [276, 1, 275, 275, 0, 0],
  'intl/ch_comlot_blacklist_2019-2020_orders.csv': [107, 1, 106, 106, 0, 0],
  'intl/ch_comlot_blacklist_20190903.txt': [67, 2, 65, 65, 0, 0],
  'intl/ch_comlot_blacklist_20191008.txt': [84, 2, 82, 82, 0, 0],
  'intl/ch_comlot_blacklist_20191126.txt': [90, 2, 88, 88, 0, 0],
  'intl/ch_comlot_blacklist_20200317.txt': [103, 2, 101, 101, 0, 0],
  'intl/citizenlab_00-LEGEND-new_category_codes.csv': [32, 1, 31, 0, 0, 31],
  'intl/citizenlab_it.csv': [261, 1, 260, 260, 0, 0],
  'intl/citizenlab_de.csv': [196, 1, 195, 195, 0, 0],
  'intl/citizenlab_ru.csv': [1094, 1, 1093, 1070, 23, 0],
  'intl/citizenlab_be.csv': [8, 1, 7, 7, 0, 0],
  'intl/citizenlab_fr.csv': [126, 1, 125, 125, 0, 0],
  'intl/citizenlab_gb.csv': [6, 1, 5, 5, 0, 0],
  'intl/citizenlab_es.csv': [210, 1, 209, 208, 1, 0],
  'intl/citizenlab_gr.csv': [47, 1, 46, 46, 0, 0],
  'intl/citizenlab_pt.csv': [34, 1, 33, 33, 0, 0],
  'intl/citizenlab_tr.csv': [427, 1, 426, 414, 12, 0],
  'intl/citizenlab_global.csv': [1723, 1, 1722, 1706, 16, 0],
};

describe('counts per real file', () => {
  it.each(Object.entries(COUNTS))('%s', (rel, [lines, skipped, candidates, kept, duplicates, rejected]) => {
    const { stats, entries, rejected: rej } = run(rel);
    expect([stats.lines, stats.skipped, stats.candidates, stats.kept, stats.duplicates, stats.rejected]).toEqual([lines, skipped, candidates, kept, duplicates, rejected]);
    expect(entries).toHaveLength(kept);
    expect(rej).toHaveLength(rejected);
    // Nothing vanishes: every candidate is kept, a duplicate or a rejection (row-level rejections aside).
    expect(stats.kept + stats.duplicates + rej.filter((r) => r.reason !== 'no host in this row (empty host field)').length).toBe(stats.candidates);
  });

  it('covers every planned file', () => {
    expect(Object.keys(COUNTS).sort()).toEqual(Object.keys(PLAN).sort());
  });
});

// The Italian quirks are tested in npm test (test/unit/feedtool/importers-excerpts.test.ts) on
// lists/it/sources, byte-for-byte copies of these files (test/corpus/italian-sources.corpus.test.ts).

describe('international quirks', () => {
  it('Russian dump 2016: cp1251, gzip, the Updated line, Cyrillic IDNs to punycode', () => {
    const r = run('intl/ru_zapret-info_dump_2016-06-13.csv.gz');
    expect(r.stats).toMatchObject({ gzip: true, encoding: 'windows-1251', preamble: ['Updated: 2016-06-13 12:04:00 +0000'] });
    const idn = entry('intl/ru_zapret-info_dump_2016-06-13.csv.gz', 'xn--76-8kcaef8fsao.xn--p1ai');
    expect(idn).toEqual({ host: 'xn--76-8kcaef8fsao.xn--p1ai', line: 367, fields: { authority: 'суд', decision: '2-518/2016', date: '2016-03-01' } });
    expect(hosts('intl/ru_zapret-info_dump_2016-06-13.csv.gz').has('www.xn--76-8kcaef8fsao.xn--p1ai')).toBe(true);
    expect([...hosts('intl/ru_zapret-info_dump_2016-06-13.csv.gz')].every((h) => /^[\x21-\x7e]+$/.test(h))).toBe(true);
  });

  it('Russian dump 2016: the 9 rows with ";" inside the URL keep their trailing columns', () => {
    const r = run('intl/ru_zapret-info_dump_2016-06-13.csv.gz');
    expect(r.rejected).toEqual([]);
    expect(entry('intl/ru_zapret-info_dump_2016-06-13.csv.gz', 'www.caymanchem.com')).toEqual({
      host: 'www.caymanchem.com',
      line: 29776,
      fields: { authority: 'ФСКН', decision: '2/1/11-32656', date: '2015-02-10' },
    });
    // The URL column is put back together with its ";", so a row can be picked by its full URL.
    const one = importSource(realFile('intl/ru_zapret-info_dump_2016-06-13.csv.gz'), {
      ...RU_DUMP,
      where: { column: 2, equals: '"http://forumkavkaz.com/index.php?topic=4931.25;wap2"' },
    });
    expect(one.entries).toEqual([{ host: 'forumkavkaz.com', line: 5184, fields: { authority: 'суд', decision: '2-522/2014', date: '2014-12-03' } }]);
    // Without the overflow rule those rows would be rejected: proves the rule is what saves them.
    const strict = importSource(realFile('intl/ru_zapret-info_dump_2016-06-13.csv.gz'), { ...RU_DUMP, overflowInto: undefined });
    expect(strict.rejected.map((x) => x.line)).toEqual([1163, 4544, 5184, 11546, 15603, 20299, 20650, 22113, 29776]);
  });

  it('Russian dump 2016: IP-only rows give their addresses, several per field', () => {
    const r = run('intl/ru_zapret-info_dump_2016-06-13.csv.gz');
    expect(entry('intl/ru_zapret-info_dump_2016-06-13.csv.gz', '104.16.173.117')).toMatchObject({ line: 2 });
    const ips = importSource(realFile('intl/ru_zapret-info_dump_2016-06-13.csv.gz'), { ...RU_DUMP, hosts: [{ column: 0, split: ' | ' }] });
    const argo = importSource(realFile('intl/ru_zapret-info_dump_2016-06-13.csv.gz'), {
      ...RU_DUMP,
      where: { column: 1, equals: 'argo-casino.com' },
      hosts: [{ column: 0, split: ' | ' }],
    });
    expect(argo.entries.filter((e) => e.line === 1162).map((e) => e.host)).toHaveLength(16);
    expect(argo.stats.duplicates).toBe(32);
    expect(argo.entries[0]).toEqual({ host: '151.80.0.236', line: 1162, fields: expect.objectContaining({ authority: expect.any(String) }) });
    expect(ips.entries.every((e) => /^\d+\.\d+\.\d+\.\d+$/.test(e.host))).toBe(true);
    expect(ips.stats.candidates).toBeGreaterThan(30663);
    expect(r.entries.filter((e) => /^\d+\.\d+\.\d+\.\d+$/.test(e.host)).length).toBeGreaterThan(0);
  });

  it('Russian dump-08 2020: the 38-field row is put back together', () => {
    const r = run('intl/ru_zapret-info_dump-08_2020-01-30.csv.gz');
    expect(r.stats.preamble).toEqual([]);
    expect(r.entries.length).toBe(4114);
    expect(hosts('intl/ru_zapret-info_dump-08_2020-01-30.csv.gz').has('telegra.ph')).toBe(true);
  });

  it('nxdomain: trailing-dot names lose the dot', () => {
    expect(entry('intl/ru_zapret-info_nxdomain_2020-01-30.txt', 'diplomy-v-ekb.ru')?.line).toBe(12820);
    expect(entry('intl/ru_zapret-info_nxdomain_2020-01-30.txt', 'e38.us')?.line).toBe(13020);
  });

  it('Re-filter list: the bare IPv4 addresses are entries like any host', () => {
    const ips = run('intl/ru_refilter_domains_all.lst').entries.filter((e) => /^\d+\.\d+\.\d+\.\d+$/.test(e.host));
    expect(ips).toHaveLength(7);
  });

  it('Czech list: cp1250 header, CRLF, upper case, trailing space, dates to ISO', () => {
    const r = run('intl/cz_mfcr_unauthorized_internet_games_v70.csv');
    expect(r.stats).toMatchObject({ encoding: 'windows-1250', crlf: true });
    expect(entry('intl/cz_mfcr_unauthorized_internet_games_v70.csv', '1xbet.com')).toEqual({
      host: '1xbet.com',
      line: 2,
      listed: '2017-07-26',
      removed: '2023-01-04',
      fields: { account: '5990242/0800' },
    });
    expect(entry('intl/cz_mfcr_unauthorized_internet_games_v70.csv', '1xiiv.xyz')).toMatchObject({ line: 100, listed: '2018-02-15', removed: '2023-01-04' });
    expect(entry('intl/cz_mfcr_unauthorized_internet_games_v70.csv', 'nationalcasino.co')).toEqual({
      host: 'nationalcasino.co',
      line: 685,
      listed: '2023-03-29',
    });
    expect(r.entries.filter((e) => e.removed !== undefined)).toHaveLength(22);
    expect(r.entries.every((e) => e.listed !== undefined && e.listed >= '2017' && e.listed < '2024')).toBe(true);
  });

  it('CUII and Comlot: dated entries', () => {
    const cuii = run('intl/de_cuii_blocked_domains_2024-08.csv').entries;
    expect(cuii.map((e) => e.listed).sort()[0]).toBe('2021-03-30');
    expect(
      cuii
        .map((e) => e.listed)
        .sort()
        .at(-1),
    ).toBe('2024-08-21');
    expect(entry('intl/ch_comlot_blacklist_2019-2020_orders.csv', '1xbet.com')?.listed).toBe('2019-09-03');
  });

  it('Comlot TXT: the #Version/#Serial header is comments; the 2019-11 release drops 5 domains', () => {
    const a = hosts('intl/ch_comlot_blacklist_20191008.txt');
    const b = hosts('intl/ch_comlot_blacklist_20191126.txt');
    expect([...a].filter((h) => !b.has(h)).sort()).toEqual(['bsupporter.com', 'cashpoint.com', 'tipwin.com', 'tipwin.de', 'xtip.de']);
  });

  it('citizenlab: URLs to hosts, every row counted', () => {
    expect(entry('intl/citizenlab_it.csv', 'www.torrentdownload.ws')).toEqual({ host: 'www.torrentdownload.ws', line: 2, via: 'url', listed: '2017-04-12' });
    expect(run('intl/citizenlab_it.csv').stats.fromUrl).toBe(260);
  });

  it('citizenlab legend is not a host list: every code is rejected with its line', () => {
    const r = run('intl/citizenlab_00-LEGEND-new_category_codes.csv');
    expect(r.rejected[0]).toEqual({ line: 2, text: 'ALDR', reason: 'not a hostname (no dot)' });
  });
});
