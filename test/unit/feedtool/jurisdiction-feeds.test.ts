// The embedded German, Czech and Swiss feeds: each importer on its real file copy (counts,
// encodings, removed entries, per-entry dates), each feed reproducible and signed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isListingRemoved, parseFeed, type Feed, type Listing } from '../../../src/core/feed.ts';
import { parsePublicKey, verify } from '../../../src/core/signature.ts';
import { buildFeed, importOptions } from '../../../src/feedtool/build.ts';
import { parseManifest } from '../../../src/feedtool/manifest.ts';
import { importSource } from '../../../src/feedtool/importers/index.ts';
import { compile, CONSERVATIVE_LIMITS } from '../../../src/core/compiler.ts';
import { explain } from '../../../src/core/explain.ts';
import { DEFAULT_SELECTION, loadFeed, wantedHosts } from '../../../src/core/selection.ts';
import { REPO_ROOT } from '../../support/paths.ts';

const file = (p: string) => new Uint8Array(readFileSync(join(REPO_ROOT, p)));

/** A source file read with the import options its list's manifest gives it (lists/<cc>/sources.yaml), as the build reads it. */
function importAsBuilt(code: string, source: string): ReturnType<typeof importSource> {
  const manifest = parseManifest(readFileSync(join(REPO_ROOT, `lists/${code}/sources.yaml`), 'utf8'), `lists/${code}/sources.yaml`);
  const specs = manifest.lists.flatMap((l) => [[l.file, l.import] as const, ...(l.dates ? [[l.dates.file, l.dates.import] as const] : [])]);
  const spec = specs.find(([f]) => f === `sources/${source}`)?.[1];
  if (!spec) throw new Error(`lists/${code}/sources.yaml does not list sources/${source}`);
  return importSource(file(`lists/${code}/sources/${source}`), importOptions(spec));
}
function committed(code: string): Feed {
  const r = parseFeed(readFileSync(join(REPO_ROOT, `extension/feeds/${code}.json`)));
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.feed;
}
function listingOf(feed: Feed, host: string): readonly Listing[] | undefined {
  return feed.entries.find((g) => g.hosts.includes(host))?.listings;
}
const hostCount = (feed: Feed) => feed.entries.reduce((n, g) => n + g.hosts.length, 0);

describe.each(['DE', 'CZ', 'CH'])('extension/feeds/%s.json', (code) => {
  it('equals a fresh build of its manifest, byte for byte', () => {
    const built = buildFeed(`lists/${code.toLowerCase()}/sources.yaml`, REPO_ROOT);
    expect(built.text).toBe(readFileSync(join(REPO_ROOT, `extension/feeds/${code}.json`), 'utf8'));
  });

  it('is signed by keys/release-2026-12-04.pub.json', async () => {
    const key = parsePublicKey(JSON.parse(readFileSync(join(REPO_ROOT, 'keys/release-2026-12-04.pub.json'), 'utf8')));
    const path = join(REPO_ROOT, `extension/feeds/${code}.json`);
    const r = await verify(new Uint8Array(readFileSync(path)), readFileSync(`${path}.sig`, 'utf8'), key ? [key] : []);
    expect(r).toEqual({ ok: true, keyId: key?.keyId });
  });
});

