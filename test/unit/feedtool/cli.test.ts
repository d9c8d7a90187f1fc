// The CLI in-process (every subcommand, --help, failures) and once as a real process.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/feedtool/cli.ts';
import { captureIo, makeFixture, manifestYaml } from './fixture.ts';
import { REPO_ROOT } from '../../support/paths.ts';

async function run(dir: string, args: string[], env: Record<string, string> = {}) {
  const io = captureIo(dir, env);
  const code = await main(args, io);
  return { code, out: io.stdout, err: io.stderr };
}

let dir: string;
beforeAll(async () => {
  dir = makeFixture();
  expect((await run(dir, ['keygen', '--out', 'k1'])).code).toBe(0);
  expect((await run(dir, ['keygen', '--out', 'k2', '--comment', 'other'])).code).toBe(0);
});

describe('help and usage', () => {
  it.each(['build', 'keygen', 'verify', 'diff', 'stats'])('%s --help', async (cmd) => {
    const r = await run(dir, [cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^Usage: ordinanza-feed ${cmd} `));
  });
  it('top-level help, and no command at all', async () => {
    expect(await run(dir, ['--help'])).toMatchObject({ code: 0, out: expect.stringContaining('Commands:') });
    expect((await run(dir, [])).code).toBe(2);
  });
  it.each([
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['build'], 'missing MANIFEST'],
    [['build', 'sources.yaml'], '--out FEED is required'],
    [['build', 'sources.yaml', '--out'], "Option '--out <value>' argument missing"],
    [['stats', 'a.json', '--colour'], "Unknown option '--colour'"],
    [['diff', 'a.json'], 'missing NEW'],
    [['verify', 'feed.json'], 'at least one --key PUBKEY is required'],
    [['keygen'], '--out PREFIX is required'],
    [['stats', 'a', 'b'], 'unexpected argument "b"'],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const r = await run(dir, args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });
});

describe('keygen', () => {
  it('writes an owner-only private key and a public key, and never overwrites', async () => {
    expect(statSync(join(dir, 'k1.private.json')).mode & 0o777).toBe(0o600);
    const pub = JSON.parse(readFileSync(join(dir, 'k2.pub.json'), 'utf8'));
    expect(pub).toMatchObject({ alg: 'Ed25519', comment: 'other' });
    expect(pub.keyId).toMatch(/^[0-9a-f]{16}$/);
    const r = await run(dir, ['keygen', '--out', 'k1']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('already exists; refusing to overwrite');
  });
});

describe('build, sign and verify', () => {
  it('signs with --sign and verifies; a second build is byte-identical', async () => {
    const r = await run(dir, ['build', 'sources.yaml', '--out', 'a.json', '--sign', 'k1.private.json', '--report', 'report.json']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('reg.hosts:5: rejected "nonché": not a hostname (no dot)');
    expect(r.out).toMatch(/reg\.hosts: 5 lines, 5 hosts read, 3 kept, 1 duplicates, 1 rejected/);
    const first = readFileSync(join(dir, 'a.json'));
    expect((await run(dir, ['build', 'sources.yaml', '--out', 'a.json', '--sign', 'k1.private.json'])).code).toBe(0);
    expect(readFileSync(join(dir, 'a.json')).equals(first)).toBe(true);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(report.lists[0].rejected).toEqual([{ line: 5, text: 'nonché', reason: 'not a hostname (no dot)' }]);
    const v = await run(dir, ['verify', 'a.json', '--key', 'k2.pub.json', '--key', 'k1.pub.json']);
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/^a\.json: OK: signed by key [0-9a-f]{16}; XX serial 7, 4 hosts/);
  });

  it('signs with the key named by ORDINANZA_SIGNING_KEY', async () => {
    const r = await run(dir, ['build', 'sources.yaml', '--out', 'env.json'], { ORDINANZA_SIGNING_KEY: 'k2.private.json' });
    expect(r.code, r.err).toBe(0);
    expect((await run(dir, ['verify', 'env.json', '--key', 'k2.pub.json'])).code).toBe(0);
  });

  it('refuses a signing key that is not the trusted release key', async () => {
    const r = await run(dir, ['build', 'sources.yaml', '--out', 'x.json', '--sign', 'k2.private.json', '--trusted-key', 'k1.pub.json']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/signing key [0-9a-f]+ is not a trusted key/);
    expect(existsSync(join(dir, 'x.json'))).toBe(false);
  });

  it('without a key: keeps a still-valid signature, else writes nothing and fails', async () => {
    await run(dir, ['build', 'sources.yaml', '--out', 'keep.json', '--sign', 'k1.private.json']);
    const kept = await run(dir, ['build', 'sources.yaml', '--out', 'keep.json', '--trusted-key', 'k1.pub.json']);
    expect(kept.code).toBe(0);
    expect(kept.out).toContain('existing signature by key');
    // The sources change: the old signature no longer fits, so nothing is written.
    const changed = makeFixture({ 'sources.yaml': manifestYaml().replace('serial: 7', 'serial: 8') });
    for (const f of ['keep.json', 'keep.json.sig', 'k1.pub.json']) writeFileSync(join(changed, f), readFileSync(join(dir, f)));
    const before = readFileSync(join(changed, 'keep.json'));
    const fail = await run(changed, ['build', 'sources.yaml', '--out', 'keep.json', '--trusted-key', 'k1.pub.json']);
    expect(fail.code).toBe(1);
    expect(fail.err).toContain('must be signed by a maintainer');
    expect(readFileSync(join(changed, 'keep.json')).equals(before)).toBe(true);
    // --unsigned writes it for review and removes the stale signature.
    const unsigned = await run(changed, ['build', 'sources.yaml', '--out', 'keep.json', '--unsigned']);
    expect(unsigned.code).toBe(0);
    expect(unsigned.err).toContain('WITHOUT a signature (its old .sig removed)');
    expect(existsSync(join(changed, 'keep.json.sig'))).toBe(false);
  });

  it('fails with one line on a missing or invalid manifest', async () => {
    const missing = await run(dir, ['build', 'nope.yaml', '--out', 'n.json', '--unsigned']);
    expect(missing).toMatchObject({ code: 1 });
    expect(missing.err).toMatch(/^ordinanza-feed: manifest .*nope\.yaml: no such file\n$/);
    writeFileSync(join(dir, 'bad.yaml'), 'format: 9\n');
    const bad = await run(dir, ['build', 'bad.yaml', '--out', 'n.json', '--unsigned']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^ordinanza-feed: bad\.yaml: invalid manifest: format: .*\n$/);
    const badKey = await run(dir, ['build', 'sources.yaml', '--out', 'n.json', '--sign', 'k1.pub.json']);
    expect(badKey.err).toContain('not an Ed25519 private key file');
  });
});

describe('verify failures', () => {
  beforeAll(async () => {
    expect((await run(dir, ['build', 'sources.yaml', '--out', 'v.json', '--sign', 'k1.private.json'])).code).toBe(0);
  });
  const copy = (name: string, bytes: Uint8Array) => {
    writeFileSync(join(dir, name), bytes);
    writeFileSync(join(dir, `${name}.sig`), readFileSync(join(dir, 'v.json.sig')));
  };

  it('one flipped byte: bad signature', async () => {
    const bytes = new Uint8Array(readFileSync(join(dir, 'v.json')));
    // One byte inside a host name, so that the file stays a valid feed: only the signature can tell.
    const i = Buffer.from(bytes).indexOf('"b.example.com"') + 1;
    expect(i).toBeGreaterThan(0);
    bytes[i] = 'c'.charCodeAt(0);
    copy('flip.json', bytes);
    const r = await run(dir, ['verify', 'flip.json', '--key', 'k1.pub.json']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^ordinanza-feed: flip\.json: FAILED: bad signature: signature does not match the feed bytes\n$/);
  });

  it('the wrong key: unknown key', async () => {
    const r = await run(dir, ['verify', 'v.json', '--key', 'k2.pub.json']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/FAILED: unknown key: signed by key [0-9a-f]{16}, which is not trusted/);
  });

  it('a truncated file: bad signature, and the JSON is named as invalid', async () => {
    const bytes = readFileSync(join(dir, 'v.json'));
    copy('cut.json', bytes.subarray(0, bytes.length - 40));
    const r = await run(dir, ['verify', 'cut.json', '--key', 'k1.pub.json']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('FAILED: bad signature');
    expect(r.err).toContain('feed is not valid JSON (truncated or corrupt)');
  });

  it('a good signature over a feed that breaks the schema', async () => {
    const feed = JSON.parse(readFileSync(join(dir, 'v.json'), 'utf8'));
    feed.entries[0].hosts.push('Not A Host');
    writeFileSync(join(dir, 'schema.json'), JSON.stringify(feed));
    const { sign, serializeSignature } = await import('../../../src/core/signature.ts');
    const key = JSON.parse(readFileSync(join(dir, 'k1.private.json'), 'utf8'));
    writeFileSync(join(dir, 'schema.json.sig'), serializeSignature(await sign(new Uint8Array(readFileSync(join(dir, 'schema.json'))), key)));
    const r = await run(dir, ['verify', 'schema.json', '--key', 'k1.pub.json']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/signature good \(key [0-9a-f]+\) but schema errors: entries\.0\.hosts\.\d+: not a canonical hostname/);
  });

  it('a missing signature, a malformed signature, a missing feed', async () => {
    writeFileSync(join(dir, 'nosig.json'), readFileSync(join(dir, 'v.json')));
    expect((await run(dir, ['verify', 'nosig.json', '--key', 'k1.pub.json'])).err).toMatch(/signature .*nosig\.json\.sig: no such file/);
    writeFileSync(join(dir, 'junk.json'), readFileSync(join(dir, 'v.json')));
    writeFileSync(join(dir, 'junk.json.sig'), '{"format":1}');
    expect((await run(dir, ['verify', 'junk.json', '--key', 'k1.pub.json'])).err).toContain('FAILED: malformed signature');
    const r = await run(dir, ['verify', 'gone.json', '--key', 'k1.pub.json']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/feed .*gone\.json: no such file/);
  });
});

describe('diff and stats', () => {
  it('diff names hosts and orders added, removed and changed (text and JSON)', async () => {
    const other = makeFixture({
      'reg.hosts': '0.0.0.0 b.example.com\n0.0.0.0 new.example.com\n',
      'sources.yaml': manifestYaml().replace('serial: 7', 'serial: 8').replace('"art. 1, legge 1/2020"', '"art. 2"'),
      'refs.csv': readFileSync(join(dir, 'refs.csv'), 'utf8').replace('"art. 1, legge 1/2020"', '"art. 2"'),
    });
    expect((await run(other, ['build', 'sources.yaml', '--out', 'b.json', '--unsigned'])).code).toBe(0);
    await run(dir, ['build', 'sources.yaml', '--out', 'a.json', '--sign', 'k1.private.json']);
    const text = await run(dir, ['diff', 'a.json', join(other, 'b.json')]);
    expect(text.code).toBe(0);
    expect(text.out).toContain('serial: 7 -> 8');
    expect(text.out).toContain('~ order reg');
    expect(text.out).toContain('hosts: +1 -1 ~1');
    expect(text.out).toContain('+ new.example.com [reg@reg-1]');
    expect(text.out).toContain('- a.example.com [reg@reg-1]');
    expect(text.out).toContain('~ court-b.com [case@case-1, reg@reg-1] -> [case@case-1]');
    const json = JSON.parse((await run(dir, ['diff', 'a.json', join(other, 'b.json'), '--json'])).out);
    expect(json.hosts.added).toEqual([{ host: 'new.example.com', listings: ['reg@reg-1'] }]);
    expect(json.orders).toEqual({ added: [], removed: [], changed: ['reg'] });
    expect((await run(dir, ['diff', 'a.json', 'a.json'])).out).toContain('no differences');
  });

  it('stats counts per authority, order, category and edition', async () => {
    const j = JSON.parse((await run(dir, ['stats', 'a.json', '--json'])).out);
    expect(j).toMatchObject({
      hosts: 4,
      byAuthority: { adp: 3, trib: 2 },
      byOrder: { reg: 3, case: 2 },
      byCategory: { gambling: 3, copyright: 2 },
      byEdition: { 'reg-1': 3, 'case-1': 2 },
    });
    expect((await run(dir, ['stats', 'a.json'])).out).toMatch(/hosts: 4 in 3 groups/);
  });

  it('diff and stats refuse an invalid feed with a one-line reason', async () => {
    writeFileSync(join(dir, 'broken.json'), '{"format": 1');
    const r = await run(dir, ['stats', 'broken.json']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^ordinanza-feed: .*broken\.json: invalid feed: feed is not valid JSON/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });
});

describe('the real executable', () => {
  const bin = join(REPO_ROOT, 'bin/ordinanza-feed.mjs');
  it('runs --help and verify as a separate process, with exit codes', () => {
    expect(execFileSync(process.execPath, [bin, 'verify', '--help'], { encoding: 'utf8' })).toContain('Usage: ordinanza-feed verify');
    const ok = spawnSync(process.execPath, [bin, 'verify', 'extension/feeds/IT.json', '--key', 'keys/release-2026-12-04.pub.json'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('OK: signed by key');
    const bad = spawnSync(process.execPath, [bin, 'stats'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('ordinanza-feed: missing FEED (see --help)\n');
  });
});
