// ordinanza-feed delta: signed deltas from older serials to a new feed.
import { dirname, resolve } from 'node:path';
import { encodeUtf8, serializeSignature, sign } from '../../core/signature.ts';
import { makeDelta } from '../../core/sync.ts';
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
  for (const oldPath of values.from) {
    const prev = loadFeed(resolve(io.cwd, oldPath));
    if (prev.jurisdiction !== next.jurisdiction) throw new CliError(`${oldPath} is for ${prev.jurisdiction}, ${newPath} for ${next.jurisdiction}`);
    if (prev.serial >= next.serial) throw new CliError(`${oldPath} (serial ${prev.serial}) is not older than ${newPath} (serial ${next.serial})`);
    const bytes = encodeUtf8(`${JSON.stringify(await makeDelta(prev, next))}\n`);
    const out = resolve(dir, `${next.jurisdiction}.delta-${prev.serial}.json`);
    writeFile(out, bytes);
    if (signingKey) writeFile(`${out}.sig`, serializeSignature(await sign(bytes, signingKey)));
    io.out(
      `${out}: ${prev.serial} -> ${next.serial}, ${bytes.length} bytes (${((100 * bytes.length) / fullBytes).toFixed(1)}% of the full feed)${signingKey ? `, signed with key ${signingKey.keyId}` : ', UNSIGNED'}\n`,
    );
  }
  return 0;
}
