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

  it('is signed by keys/release-2026-12-04.pub.json', async () => {
    const key = parsePublicKey(JSON.parse(readFileSync(join(REPO_ROOT, 'keys/release-2026-12-04.pub.json'), 'utf8')));
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
    expect(committed.entries.map((g) => [g.listings.map((l) => `${l.order}@${l.edition}`), g.hosts.length])).toEqual([
      [['adm-giochi@adm-giochi-2023-09-25'], 9685],
      [['adm-tabacchi@adm-tabacchi-2023-09-25'], 742],
      [['agcom-copyright@agcom-2023-09-25', 'tribunale-milano-2022@tribunale-milano-2022-press'], 3],
      [['agcom-copyright@agcom-2023-09-25'], 3504],
      [['consob@consob-2024-02-02'], 1145],
    ]);
  });

  it('maps the three Milan domains to the Tribunale di Milano 2022 order, named by the press report (and AGCOM’s, named by the ISP’s compilation)', () => {
    for (const host of ['kickasstorrents.to', 'limetorrents.pro', 'ilcorsaronero.pro']) {
      expect(groupOf(committed, host)?.listings).toEqual([
        { order: 'agcom-copyright', edition: 'agcom-2023-09-25' },
        { order: 'tribunale-milano-2022', edition: 'tribunale-milano-2022-press' },
      ]);
    }
    const o = committed.orders['tribunale-milano-2022'];
    expect(o).toMatchObject({
      authority: 'tribunale-milano',
      category: 'copyright',
      act: { kind: 'court-order', date: '2022-07' },
      addressedTo: { kind: 'dns-resolver', name: 'Cloudflare' },
      requestedBy: 'Sony Music / Universal Music / Warner Music',
    });
    expect(o?.legalBasis).toBeUndefined();
    expect(o?.act.reference).toBeUndefined();
    expect(committed.editions['tribunale-milano-2022-press']?.url).toBe('https://www.punto-informatico.it/cloudflare-perde-ancora-deve-bloccare-siti-pirata/');
    expect(o?.sources.map((s) => s.id)).toEqual(['TRIB-MI-2022', 'TRIB-MI-2022b']);
    // Its cited row says the reclamo against the injunction was rejected in November 2022: the
    // 15-day reclamo of art. 669-terdecies c.p.c. (open to the parties) is not offered again.
    expect(o?.sources[0]?.dateAsReported).toContain('appeal rejected November 2022');
    expect(o).not.toHaveProperty('remedies');
  });

  it('carries the censura-it README’s warning on each of its three lists, and the remedies’ source kinds', () => {
    const readme = readFileSync(join(SOURCES, 'censura-it_README.md'), 'utf8');
    for (const id of ['adm-giochi-2023-09-25', 'adm-tabacchi-2023-09-25', 'agcom-2023-09-25']) {
      const caveat = committed.editions[id]?.caveat ?? '';
      expect(caveat, id).toContain('potrebbero esserci errori o entry mancanti');
      for (const part of caveat.split(' / ')) expect(readme).toContain(part);
    }
    const kinds = Object.values(committed.orders).flatMap((o) => (o.remedies ?? []).map((r) => [r.id, r.kind]));
    expect(kinds).toContainEqual(['IT-TAR-LAZIO-AGCOM', 'statute text on a secondary site; general rule, not an AGCOM-specific notice']);
  });

  it('puts every entry of each register file under its register order', () => {
    const cases = [
      ['censura-it_aams.hosts', 'adm-giochi'],
      ['censura-it_tabacchi.hosts', 'adm-tabacchi'],
      ['censura-it_agcom.hosts', 'agcom-copyright'],
    ] as const;
    for (const [file, order] of cases) {
      const r = importSource(new Uint8Array(readFileSync(join(SOURCES, file))), { format: 'hosts' });
      for (const e of r.entries)
        expect(
          groupOf(committed, e.host)?.listings.map((l) => l.order),
          `${file} ${e.host}`,
        ).toContain(order);
    }
    const consob = importSource(new Uint8Array(readFileSync(join(SOURCES, 'consob_2024020200.txt'))), { format: 'lines', extract: true });
    expect(consob.entries).toHaveLength(1145);
    for (const e of consob.entries) expect(groupOf(committed, e.host)?.listings.map((l) => l.order)).toEqual(['consob']);
    expect(groupOf(committed, 'www.capo-invest.com')?.listings.map((l) => l.order)).toEqual(['consob']);
  });

  it('carries order metadata only as the citation table states it', () => {
    const refs = new Map([
      ...parseReferences(new Uint8Array(readFileSync(join(SOURCES, 'it_legal_basis_references.csv'))), 'refs'),
      ...parseReferences(new Uint8Array(readFileSync(join(REPO_ROOT, 'lists/it/references-added.csv'))), 'added'),
    ]);
    for (const [id, order] of Object.entries(committed.orders)) {
      for (const s of order.sources) {
        const row = refs.get(s.id ?? '');
        expect(row, `${id} cites ${s.id}`).toBeDefined();
        expect(s.url).toBe(row?.source_url);
        expect(s.quote).toBe(row?.quote_excerpt);
      }
      if (order.legalBasis) expect([...refs.values()].map((r) => r.legal_basis_as_quoted)).toContain(order.legalBasis.text);
      for (const t of Object.values(order.act.title ?? {})) expect([...refs.values()].map((r) => r.list_or_case)).toContain(t);
      expect(order.url).toBeUndefined();
    }
    for (const a of Object.values(committed.authorities)) {
      expect(a.contest).toBeUndefined();
      expect(a.website).toBeUndefined();
    }
    // 680/13/CONS is AGCOM's regulation, so the legal basis, with its 2013 date; the act (a listing
    // in an ISP's compilation of AGCOM blocks) has no reference and no date of its own.
    expect(committed.orders['agcom-copyright']).toMatchObject({
      act: { kind: 'register' },
      legalBasis: { date: '2013-12-12', title: { it: "Regolamento diritto d'autore online" } },
    });
    expect(committed.orders['agcom-copyright']?.legalBasis?.text).toMatch(/^Delibera n\. 680\/13\/CONS/);
    expect(committed.orders['agcom-copyright']?.act).toEqual({ kind: 'register' });
    // The tobacco list cites ADM's tobacco page only, and says nothing no source says.
    expect(committed.orders['adm-tabacchi']?.sources.map((x) => x.url)).toEqual(['https://www.agenziadoganemonopoli.gov.it/portale/web/guest/siti-inibiti-tabacchi']);
    expect(committed.orders['adm-tabacchi']).not.toHaveProperty('addressedTo');
    expect(committed.orders['adm-tabacchi']).not.toHaveProperty('remedies');
    expect(committed.editions['consob-2024-02-02']?.caveat).toBe('LISTA DA CONTROLLARE, MODIFICARE E INTEGRARE / POTREBBE CONTENERE ERRORI');
    expect(JSON.stringify(committed.orders)).not.toMatch(/"status"/);
    expect(committed.editions['consob-2024-02-02']).toMatchObject({
      commit: '147c4c0f07311adaaaa3875871606f0d2c6eaf42',
      licence: 'GPL-2.0 (licence of the source repository)',
    });
  });

  // The copies' bytes and the Piracy Shield overlap are checked against the shared corpus in
  // test/corpus/italian-sources.corpus.test.ts (`npm run test:corpus`).
  it('ships neither Piracy Shield nor citizenlab data', () => {
    expect(Object.values(committed.editions).some((e) => /piracy|citizenlab/i.test(`${e.source} ${e.url ?? ''}`))).toBe(false);
  });
});
