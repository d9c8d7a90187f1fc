// The German, Czech and Swiss sources against the shared corpus (`npm run test:corpus`): the copies
// in lists/<cc>/sources are byte-for-byte the shared files. Russia's lists stay a parser and scale
// corpus: no Russian list or feed ships.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/paths.ts';
import { realFile } from './shared-data.ts';

const COPIES: Record<string, readonly string[]> = {
  de: ['de_cuii_blocked_domains_2024-08.csv'],
  cz: ['cz_mfcr_unauthorized_internet_games_v70.csv'],
  ch: [
    'ch_comlot_blacklist_20190903.txt',
    'ch_comlot_blacklist_20191008.txt',
    'ch_comlot_blacklist_20191126.txt',
    'ch_comlot_blacklist_20200317.txt',
    'ch_comlot_blacklist_20200317.pdf',
    'ch_comlot_blacklist_2019-2020_orders.csv',
  ],
};

describe('lists/{de,cz,ch}/sources and the shared corpus', () => {
  it.each(Object.entries(COPIES))('lists/%s/sources holds exact copies of the shared files', (cc, files) => {
    for (const f of files) {
      expect(Buffer.from(readFileSync(join(REPO_ROOT, `lists/${cc}/sources`, f))).equals(Buffer.from(realFile(`intl/${f}`))), f).toBe(true);
    }
  });

  it('Russia is not offered: no list, no feed', () => {
    expect(existsSync(join(REPO_ROOT, 'lists/ru'))).toBe(false);
    expect(existsSync(join(REPO_ROOT, 'extension/feeds/RU.json'))).toBe(false);
  });
});
