// Building a feed from a manifest: determinism, provenance checks, grouping rules.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BuildError, buildFeed } from '../../../src/feedtool/build.ts';
import { ManifestError } from '../../../src/feedtool/manifest.ts';
import { explain } from '../../../src/core/explain.ts';
import { loadFeed, wantedHosts } from '../../../src/core/selection.ts';
import { cellValue, parseReferences, textStatesDate } from '../../../src/feedtool/references.ts';
import { makeFixture, manifestYaml, ordersYaml } from './fixture.ts';

const build = (dir: string) => buildFeed('sources.yaml', dir);

describe('build', () => {
  it('gives the same bytes twice and sorted, grouped hosts', () => {
    const dir = makeFixture();
    const a = build(dir);
    const b = build(dir);
    expect(a.text).toBe(b.text);
    expect(a.feed.entries).toEqual([
      // A host named by two sources: each order with the edition that named it for that order.
      {
        listings: [
          { order: 'case', edition: 'case-1' },
          { order: 'reg', edition: 'reg-1' },
        ],
        hosts: ['court-b.com'],
      },
      { listings: [{ order: 'case', edition: 'case-1' }], hosts: ['court-a.com'] },
      { listings: [{ order: 'reg', edition: 'reg-1' }], hosts: ['a.example.com', 'b.example.com'] },
    ]);
    expect(a.lists[0]?.rejected).toEqual([{ line: 5, text: 'nonché', reason: 'not a hostname (no dot)' }]);
    expect(a.lists[0]?.stats).toMatchObject({ kept: 3, duplicates: 1, rejected: 1, bom: true });
    expect(a.lists[1]?.alsoEarlier).toBe(1);
  });

  it('fills order metadata from the cited rows only, the act apart from its legal basis', () => {
    const { feed } = build(makeFixture());
    expect(feed.orders.case).toEqual({
      authority: 'trib',
      category: 'copyright',
      act: { kind: 'court-order', title: { en: 'blocking of two sites' }, date: '2022-03', dateAsReported: 'injunction March 2022; appeal June 2022' },
      requestedBy: 'Alfa / Beta',
      sources: [
        {
          id: 'CASE-1',
          url: 'https://example.org/case',
          kind: 'news article',
          dateAsReported: 'injunction March 2022; appeal June 2022',
          quote: 'i siti court-a.com e court-b.com',
        },
      ],
      remedies: [
        {
          id: 'R-CASE',
          remedy: 'reclamo to the court',
          body: 'the same court',
          deadline: '15 days',
          url: 'https://example.org/remedy',
          quote: "Contro l'ordinanza è ammesso reclamo",
          kind: 'statute text',
        },
      ],
    });
    // A register: its act has no reference and no date; the law is its legal basis. No status anywhere.
    expect(feed.orders.reg).toEqual({
      authority: 'adp',
      category: 'gambling',
      act: { kind: 'register', title: { it: 'registro siti inibiti' } },
      legalBasis: { text: 'art. 1, legge 1/2020' },
      sources: [{ id: 'REG-1', url: 'https://example.org/reg', kind: 'news article', dateAsReported: '2021-03 (batch)', quote: 'Il registro ... art. 1' }],
    });
  });

  it('keeps a host that a newer edition of the same source drops as removed: not enforced, still explained', () => {
    const dir = makeFixture({
      'reg2.hosts': '0.0.0.0 a.example.com\n0.0.0.0 new.example.com\n',
      'sources.yaml': manifestYaml({
        extra: '',
        lists: `  - file: reg.hosts
    orders: [reg]
    edition: reg-1
    import: { format: hosts }
  - file: reg2.hosts
    orders: [reg]
    edition: reg-2
    supersedes: reg-1
    import: { format: hosts }`,
      }).replace('  case-1: { source: "test case" }', '  case-1: { source: "test case" }\n  reg-2: { date: "2021-09", source: "test register, newer copy" }'),
    });
    const r = build(dir);
    expect(r.feed.entries).toEqual([
      { listings: [{ order: 'reg', edition: 'reg-1', removedIn: 'reg-2' }], hosts: ['b.example.com', 'court-b.com'] },
      { listings: [{ order: 'reg', edition: 'reg-2' }], hosts: ['a.example.com', 'new.example.com'] },
    ]);
    expect(r.lists[1]?.dropped).toBe(2);
    const loaded = loadFeed(r.feed);
    const XX = { jurisdictions: { XX: true }, categories: {} };
    expect(
      wantedHosts([loaded], XX)
        .map((w) => w.host)
        .sort(),
    ).toEqual(['a.example.com', 'new.example.com']);
    const gone = explain('b.example.com', [loaded], XX);
    expect(gone.blocked).toBe(false);
    expect(gone.matches[0]?.orders[0]).toMatchObject({
      enforced: false,
      edition: { id: 'reg-1', date: '2021-03' },
      removedIn: { id: 'reg-2', date: '2021-09' },
    });
  });

  it('refuses a caveat the source file does not carry', () => {
    const withCaveat = (c: string) => manifestYaml().replace('  reg-1: { date: "2021-03", source: "test register" }', `  reg-1: { date: "2021-03", source: "test register", caveat: "${c}" }`);
    expect(build(makeFixture({ 'sources.yaml': withCaveat('0.0.0.0 b.example.com') })).feed.editions['reg-1']?.caveat).toBe('0.0.0.0 b.example.com');
    expect(() => build(makeFixture({ 'sources.yaml': withCaveat('MAY CONTAIN ERRORS') }))).toThrow(/caveat "MAY CONTAIN ERRORS" does not appear/);
  });

  it('checks a caveat against the pinned file the manifest names for it (e.g. the source repository’s README)', () => {
    const readme = '# list\nTHESE LISTS MAY HOLD ERRORS\nOR MISS ENTRIES\n';
    const sha = createHash('sha256').update(readme).digest('hex');
    const withFile = (c: string, hash = sha) =>
      manifestYaml().replace(
        '  reg-1: { date: "2021-03", source: "test register" }',
        `  reg-1: { date: "2021-03", source: "test register", caveat: "${c}", caveatFile: { file: README.md, sha256: ${hash} } }`,
      );
    const ok = build(makeFixture({ 'README.md': readme, 'sources.yaml': withFile('THESE LISTS MAY HOLD ERRORS / OR MISS ENTRIES') }));
    expect(ok.feed.editions['reg-1']?.caveat).toBe('THESE LISTS MAY HOLD ERRORS / OR MISS ENTRIES');
    // The manifest-only field does not reach the feed.
    expect(ok.feed.editions['reg-1']).not.toHaveProperty('caveatFile');
    expect(() => build(makeFixture({ 'README.md': readme, 'sources.yaml': withFile('THESE LISTS ARE COMPLETE') }))).toThrow(/caveat "THESE LISTS ARE COMPLETE" does not appear in README.md/);
    expect(() => build(makeFixture({ 'README.md': `${readme}edited\n`, 'sources.yaml': withFile('OR MISS ENTRIES') }))).toThrow(/README.md: content changed/);
    expect(() => build(makeFixture({ 'sources.yaml': withFile('OR MISS ENTRIES') }))).toThrow(/README.md/);
    const noCaveat = manifestYaml().replace(
      '  reg-1: { date: "2021-03", source: "test register" }',
      `  reg-1: { date: "2021-03", source: "test register", caveatFile: { file: README.md, sha256: ${sha} } }`,
    );
    expect(() => build(makeFixture({ 'README.md': readme, 'sources.yaml': noCaveat }))).toThrow(/edition reg-1: caveatFile without a caveat/);
  });

  it('refuses an authority without a name (pages would show its id)', () => {
    const yaml = manifestYaml().replace('trib: { name: { it: "Tribunale di Prova" }, kind: court }', 'trib: { name: {}, kind: court }');
    expect(() => build(makeFixture({ 'sources.yaml': yaml }))).toThrow(/authority trib: name needs at least one language/);
  });

  it('leaves out entries a source marks as removed', () => {
    const dir = makeFixture({
      'dated.csv': 'host;listed;removed\nx.com;01.02.2020;\ny.com;01.02.2020;03.04.2021\n',
      'sources.yaml': manifestYaml({
        lists: `  - file: dated.csv
    orders: [reg]
    edition: reg-1
    import: { format: csv, separator: ";", header: true, hosts: [{ column: host }], listed: { column: listed, format: dmy }, removed: { column: removed, format: dmy } }`,
      }),
    });
    const r = build(dir);
    expect(r.feed.entries.flatMap((g) => g.hosts)).toEqual(['x.com']);
    expect(r.lists[0]?.removed).toBe(1);
    expect(r.warnings).toEqual(['order case has no entries']);
  });

  const order = ordersYaml;

  it.each([
    // Every order field needs a citation row that supports it.
    ['a title not in list_or_case', manifestYaml({ orders: order('').replace('"blocking of two sites"', '"Blocking order"') }), /act.title.en "Blocking order" is not the list_or_case/],
    ['a date the row does not state', manifestYaml({ orders: order('', ', dateFrom: CASE-1, date: "2022-04"') }), /act.date 2022-04 is not stated by row CASE-1/],
    ['a date without dateFrom', manifestYaml({ orders: order('', ', date: "2022-03"') }), /act.date needs act.dateFrom/],
    ['a requester not in the authority cell', manifestYaml({ orders: order('    requestedBy: "Gamma"\n') }), /requestedBy "Gamma" does not appear/],
    ['a reference not in the rows', manifestYaml({ orders: order('', ', reference: "Delibera 1/99"') }), /act.reference "Delibera 1\/99" does not appear/],
    ['a legal basis from a row that states none', manifestYaml({ orders: order('    legalBasis: { from: CASE-1 }\n') }), /legalBasis.from row CASE-1 states no legal basis/],
    [
      'a legal-basis date the row does not state',
      manifestYaml({ orders: order('').replace('legalBasis: { from: REG-1 }', 'legalBasis: { from: REG-1, date: "2020-01-01" }') }),
      /legalBasis.date 2020-01-01 is not stated by row REG-1/,
    ],
    ['a legal basis from a row the order does not cite', manifestYaml({ orders: order('    legalBasis: { from: REG-1 }\n') }), /legalBasis.from REG-1 is not one of its refs/],
    [
      'an addressee no row names',
      manifestYaml({ orders: order('    addressedTo: { kind: isps, ref: CASE-1, quote: "ordered the ISPs" }\n') }),
      /addressedTo.quote "ordered the ISPs" does not appear in row CASE-1/,
    ],
    ['an unknown remedy', manifestYaml({ orders: order('    remedies: [R-NONE]\n') }), /remedy R-NONE is not in remedies.csv/],
    ['a remedy of another jurisdiction', manifestYaml({ orders: order('    remedies: [R-YY]\n') }), /remedy R-YY is for YY, not XX/],
    ['an unknown ref', manifestYaml({ orders: order('').replace('refs: [CASE-1]', 'refs: [CASE-9]') }), /ref CASE-9 is not in refs.csv/],
    ['an authority name not in the table', manifestYaml().replace('name: { it: "Tribunale di Prova" }', 'name: { it: "Corte di Prova" }'), /authority trib: "Corte di Prova" does not appear/],
    ['an unknown order in a list', manifestYaml().replace('orders: [reg]', 'orders: [nope]'), /unknown order nope/],
    ['an unknown edition in a list', manifestYaml().replace('edition: reg-1\n', 'edition: reg-9\n'), /unknown edition reg-9/],
    ['a references list for a row no order cites', manifestYaml().replace('ref: CASE-1', 'ref: REG-1'), /none of its orders cites ref REG-1/],
    ['a changed source file', manifestYaml().replace('    import: { format: hosts }', `    sha256: ${'a'.repeat(64)}\n    import: { format: hosts }`), /reg.hosts: content changed/],
    ['a missing source file', manifestYaml().replace('file: reg.hosts', 'file: gone.hosts'), /source .*gone.hosts: no such file/],
  ])('refuses %s', (_name, yaml, message) => {
    const dir = makeFixture({ 'sources.yaml': yaml });
    expect(() => build(dir)).toThrow(BuildError);
    expect(() => build(dir)).toThrow(message);
  });

  it.each([
    ['an unquoted time', manifestYaml().replace('"2026-01-01T00:00:00Z"', '2026-01-01'), /generated/],
    ['an unknown field', manifestYaml().replace('serial: 7', 'serial: 7\ncolour: red'), /colour/],
    ['a bad category', manifestYaml().replace('category: gambling', 'category: fun'), /category/],
    ['broken YAML', 'format: [1', /not valid YAML/],
    ['format 1 (v1 orders had no act)', manifestYaml().replace('format: 2', 'format: 1'), /manifest format is 2/],
  ])('rejects a manifest with %s', (_name, yaml, message) => {
    const dir = makeFixture({ 'sources.yaml': yaml });
    expect(() => build(dir)).toThrow(ManifestError);
    expect(() => build(dir)).toThrow(message);
  });

  it('a manifest that fails the feed schema is reported, not written', () => {
    const dir = makeFixture({ 'sources.yaml': manifestYaml().replace('expires: "2027-01-01T00:00:00Z"', 'expires: "2025-01-01T00:00:00Z"') });
    expect(() => build(dir)).toThrow(/expires must be after generated/);
  });
});

