// ordinanza-feed keygen and verify: the release key pair, and a feed checked against trusted keys.
import { resolve } from 'node:path';
import { countHosts, parseFeed } from '../../core/feed.ts';
import { verify } from '../../core/signature.ts';
import { readPublicKey, writeKeyPair } from '../keys.ts';
import { HELP } from './help.ts';
import { CliError, parse, positionals, readFile, usage, type CliIo } from './shared.ts';

export async function cmdKeygen(args: string[], io: CliIo): Promise<number> {
  const { values, positionals: pos } = parse(args, { out: { type: 'string' }, comment: { type: 'string' } });
  if (values.help) {
    io.out(HELP.keygen ?? '');
    return 0;
  }
  positionals(pos, []);
  if (!values.out) throw usage('--out PREFIX is required');
  const r = await writeKeyPair(resolve(io.cwd, values.out), values.comment);
  io.out(`key ${r.keyId}\n  private: ${r.privatePath} (mode 0600: keep it offline or in a secret store, never commit it)\n  public:  ${r.publicPath}\n`);
  return 0;
}

export async function cmdVerify(args: string[], io: CliIo): Promise<number> {
  const { values, positionals: pos } = parse(args, { key: { type: 'string', multiple: true }, sig: { type: 'string' } });
  if (values.help) {
    io.out(HELP.verify ?? '');
    return 0;
  }
  const [feedPath = ''] = positionals(pos, ['FEED']);
  if (!values.key || values.key.length === 0) throw usage('at least one --key PUBKEY is required');
  const keys = values.key.map((k) => readPublicKey(resolve(io.cwd, k)));
  const bytes = readFile(resolve(io.cwd, feedPath), 'feed');
  const sigFile = values.sig ?? `${feedPath}.sig`;
  const sigText = new TextDecoder().decode(readFile(resolve(io.cwd, sigFile), 'signature'));
  const sig = await verify(bytes, sigText, keys);
  const parsed = parseFeed(bytes);
  if (!sig.ok) {
    const label = { 'bad-signature': 'bad signature', 'unknown-key': 'unknown key', 'malformed-signature': 'malformed signature' }[sig.reason];
    const also = parsed.ok ? '' : `; the feed is also invalid: ${parsed.errors[0] ?? ''}`;
    throw new CliError(`${feedPath}: FAILED: ${label}: ${sig.message}${also}`);
  }
  if (!parsed.ok) {
    const label = parsed.errors[0]?.startsWith('feed is not valid') ? 'invalid feed' : 'schema errors';
    throw new CliError(`${feedPath}: FAILED: signature good (key ${sig.keyId}) but ${label}: ${parsed.errors.join('; ')}`);
  }
  const f = parsed.feed;
  io.out(`${feedPath}: OK: signed by key ${sig.keyId}; ${f.jurisdiction} serial ${f.serial}, ${countHosts(f)} hosts, expires ${f.expires}\n`);
  if (Date.parse(f.expires) < Date.now()) io.err(`warning: ${feedPath} expired on ${f.expires}\n`);
  return 0;
}
