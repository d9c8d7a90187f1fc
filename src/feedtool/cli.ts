// ordinanza-feed: build, sign, verify, diff and count Ordinanza feeds. See docs/feed-format.md.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { createHash } from 'node:crypto';
import { parseFeed, countHosts, type Feed } from '../core/feed.ts';
import { encodeUtf8, serializeSignature, sign, verify, type PublicKeyFile } from '../core/signature.ts';
import { BuildError, buildFeed, type BuildResult } from './build.ts';
import { diffFeeds, formatDiff } from './diff.ts';
import { KeyError, readPrivateKey, readPublicKey, writeKeyPair } from './keys.ts';
import { ManifestError } from './manifest.ts';
import { feedStats, formatStats } from './stats.ts';
import { makeDelta } from '../core/sync.ts';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

const processIo = (): CliIo => ({
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  env: process.env,
  cwd: process.cwd(),
});

/** A failure the user can act on: printed as one line, exit code attached. */
class CliError extends Error {
  constructor(
    message: string,
    readonly code: number = 1,
  ) {
    super(message);
  }
}
const usage = (msg: string) => new CliError(`${msg} (see --help)`, 2);

const SIGNING_ENV = 'ORDINANZA_SIGNING_KEY';

const HELP: Record<string, string> = {
  main: `Usage: ordinanza-feed <command> [options]

Builds, signs, verifies and compares Ordinanza block-order feeds (format v1).

Commands:
  build MANIFEST --out FEED   build a feed from a source manifest (and sign it)
  keygen --out PREFIX         create an Ed25519 release key pair
  verify FEED --key PUBKEY    check a feed's signature, then its schema
  diff OLD NEW                hosts and orders added, removed or changed
  stats FEED                  counts per authority, order, category and edition
  delta NEW --from OLD        signed deltas from older serials, published beside NEW

Run "ordinanza-feed <command> --help" for a command's options. Format: docs/feed-format.md.
`,
  build: `Usage: ordinanza-feed build MANIFEST --out FEED [options]

Builds FEED from the source manifest (e.g. lists/it/sources.yaml). The output depends only on
the manifest and its files, so two builds give identical bytes. Every source is reported:
lines read, hosts kept, duplicates, and each rejected line as FILE:LINE: reason.

Signing: with --sign KEYFILE, or ${SIGNING_ENV}=KEYFILE in the environment, FEED.sig is written.
Without a signing key, an existing FEED.sig is kept only if it still verifies against the new
bytes with a --trusted-key; otherwise nothing is written and the build fails, because the feed
must be signed by a maintainer. --unsigned writes FEED anyway and removes a stale FEED.sig.

Options:
  --out FEED            where to write the feed (required)
  --sign KEYFILE        private key file (PREFIX.private.json) to sign with
  --trusted-key PUBKEY  release public key: the signing key must be it, and an existing
                        signature is checked against it (repeatable)
  --unsigned            write the feed without a signature (for review, not for release)
  --report FILE         also write the full import report as JSON
  --quiet               print only the summary and the rejections
  -h, --help            this help
`,
  keygen: `Usage: ordinanza-feed keygen --out PREFIX [--comment TEXT]

Creates an Ed25519 key pair: PREFIX.private.json (mode 0600) and PREFIX.pub.json.
Never commit the private key: keep it offline or in a secret store. Existing files are
not overwritten.

Options:
  --out PREFIX      path prefix of the two files (required)
  --comment TEXT    a note stored in the public key file
  -h, --help        this help
`,
  verify: `Usage: ordinanza-feed verify FEED --key PUBKEY [--key PUBKEY...] [--sig SIGFILE]

Checks the detached signature (FEED.sig unless --sig) against the trusted public keys, then
the feed's JSON and schema. Exit 0 only if both pass; otherwise the reason is printed:
bad signature, unknown key, malformed signature, invalid JSON (truncated?) or schema errors.

Options:
  --key PUBKEY      a trusted public key file (required, repeatable)
  --sig SIGFILE     the signature file (default FEED.sig)
  -h, --help        this help
`,
  diff: `Usage: ordinanza-feed diff OLD NEW [--json]

Lists authorities, orders and editions added, removed or changed, and hosts added, removed
or moved to other orders or editions. Exit 0 whether or not there are differences.

Options:
  --json        machine-readable output
  -h, --help    this help
`,
  delta: `Usage: ordinanza-feed delta NEW --from OLD [--from OLD...] [--out-dir DIR] [--sign KEYFILE]

Writes, for each OLD feed, the delta that takes a browser from OLD's serial to NEW's:
DIR/<JURISDICTION>.delta-<OLD serial>.json and its .sig, beside NEW (DIR defaults to NEW's folder).
A browser at a recent serial then fetches kilobytes instead of the whole list; one at any other
serial fetches the full feed. Publish the full feed first and its deltas after it. Deltas must
be signed with the same key as the feed (--sign or ${SIGNING_ENV}).

Options:
  --from OLD        an earlier feed of the same jurisdiction (required, repeatable)
  --out-dir DIR     where to write the deltas (default: the folder of NEW)
  --sign KEYFILE    private key file to sign with (or ${SIGNING_ENV})
  --unsigned        write the deltas without signatures (for review only)
  -h, --help        this help
`,
  stats: `Usage: ordinanza-feed stats FEED [--json]

Counts hosts per authority, order, category and edition.

Options:
  --json        machine-readable output
  -h, --help    this help
`,
};

