// The embedded Italian feed: reproducible from lists/it, signed by the release key, and true to
// its sources (every entry under its register, the Milan domains under the court order).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseFeed, type Feed } from '../../../src/core/feed.ts';
import { parsePublicKey, verify } from '../../../src/core/signature.ts';
import { buildFeed, type BuildResult } from '../../../src/feedtool/build.ts';
import { importSource } from '../../../src/feedtool/importers/index.ts';
import { parseReferences } from '../../../src/feedtool/references.ts';
import { REPO_ROOT } from '../../support/paths.ts';

const FEED = join(REPO_ROOT, 'extension/feeds/IT.json');
const SOURCES = join(REPO_ROOT, 'lists/it/sources');
let built: BuildResult;
let committed: Feed;
beforeAll(() => {
  built = buildFeed('lists/it/sources.yaml', REPO_ROOT);
  const r = parseFeed(readFileSync(FEED));
  if (!r.ok) throw new Error(r.errors.join('; '));
  committed = r.feed;
});

const groupOf = (feed: Feed, host: string) => feed.entries.find((g) => g.hosts.includes(host));

describe('extension/feeds/IT.json', () => {
  it('equals a fresh build of lists/it/sources.yaml, byte for byte', () => {
    expect(built.text).toBe(readFileSync(FEED, 'utf8'));
  });

  it('is signed by keys/release.pub.json', async () => {
    const key = parsePublicKey(JSON.parse(readFileSync(join(REPO_ROOT, 'keys/release.pub.json'), 'utf8')));
    expect(key).not.toBeNull();
    const r = await verify(new Uint8Array(readFileSync(FEED)), readFileSync(`${FEED}.sig`, 'utf8'), key ? [key] : []);
    expect(r).toEqual({ ok: true, keyId: key?.keyId });
  });

  it('counts per source after canonicalisation and dedupe (see docs/feed-format.md)', () => {
    const rows = built.lists.map((l) => [l.file.replace('lists/it/sources/', ''), l.stats.lines, l.stats.candidates, l.stats.kept, l.stats.duplicates, l.stats.rejected, l.alsoEarlier]);
    expect(rows).toEqual([
      ['censura-it_aams.hosts', 9685, 9685, 9685, 0, 0, 0],
      ['censura-it_tabacchi.hosts', 745, 745, 742, 3, 0, 0],
      ['censura-it_agcom.hosts', 3538, 3538, 3507, 31, 0, 0],
      ['consob_2024020200.txt', 1153, 1150, 1145, 5, 0, 0],
      ['it_legal_basis_references.csv', 14, 3, 3, 0, 0, 3],
    ]);
    expect(committed.entries.reduce((n, g) => n + g.hosts.length, 0)).toBe(15079);
    expect(committed.entries.map((g) => [g.orders, g.edition, g.hosts.length])).toEqual([
      [['adm-giochi'], 'adm-giochi-2023-09-25', 9685],
      [['adm-tabacchi'], 'adm-tabacchi-2023-09-25', 742],
      [['agcom-680-13'], 'agcom-2023-09-25', 3504],
      [['agcom-680-13', 'tribunale-milano-2022'], 'agcom-2023-09-25', 3],
      [['consob'], 'consob-2024-02-02', 1145],
    ]);
  });

  it('maps the three Milan domains to the Tribunale di Milano 2022 order (and AGCOM, which lists them too)', () => {
    for (const host of ['kickasstorrents.to', 'limetorrents.pro', 'ilcorsaronero.pro']) {
      expect(groupOf(committed, host)?.orders).toEqual(['agcom-680-13', 'tribunale-milano-2022']);
    }
    const o = committed.orders['tribunale-milano-2022'];
    expect(o).toMatchObject({ authority: 'tribunale-milano', category: 'copyright', date: '2022-07', requestedBy: 'Sony Music / Universal Music / Warner Music' });
    expect(o?.legalBasis).toBeUndefined();
    expect(o?.reference).toBeUndefined();
    expect(o?.sources.map((s) => s.id)).toEqual(['TRIB-MI-2022', 'TRIB-MI-2022b']);
  });

  it('puts every entry of each register file under its register order', () => {
    const cases = [
      ['censura-it_aams.hosts', 'adm-giochi'],
      ['censura-it_tabacchi.hosts', 'adm-tabacchi'],
      ['censura-it_agcom.hosts', 'agcom-680-13'],
    ] as const;
    for (const [file, order] of cases) {
      const r = importSource(new Uint8Array(readFileSync(join(SOURCES, file))), { format: 'hosts' });
      for (const e of r.entries) expect(groupOf(committed, e.host)?.orders, `${file} ${e.host}`).toContain(order);
    }
    const consob = importSource(new Uint8Array(readFileSync(join(SOURCES, 'consob_2024020200.txt'))), { format: 'lines', extract: true });
    expect(consob.entries).toHaveLength(1145);
    for (const e of consob.entries) expect(groupOf(committed, e.host)?.orders).toEqual(['consob']);
    expect(groupOf(committed, 'www.capo-invest.com')?.orders).toEqual(['consob']);
  });

  it('carries order metadata only as the citation table states it', () => {
    const refs = parseReferences(new Uint8Array(readFileSync(join(SOURCES, 'it_legal_basis_references.csv'))), 'refs');
    for (const [id, order] of Object.entries(committed.orders)) {
      for (const s of order.sources) {
        const row = refs.get(s.id ?? '');
        expect(row, `${id} cites ${s.id}`).toBeDefined();
        expect(s.url).toBe(row?.source_url);
        expect(s.quote).toBe(row?.quote_excerpt);
      }
      if (order.legalBasis) expect([...refs.values()].map((r) => r.legal_basis_as_quoted)).toContain(order.legalBasis);
      for (const t of Object.values(order.title)) expect([...refs.values()].map((r) => r.list_or_case)).toContain(t);
      expect(order.url).toBeUndefined();
    }
    for (const a of Object.values(committed.authorities)) {
      expect(a.contest).toBeUndefined();
      expect(a.website).toBeUndefined();
    }
    expect(committed.orders['agcom-680-13']).toMatchObject({ reference: 'Delibera n. 680/13/CONS', date: '2013-12-12', dateAsReported: 'adopted 2013-12-12; in force 2014-03-31' });
    expect(committed.editions['consob-2024-02-02']).toMatchObject({ commit: '147c4c0f07311adaaaa3875871606f0d2c6eaf42', licence: 'GPL-2.0 (licence of the source repository)' });
  });

  // The copies' bytes and the Piracy Shield overlap are checked against the shared corpus in
  // test/corpus/italian-sources.corpus.test.ts (`npm run test:corpus`).
  it('ships neither Piracy Shield nor citizenlab data', () => {
    expect(Object.values(committed.editions).some((e) => /piracy|citizenlab/i.test(`${e.source} ${e.url ?? ''}`))).toBe(false);
  });
});
