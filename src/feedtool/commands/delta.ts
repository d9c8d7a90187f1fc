// ordinanza-feed delta: signed deltas from older serials to a new feed.
import { existsSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { groupKey, type Feed } from '../../core/feed.ts';
import { loadFeed as indexFeed } from '../../core/selection.ts';
import { encodeUtf8, serializeSignature, sign } from '../../core/signature.ts';
import { applyDeltaToIndex, makeDelta } from '../../core/sync.ts';
import { readPrivateKey } from '../keys.ts';
import { HELP } from './help.ts';
import { CliError, loadFeed, parse, positionals, readFile, SIGNING_ENV, usage, writeFile, type CliIo } from './shared.ts';

export async function cmdDelta(args: string[], io: CliIo): Promise<number> {
  const { values, positionals: pos } = parse(args, {
    from: { type: 'string', multiple: true },
    'out-dir': { type: 'string' },
    sign: { type: 'string' },
    unsigned: { type: 'boolean' },
  });
  if (values.help) {
    io.out(HELP.delta ?? '');
    return 0;
  }
  const [newPath = ''] = positionals(pos, ['NEW']);
  if (!values.from || values.from.length === 0) throw usage('at least one --from OLD is required');
  const keyPath = values.sign ?? (io.env[SIGNING_ENV] || undefined);
  if (!keyPath && !values.unsigned) throw usage(`deltas must be signed: pass --sign KEYFILE or set ${SIGNING_ENV} (or --unsigned for review)`);
  const signingKey = keyPath ? readPrivateKey(resolve(io.cwd, keyPath)) : null;
  const next = loadFeed(resolve(io.cwd, newPath));
  const fullBytes = readFile(resolve(io.cwd, newPath), 'feed').length;
  const dir = resolve(io.cwd, values['out-dir'] ?? dirname(newPath));
  // Never publish a delta a browser could not apply: it would fetch it, fail, and fetch the full feed.
  const problem = unrebuildable(next);
  if (problem) throw new CliError(`${newPath}: no delta can rebuild it in the browsers, ${problem}; publish the full feed alone`);
  // Every delta made and checked before any is written: a later --from that fails leaves the
  // directory as it was, not half of a release.
  const made: { out: string; bytes: Uint8Array; from: number }[] = [];
  for (const oldPath of values.from) {
    const prev = loadFeed(resolve(io.cwd, oldPath));
    if (prev.jurisdiction !== next.jurisdiction) throw new CliError(`${oldPath} is for ${prev.jurisdiction}, ${newPath} for ${next.jurisdiction}`);
    if (prev.serial >= next.serial) throw new CliError(`${oldPath} (serial ${prev.serial}) is not older than ${newPath} (serial ${next.serial})`);
    const delta = await makeDelta(prev, next);
    const check = await applyDeltaToIndex(indexFeed(prev), JSON.parse(JSON.stringify(delta)));
    if (!check.ok) throw new CliError(`${newPath}: the delta from ${oldPath} does not rebuild it (${check.message})`);
    made.push({ out: resolve(dir, `${next.jurisdiction}.delta-${prev.serial}.json`), bytes: encodeUtf8(`${JSON.stringify(delta)}\n`), from: prev.serial });
  }
  for (const { out, bytes, from } of made) {
    const sig = signingKey ? serializeSignature(await sign(bytes, signingKey)) : null;
    writeFile(out, bytes);
    // An unsigned delta loses the signature of the one it replaces, as `build` does.
    if (sig !== null) writeFile(`${out}.sig`, sig);
    else if (existsSync(`${out}.sig`)) rmSync(`${out}.sig`);
    io.out(
      `${out}: ${from} -> ${next.serial}, ${bytes.length} bytes (${((100 * bytes.length) / fullBytes).toFixed(1)}% of the full feed)${signingKey ? `, signed with key ${signingKey.keyId}` : ', UNSIGNED'}\n`,
    );
  }
  return 0;
}

/**
 * Why browsers cannot rebuild `feed` from a delta, or null. They write each group's hosts sorted and
 * match groups by their listings, as `build` writes a feed: two groups of the same listings, or a
 * group out of order, cannot be rebuilt byte for byte.
 */
function unrebuildable(feed: Feed): string | null {
  const seen = new Map<string, number>();
  for (const [i, g] of feed.entries.entries()) {
    const key = groupKey(g);
    const first = seen.get(key);
    if (first !== undefined) return `as groups ${first} and ${i} have the same listings`;
    seen.set(key, i);
    const out = g.hosts.findIndex((h, k) => k > 0 && (g.hosts[k - 1] as string) >= h);
    if (out > 0) return `as group ${i} is not sorted (${JSON.stringify(g.hosts[out - 1])} before ${JSON.stringify(g.hosts[out])})`;
  }
  return null;
}