describe('Germany: the leaked CUII list', () => {
  const result = importAsBuilt('de', 'de_cuii_blocked_domains_2024-08.csv');

  it('reads 275 domains, each with its blocking date (2021-03-30 to 2024-08-21)', () => {
    expect(result.stats).toMatchObject({ lines: 276, candidates: 275, kept: 275, duplicates: 0, rejected: 0, encoding: 'utf-8', crlf: false });
    expect(result.entries.every((e) => /^\d{4}-\d{2}-\d{2}$/.test(e.listed ?? ''))).toBe(true);
    const dates = result.entries.map((e) => e.listed ?? '').sort();
    expect([dates[0], dates[dates.length - 1]]).toEqual(['2021-03-30', '2024-08-21']);
    expect(result.entries.filter((e) => e.host.startsWith('www')).length).toBe(114);
    expect(result.entries.find((e) => e.host === 'astrotheque.net')?.listed).toBe('2024-07-21');
  });

  it('the feed: a private body, a leaked edition, one dated listing per host', () => {
    const feed = committed('DE');
    expect(hostCount(feed)).toBe(275);
    expect(feed.authorities['cuii']).toMatchObject({ short: 'CUII', kind: 'private-body' });
    expect(feed.editions['cuii-2024-08']?.leaked).toBe(true);
    expect(feed.orders['cuii']?.act).toEqual({ kind: 'register', listingDate: 'blocked-from' });
    expect(listingOf(feed, 'astrotheque.net')).toEqual([{ order: 'cuii', edition: 'cuii-2024-08', date: '2024-07-21' }]);
  });
});

describe('Czechia: the Ministry of Finance list (cp1250, ";", CRLF)', () => {
  const result = importAsBuilt('cz', 'cz_mfcr_unauthorized_internet_games_v70.csv');

  it('reads 743 rows in windows-1250 with CRLF, each with the date published; 22 with a removal date', () => {
    expect(result.stats).toMatchObject({ lines: 744, candidates: 743, kept: 743, rejected: 0, encoding: 'windows-1250', crlf: true });
    expect(result.entries.every((e) => e.listed !== undefined)).toBe(true);
    expect(result.entries.filter((e) => e.removed !== undefined).length).toBe(22);
    expect(result.entries.find((e) => e.host === '1xbet.com')).toMatchObject({ listed: '2017-07-26', removed: '2023-01-04' });
    // Upper case and trailing spaces in the source are canonicalised.
    expect(result.entries.find((e) => e.host === '1xiiv.xyz')).toMatchObject({ listed: '2018-02-15', removed: '2023-01-04' });
    expect(result.entries.find((e) => e.host === 'nationalcasino.co')).toBeDefined();
  });

  it('the feed keeps removed entries as removed on their date, not enforced', () => {
    const feed = committed('CZ');
    expect(hostCount(feed)).toBe(743);
    expect(listingOf(feed, '1xbet.com')).toEqual([{ order: 'mf-internet-games', edition: 'mf-v70', date: '2017-07-26', removed: '2023-01-04' }]);
    expect(listingOf(feed, 'thelotter.com')).toEqual([{ order: 'mf-internet-games', edition: 'mf-v70', date: '2017-08-15' }]);
    const removed = feed.entries.filter((g) => g.listings.every(isListingRemoved)).reduce((n, g) => n + g.hosts.length, 0);
    expect(removed).toBe(22);
  });
});