describe('citation table helpers', () => {
  it('cell values: parenthesised notes are not values', () => {
    expect(cellValue('(not stated)')).toBeUndefined();
    expect(cellValue('  ')).toBeUndefined();
    expect(cellValue('2023-05-10')).toBe('2023-05-10');
    expect(cellValue('Decreto (art. 1)')).toBe('Decreto (art. 1)');
  });
  it('dates stated in text', () => {
    expect(textStatesDate('injunction July 2022; appeal rejected November 2022', '2022-07')).toBe(true);
    expect(textStatesDate('injunction July 2022', '2022-11')).toBe(false);
    expect(textStatesDate('adopted 2013-12-12; in force 2014-03-31', '2013-12-12')).toBe(true);
    expect(textStatesDate('adopted 2013-12-12', '2013-12')).toBe(false);
    expect(textStatesDate('Il 12 dicembre 2013', '2013-12-12')).toBe(true);
    expect(textStatesDate('Il 12 dicembre 2013', '2013-12-13')).toBe(false);
  });
  it('the table itself must be well formed', () => {
    expect(() => parseReferences(new TextEncoder().encode('ref_id,authority\nA,b\n'), 'bad.csv')).toThrow(/lacks column/);
    const dup = `${'ref_id,authority,list_or_case,legal_basis_as_quoted,event_date_as_reported,domains_named,source_url,source_kind,quote_excerpt'}\nA,,,,,,https://a.org,,\nA,,,,,,https://a.org,,\n`;
    expect(() => parseReferences(new TextEncoder().encode(dup), 'dup.csv')).toThrow('dup.csv:3: duplicate ref_id A');
    const open = `${'ref_id,authority,list_or_case,legal_basis_as_quoted,event_date_as_reported,domains_named,source_url,source_kind,quote_excerpt'}\nA,,,"unclosed,,,https://a.org,,\n`;
    expect(() => parseReferences(new TextEncoder().encode(open), 'open.csv')).toThrow(/^open\.csv: line 2: a quoted field opened in this row is never closed/);
  });
});
