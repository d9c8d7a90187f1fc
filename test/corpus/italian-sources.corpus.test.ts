// The Italian sources against the shared corpus (`npm run test:corpus`): the copies in lists/it/sources
// are byte-for-byte the shared files, and the embedded feed is not a copy of Piracy Shield.
// The feed's own checks, on the in-repo copies, are in test/unit/feedtool/italian-feed.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../src/core/feed.ts';
import { importSource } from '../../src/feedtool/importers/index.ts';
import { REPO_ROOT } from '../support/paths.ts';
import { realFile } from './shared-data.ts';

const SOURCES = join(REPO_ROOT, 'lists/it/sources');

describe('lists/it/sources and the shared corpus', () => {
  it('ships exact copies of the shared sources', () => {
    for (const f of ['censura-it_aams.hosts', 'censura-it_tabacchi.hosts', 'censura-it_agcom.hosts', 'consob_2024020200.txt', 'it_legal_basis_references.csv']) {
      expect(Buffer.from(readFileSync(join(SOURCES, f))).equals(Buffer.from(realFile(`it/${f}`))), f).toBe(true);
    }
  });

  it('the embedded feed is not a copy of Piracy Shield', () => {
    const r = parseFeed(readFileSync(join(REPO_ROOT, 'extension/feeds/IT.json')));
    if (!r.ok) throw new Error(r.errors.join('; '));
    const ps = importSource(realFile('it/piracyshield_routingtable_fqdns.txt'), { format: 'lines' });
    const all = new Set(r.feed.entries.flatMap((g) => g.hosts));
    const shared = ps.entries.filter((e) => all.has(e.host)).length;
    // Overlap can only come from the registers themselves; the feed is not a superset.
    expect(shared).toBeLessThan(ps.entries.length / 10);
  });
});