function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    throw usage((e as Error).message.split('\n')[0] ?? 'bad arguments');
  }
}

function positionals(p: string[], names: string[]): string[] {
  if (p.length < names.length) throw usage(`missing ${names.slice(p.length).join(' and ')}`);
  if (p.length > names.length) throw usage(`unexpected argument "${p[names.length]}"`);
  return p;
}

function readFile(path: string, what: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(`${what} ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}`);
  }
}

function loadFeed(path: string): Feed {
  const r = parseFeed(readFile(path, 'feed'));
  if (!r.ok) throw new CliError(`${path}: invalid feed: ${r.errors.join('; ')}`);
  return r.feed;
}

function writeFile(path: string, data: string | Uint8Array): void {
  try {
    writeFileSync(path, data);
  } catch (e) {
    throw new CliError(`cannot write ${path}: ${(e as Error).message}`);
  }
}

function printReport(io: CliIo, r: BuildResult, quiet: boolean): void {
  for (const l of r.lists) {
    const s = l.stats;
    if (!quiet) {
      const notes = [s.bom ? 'BOM' : '', s.gzip ? 'gzip' : '', s.crlf ? 'CRLF' : '', s.encoding !== 'utf-8' ? s.encoding : ''].filter(Boolean);
      io.out(
        `${l.file}: ${s.lines} lines, ${s.candidates} hosts read, ${s.kept} kept, ${s.duplicates} duplicates, ${s.rejected} rejected` +
          `${s.extracted ? `, ${s.extracted} from free text` : ''}${l.removed ? `, ${l.removed} marked removed (${l.removedKept ? 'kept as removed, not enforced' : 'left out'})` : ''}` +
          `${l.dropped ? `, ${l.dropped} no longer named (kept as removed, not enforced)` : ''}` +
          `${l.alsoEarlier ? `, ${l.alsoEarlier} also in an earlier list` : ''} -> [${l.orders.join(', ')}] ${l.edition}${notes.length ? ` (${notes.join(', ')})` : ''}\n`,
      );
      for (const x of l.extracted) io.out(`${l.file}:${x.line}: took ${x.host} out of free text\n`);
    }
    for (const x of l.rejected) io.out(`${l.file}:${x.line}: rejected "${x.text}": ${x.reason}\n`);
  }
  for (const w of r.warnings) io.err(`warning: ${w}\n`);
}

async function cmdBuild(args: string[], io: CliIo): Promise<number> {
  const { values, positionals: pos } = parse(args, {
    out: { type: 'string' },
    sign: { type: 'string' },
    'trusted-key': { type: 'string', multiple: true },
    unsigned: { type: 'boolean' },
    report: { type: 'string' },
    quiet: { type: 'boolean' },
  });
  if (values.help) return void io.out(HELP.build ?? ''), 0;
  const [manifest] = positionals(pos, ['MANIFEST']);
  if (!values.out) throw usage('--out FEED is required');
  const out = resolve(io.cwd, values.out);
  const sigPath = `${out}.sig`;
  const keyPath = values.sign ?? (io.env[SIGNING_ENV] || undefined);
  if (keyPath && values.unsigned) throw usage('--unsigned contradicts --sign / $' + SIGNING_ENV);
  const trusted: PublicKeyFile[] = (values['trusted-key'] ?? []).map((p) => readPublicKey(resolve(io.cwd, p)));
  const signingKey = keyPath ? readPrivateKey(resolve(io.cwd, keyPath)) : null;
  if (signingKey && trusted.length > 0 && !trusted.some((k) => k.keyId === signingKey.keyId)) {
    throw new CliError(`signing key ${signingKey.keyId} is not a trusted key (${trusted.map((k) => k.keyId).join(', ')}); sign with the release key`);
  }

  const result = buildFeed(manifest ?? '', io.cwd);
  printReport(io, result, values.quiet ?? false);
  const bytes = encodeUtf8(result.text);
  const digest = createHash('sha256').update(bytes).digest('hex');
  if (values.report) {
    const report = { feed: values.out, sha256: digest, hosts: countHosts(result.feed), groups: result.feed.entries.length, lists: result.lists, warnings: result.warnings };
    writeFile(resolve(io.cwd, values.report), `${JSON.stringify(report, null, 1)}\n`);
  }
  const summary = `${values.out}: ${result.feed.jurisdiction} serial ${result.feed.serial}, ${countHosts(result.feed)} hosts in ${result.feed.entries.length} groups, ${Object.keys(result.feed.orders).length} orders, sha256 ${digest}`;

  if (signingKey) {
    const sig = await sign(bytes, signingKey);
    const self = await verify(bytes, serializeSignature(sig), [{ alg: 'Ed25519', keyId: signingKey.keyId, publicKey: signingKey.publicKey }]);
    if (!self.ok) throw new CliError(`signing key ${keyPath} is inconsistent: ${self.message}`);
    writeFile(out, bytes);
    writeFile(sigPath, serializeSignature(sig));
    io.out(`${summary}\nsigned with key ${signingKey.keyId} -> ${values.out}.sig\n`);
    return 0;
  }
  if (values.unsigned) {
    writeFile(out, bytes);
    const stale = existsSync(sigPath);
    if (stale) rmSync(sigPath);
    io.out(`${summary}\n`);
    io.err(`warning: ${values.out} written WITHOUT a signature${stale ? ' (its old .sig removed)' : ''}; a maintainer must sign it before release\n`);
    return 0;
  }
  if (existsSync(sigPath) && trusted.length > 0) {
    const check = await verify(bytes, new TextDecoder().decode(readFile(sigPath, 'signature')), trusted);
    if (check.ok) {
      writeFile(out, bytes);
      io.out(`${summary}\nunchanged: the existing signature by key ${check.keyId} still verifies\n`);
      return 0;
    }
  }
  throw new CliError(
    `${values.out} would change or has no valid signature: it must be signed by a maintainer (set ${SIGNING_ENV}=/path/to/release.private.json or pass --sign KEYFILE${trusted.length === 0 ? '; to keep an existing signature pass --trusted-key' : ''}); nothing was written, --unsigned writes it unsigned for review`,
  );
}

