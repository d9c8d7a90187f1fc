// The real union of lists for the bench: every host of the embedded feeds, plus, when a copy of
// shared/ is beside the clone, every host the importers read from its real block lists
// (shared/data/real, read as the corpus tests read them). Names first, IPv4 addresses last, so the
// bench's sampled hosts (which it visits) are names mapped to the local server.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFeed } from '../../src/core/feed.ts';
import { isIPv4 } from '../../src/core/hostname.ts';
import { importSource } from '../../src/feedtool/importers/index.ts';
import { REPO_ROOT, SHARED_REAL_DATA } from '../support/paths.ts';
import { PLAN } from '../support/real-plans.ts';

export interface RealUnion {
  readonly hosts: string[];
  /** Where they come from, for the row's name. */
  readonly from: string;
}

export function realUnion(): RealUnion {
  const all = new Set<string>();
  for (const code of ['IT', 'DE', 'CZ', 'CH']) {
    const r = parseFeed(new Uint8Array(readFileSync(join(REPO_ROOT, 'extension/feeds', `${code}.json`))));
    if (!r.ok) throw new Error(`${code}: ${r.errors.join('; ')}`);
    for (const g of r.feed.entries) for (const h of g.hosts) all.add(h);
  }
  let from = 'embedded lists';
  if (existsSync(SHARED_REAL_DATA)) {
    for (const [rel, plan] of Object.entries(PLAN)) {
      for (const e of importSource(new Uint8Array(readFileSync(join(SHARED_REAL_DATA, rel))), plan).entries) all.add(e.host);
    }
    from = 'embedded + shared real lists';
  }
  const hosts = [...all];
  return { hosts: [...hosts.filter((h) => !isIPv4(h)), ...hosts.filter((h) => isIPv4(h))], from };
}
