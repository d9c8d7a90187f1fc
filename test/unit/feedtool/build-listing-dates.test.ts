// Per-host facts in the build: a listing's own date (act.listingDate), entries kept as removed on a
// date (dropRemoved: false), dates taken from another file, and a date kept across superseding editions.
import { describe, expect, it } from 'vitest';
import { BuildError, buildFeed } from '../../../src/feedtool/build.ts';
import { explain } from '../../../src/core/explain.ts';
import { loadFeed, wantedHosts } from '../../../src/core/selection.ts';
import { makeFixture, manifestYaml, ordersYaml } from './fixture.ts';

const build = (dir: string) => buildFeed('sources.yaml', dir);
const datedOrders = ordersYaml('').replace('act: { kind: register, title: { it: "registro siti inibiti" } }', 'act: { kind: register, listingDate: published }');
const csvImport = 'import: { format: csv, separator: ";", header: true, hosts: [{ column: host }], listed: { column: listed, format: dmy }, removed: { column: removed, format: dmy } }';

describe('per-host dates and removals', () => {
  it('keeps removed entries with their date when dropRemoved is false; they explain but never block', () => {
    const dir = makeFixture({
      'dated.csv': 'host;listed;removed\nx.com;01.02.2020;\ny.com;05.06.2020;03.04.2021\n',
      'sources.yaml': manifestYaml({
        orders: datedOrders,
        lists: `  - file: dated.csv\n    orders: [reg]\n    edition: reg-1\n    dropRemoved: false\n    ${csvImport}`,
      }),
    });
    const r = build(dir);
    expect(r.feed.entries).toEqual([
      { listings: [{ order: 'reg', edition: 'reg-1', date: '2020-02-01' }], hosts: ['x.com'] },
      { listings: [{ order: 'reg', edition: 'reg-1', date: '2020-06-05', removed: '2021-04-03' }], hosts: ['y.com'] },
    ]);
    expect(r.feed.orders['reg']?.act.listingDate).toBe('published');
    expect(r.lists[0]).toMatchObject({ removed: 1, removedKept: 1 });
    const loaded = loadFeed(r.feed);
    const sel = { jurisdictions: { XX: true }, categories: {} };
    expect(wantedHosts([loaded], sel).map((w) => w.host)).toEqual(['x.com']);
    const ex = explain('y.com', [loaded], sel);
    expect(ex.blocked).toBe(false);
    expect(ex.matches[0]?.orders[0]?.listing?.removed).toBe('2021-04-03');
  });

  it('stops when an order takes per-host dates and a host has none', () => {
    const dir = makeFixture({
      'sources.yaml': manifestYaml({ orders: datedOrders, lists: '  - file: reg.hosts\n    orders: [reg]\n    edition: reg-1\n    import: { format: hosts }' }),
    });
    expect(() => build(dir)).toThrow(BuildError);
    expect(() => build(dir)).toThrow(/has no date, but its order's act takes the date of each listing/);
  });

  it('takes dates from a `dates` file and keeps them when a newer edition supersedes the older', () => {
    const dir = makeFixture({
      'r1.txt': '#Serial: 1\na.com\nb.com\n',
      'r2.txt': '#Serial: 2\na.com\nc.com\n',
      'dates.csv': 'domain,date\na.com,2019-09-03\nb.com,2019-09-03\nc.com,2019-10-08\n',
      'sources.yaml': manifestYaml({
        orders: datedOrders,
        lists: `  - file: r1.txt
    orders: [reg]
    edition: reg-1
    import: { format: lines }
    dates: { file: dates.csv, import: { format: csv, header: true, hosts: [{ column: domain }], listed: { column: date, format: iso } } }
  - file: r2.txt
    orders: [reg]
    edition: case-1
    supersedes: reg-1
    import: { format: lines }
    dates: { file: dates.csv, import: { format: csv, header: true, hosts: [{ column: domain }], listed: { column: date, format: iso } } }`,
      }),
    });
    const r = build(dir);
    const of = (h: string) => r.feed.entries.find((g) => g.hosts.includes(h))?.listings;
    expect(of('a.com')).toEqual([{ order: 'reg', edition: 'case-1', date: '2019-09-03' }]);
    expect(of('b.com')).toEqual([{ order: 'reg', edition: 'reg-1', removedIn: 'case-1', date: '2019-09-03' }]);
    expect(of('c.com')).toEqual([{ order: 'reg', edition: 'case-1', date: '2019-10-08' }]);
  });
});