describe('Switzerland: Comlot releases of 2019-2020', () => {
  it('reads the four releases (65, 82, 88, 101 domains; "#" header lines skipped)', () => {
    const counts = ['20190903', '20191008', '20191126', '20200317'].map((d) => {
      const r = importAsBuilt('ch', `ch_comlot_blacklist_${d}.txt`);
      return [r.stats.kept, r.stats.skipped, r.stats.rejected];
    });
    expect(counts).toEqual([
      [65, 2, 0],
      [82, 2, 0],
      [88, 2, 0],
      [101, 2, 0],
    ]);
  });

  it('reads a blocking-order date for each of the 106 domains of the orders file', () => {
    const r = importAsBuilt('ch', 'ch_comlot_blacklist_2019-2020_orders.csv');
    expect(r.stats.kept).toBe(106);
    const byDate = new Map<string, number>();
    for (const e of r.entries) byDate.set(e.listed ?? '', (byDate.get(e.listed ?? '') ?? 0) + 1);
    expect(Object.fromEntries(byDate)).toEqual({ '2019-09-03': 65, '2019-10-08': 17, '2019-11-26': 11, '2020-03-17': 13 });
  });

  it('the feed: 101 enforced, 5 removed in the release of 26 November 2019, each with its order date', () => {
    const feed = committed('CH');
    expect(hostCount(feed)).toBe(106);
    for (const host of ['bsupporter.com', 'cashpoint.com', 'tipwin.com', 'tipwin.de', 'xtip.de']) {
      expect(listingOf(feed, host), host).toEqual([{ order: 'comlot-sperrliste', edition: 'comlot-2019-10-08', removedIn: 'comlot-2019-11-26', date: '2019-09-03' }]);
    }
    expect(listingOf(feed, '1xbet.com')).toEqual([{ order: 'comlot-sperrliste', edition: 'comlot-2020-03-17', date: '2019-09-03' }]);
    expect(feed.orders['comlot-sperrliste']?.legalBasis?.text).toBe('Artikel 86 ff. des Bundesgesetzes über Geldspiele sowie Artikel 88 ff. der Verordnung über Geldspiele');
  });

  it('cites the legal basis verbatim from the PDF', () => {
    // The PDF's text (pdftotext) of page 1; the citation row quotes it.
    const pdf = readFileSync(join(REPO_ROOT, 'lists/ch/sources/ch_comlot_blacklist_20200317.pdf'));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const refs = readFileSync(join(REPO_ROOT, 'lists/ch/references.csv'), 'utf8');
    expect(refs).toContain('gestützt auf Artikel 86 ff. des Bundesgesetzes über Geldspiele sowie Artikel 88 ff. der Verordnung über Geldspiele gesperrt');
  });
});

describe('all four jurisdictions on', () => {
  const feeds = ['IT', 'DE', 'CZ', 'CH'].map((c) => loadFeed(committed(c)));
  const sel = { jurisdictions: { IT: true, DE: true, CZ: true, CH: true }, categories: {} };

  it("compiles within the browsers' rule limits (Firefox: 5,000 dynamic rules in all)", () => {
    const wanted = wantedHosts(feeds, sel);
    const r = compile(wanted, [], { blockPageUrl: 'chrome-extension://x/src/pages/blocked.html', blockSubresources: true, limits: CONSERVATIVE_LIMITS });
    expect(r.errors).toEqual([]);
    expect(r.rules.length).toBeLessThanOrEqual(CONSERVATIVE_LIMITS.maxDynamicRules);
    // Removed CZ and CH entries are not wanted; enforced ones are.
    const hosts = new Set(wanted.map((w) => w.host));
    expect(hosts.has('tipwin.com')).toBe(false);
    expect(hosts.has('powercasino.bet')).toBe(false);
    expect(hosts.has('thelotter.com')).toBe(true);
    expect(hosts.has('astrotheque.net')).toBe(true);
  });

  it('a host listed by several jurisdictions gets the orders of each enabled one', () => {
    // 1xbet.com: removed from the Czech list on 2023-01-04, still on the Swiss one.
    const ex = explain('https://1xbet.com/', feeds, sel);
    expect(ex.matches.map((m) => [m.jurisdiction, m.enforced])).toEqual(
      expect.arrayContaining([
        ['CZ', false],
        ['CH', true],
      ]),
    );
    expect(ex.blocked).toBe(true);
    const off = explain('https://1xbet.com/', feeds, { ...sel, jurisdictions: { CZ: true } });
    expect(off.blocked).toBe(false);
    expect(off.matches.find((m) => m.jurisdiction === 'CZ')?.orders[0]?.listing).toEqual({
      order: 'mf-internet-games',
      edition: 'mf-v70',
      date: '2017-07-26',
      removed: '2023-01-04',
    });
  });

  it('Germany, Czechia and Switzerland are off by default', () => {
    const wanted = new Set(wantedHosts(feeds, DEFAULT_SELECTION).map((w) => w.host));
    expect(wanted.has('astrotheque.net')).toBe(false);
    expect(wanted.has('webmoneycasino.com')).toBe(false);
    expect(wanted.has('bet-at-home.com')).toBe(false);
  });
});
