// How each real data file is read by the importers: one plan per file of shared/data/real, used by
// the corpus sweep (test/corpus) and by the unit tests of the committed excerpts (test/fixtures/real-excerpts).
import type { SourceOptions } from '../../src/feedtool/importers/index.ts';

export const RU_DUMP: Extract<SourceOptions, { format: 'csv' }> = {
  format: 'csv',
  encoding: 'windows-1251',
  separator: ';',
  quote: null,
  columns: 6,
  overflowInto: 2,
  skipPrefixes: ['Updated:'],
  hosts: [{ column: 1 }, { column: 0, split: ' | ', fallback: true }],
  fields: { authority: 3, decision: 4, date: 5 },
};
export const CITIZENLAB: SourceOptions = {
  format: 'csv',
  header: true,
  hosts: [{ column: 'url', kind: 'url' }],
  listed: { column: 'date_added', format: 'iso' },
};

/** Every real data file and how it is read; the corpus test checks that none is missing. */
export const PLAN: Record<string, SourceOptions> = {
  'it/censura-it_aams.hosts': { format: 'hosts', addresses: ['217.175.53.72'] },
  'it/censura-it_tabacchi.hosts': { format: 'hosts', addresses: ['217.175.53.72'] },
  'it/censura-it_agcom.hosts': { format: 'hosts', addresses: ['127.0.0.1'] },
  'it/censura-it_consob.hosts': { format: 'hosts' },
  'it/consob_2023073100.txt': { format: 'lines', extract: true },
  'it/consob_2024020200.txt': { format: 'lines', extract: true },
  'it/piracyshield_routingtable_fqdns.txt': { format: 'lines' },
  'it/piracyshield_routingtable_ipv4_full.txt': { format: 'lines' },
  'it/piracyshield_routingtable_aggregated_10.txt': { format: 'lines' },
  'it/piracyshield_routingtable_fqdns_history.csv': {
    format: 'csv',
    header: true,
    hosts: [{ column: 'fqdn' }],
    listed: { column: 'first_seen_commit_date', format: 'iso' },
  },
  'it/it_legal_basis_references.csv': {
    format: 'csv',
    header: true,
    where: { column: 'ref_id', equals: 'TRIB-MI-2022' },
    hosts: [{ column: 'domains_named', split: ';' }],
  },
  'intl/ru_zapret-info_dump_2016-06-13.csv.gz': RU_DUMP,
  'intl/ru_zapret-info_dump-08_2020-01-30.csv.gz': RU_DUMP,
  'intl/ru_zapret-info_nxdomain_2020-01-30.txt': { format: 'lines' },
  'intl/ru_refilter_domains_all.lst': { format: 'lines' },
  'intl/cz_mfcr_unauthorized_internet_games_v70.csv': {
    format: 'csv',
    encoding: 'windows-1250',
    separator: ';',
    header: true,
    hosts: [{ column: 0 }],
    listed: { column: 1, format: 'dmy' },
    removed: { column: 2, format: 'dmy' },
    fields: { account: 3 },
  },
  'intl/de_cuii_blocked_domains_2024-08.csv': { format: 'csv', header: true, hosts: [{ column: 'domain' }], listed: { column: 'blocked_on', format: 'iso' } },
  'intl/ch_comlot_blacklist_2019-2020_orders.csv': {
    format: 'csv',
    header: true,
    hosts: [{ column: 'domain' }],
    listed: { column: 'blocking_order_date', format: 'iso' },
  },
  'intl/ch_comlot_blacklist_20190903.txt': { format: 'lines' },
  'intl/ch_comlot_blacklist_20191008.txt': { format: 'lines' },
  'intl/ch_comlot_blacklist_20191126.txt': { format: 'lines' },
  'intl/ch_comlot_blacklist_20200317.txt': { format: 'lines' },
  'intl/citizenlab_00-LEGEND-new_category_codes.csv': { format: 'csv', header: true, hosts: [{ column: 'New Code' }] },
  ...Object.fromEntries(['it', 'de', 'ru', 'be', 'fr', 'gb', 'es', 'gr', 'pt', 'tr', 'global'].map((c) => [`intl/citizenlab_${c}.csv`, CITIZENLAB])),
};

export function planFor(rel: string): SourceOptions {
  const plan = PLAN[rel];
  if (!plan) throw new Error(`no import plan for ${rel}`);
  return plan;
}