async function cmdKeygen(args: string[], io: CliIo): Promise<number> {
  const { values, positionals: pos } = parse(args, { out: { type: 'string' }, comment: { type: 'string' } });
  if (values.help) return void io.out(HELP.keygen ?? ''), 0;
  positionals(pos, []);
  if (!values.out) throw usage('--out PREFIX is required');
  const r = await writeKeyPair(resolve(io.cwd, values.out), values.comment);
  io.out(`key ${r.keyId}\n  private: ${r.privatePath} (mode 0600: keep it offline or in a secret store, never commit it)\n  public:  ${r.publicPath}\n`);
  return 0;
}

async function cmdVerify(args: string[], io: CliIo): Promise<number> {
  const { values, positionals: pos } = parse(args, { key: { type: 'string', multiple: true }, sig: { type: 'string' } });
  if (values.help) return void io.out(HELP.verify ?? ''), 0;
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

async function cmdDiff(args: string[], io: CliIo): Promise<number> {
  const { values, positionals: pos } = parse(args, { json: { type: 'boolean' } });
  if (values.help) return void io.out(HELP.diff ?? ''), 0;
  const [a = '', b = ''] = positionals(pos, ['OLD', 'NEW']);
  const d = diffFeeds(loadFeed(resolve(io.cwd, a)), loadFeed(resolve(io.cwd, b)));
  io.out(values.json ? `${JSON.stringify(d, null, 1)}\n` : formatDiff(d));
  return 0;
}

async function cmdStats(args: string[], io: CliIo): Promise<number> {
  const { values, positionals: pos } = parse(args, { json: { type: 'boolean' } });
  if (values.help) return void io.out(HELP.stats ?? ''), 0;
  const [path = ''] = positionals(pos, ['FEED']);
  const s = feedStats(loadFeed(resolve(io.cwd, path)));
  io.out(values.json ? `${JSON.stringify(s, null, 1)}\n` : formatStats(s));
  return 0;
}

async function cmdDelta(args: string[], io: CliIo): Promise<number> {
  const { values, positionals: pos } = parse(args, { from: { type: 'string', multiple: true }, 'out-dir': { type: 'string' }, sign: { type: 'string' }, unsigned: { type: 'boolean' } });
  if (values.help) return void io.out(HELP.delta ?? ''), 0;
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
    io.out(`${out}: ${prev.serial} -> ${next.serial}, ${bytes.length} bytes (${((100 * bytes.length) / fullBytes).toFixed(1)}% of the full feed)${signingKey ? `, signed with key ${signingKey.keyId}` : ', UNSIGNED'}\n`);
  }
  return 0;
}

const COMMANDS: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
  delta: cmdDelta,
  build: cmdBuild,
  keygen: cmdKeygen,
  verify: cmdVerify,
  diff: cmdDiff,
  stats: cmdStats,
};

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.out(HELP.main ?? '');
      return command === undefined ? 2 : 0;
    }
    const run = COMMANDS[command];
    if (!run) throw usage(`unknown command "${command}"`);
    return await run(rest, io);
  } catch (e) {
    if (e instanceof CliError) {
      io.err(`ordinanza-feed: ${e.message}\n`);
      return e.code;
    }
    if (e instanceof BuildError || e instanceof ManifestError || e instanceof KeyError) {
      io.err(`ordinanza-feed: ${e.message}\n`);
      return 1;
    }
    io.err(`ordinanza-feed: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 70;
  }
}
