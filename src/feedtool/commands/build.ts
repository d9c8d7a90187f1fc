// ordinanza-feed build: a feed from a source manifest, its import report, and its signature.
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { countHosts } from '../../core/feed.ts';
import { encodeUtf8, serializeSignature, sign, verify, type PublicKeyFile } from '../../core/signature.ts';
import { buildFeed, type BuildResult } from '../build.ts';
import { readPrivateKey, readPublicKey } from '../keys.ts';
import { HELP } from './help.ts';
import { CliError, parse, positionals, readFile, SIGNING_ENV, usage, writeFile, type CliIo } from './shared.ts';

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

export async function cmdBuild(args: string[], io: CliIo): Promise<number> {
  const { values, positionals: pos } = parse(args, {
    out: { type: 'string' },
    sign: { type: 'string' },
    'trusted-key': { type: 'string', multiple: true },
    unsigned: { type: 'boolean' },
    report: { type: 'string' },
    quiet: { type: 'boolean' },
  });
  if (values.help) {
    io.out(HELP.build ?? '');
    return 0;
  }
  const [manifest] = positionals(pos, ['MANIFEST']);
  if (!values.out) throw usage('--out FEED is required');
  const out = resolve(io.cwd, values.out);
  const sigPath = `${out}.sig`;
  const keyPath = values.sign ?? (io.env[SIGNING_ENV] || undefined);
  if (keyPath && values.unsigned) throw usage(`--unsigned contradicts --sign / $${SIGNING_ENV}`);
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
    const report = {
      feed: values.out,
      sha256: digest,
      hosts: countHosts(result.feed),
      groups: result.feed.entries.length,
      lists: result.lists,
      warnings: result.warnings,
    };
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
