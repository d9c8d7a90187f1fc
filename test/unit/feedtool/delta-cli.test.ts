// `ordinanza-feed delta`: signed deltas that rebuild the new feed exactly from the old one.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseFeed, serializeFeed, type Feed } from '../../../src/core/feed.ts';
import { verify } from '../../../src/core/signature.ts';
import { applyDelta } from '../../../src/core/sync.ts';
import { main } from '../../../src/feedtool/cli.ts';
import { captureIo, makeFixture } from './fixture.ts';
import { REPO_ROOT } from '../../support/paths.ts';

let dir: string;
const run = async (args: string[]) => {
  const io = captureIo(dir, {});
  return { code: await main(args, io), out: io.stdout, err: io.stderr };
};

function readFeed(path: string): Feed {
  const r = parseFeed(readFileSync(path));
  if (!r.ok) throw new Error(r.errors.join());
  return r.feed;
}

beforeAll(async () => {
  dir = makeFixture();
  expect((await run(['keygen', '--out', 'k'])).code).toBe(0);
  const old = readFeed(join(REPO_ROOT, 'extension/feeds/IT.json'));
  writeFileSync(join(dir, 'old.json'), serializeFeed(old));
  // 1% of the hosts change: some removed, some added.
  const entries = old.entries.map((g, i) => (i === 0 ? { ...g, hosts: [...g.hosts.slice(75), ...Array.from({ length: 75 }, (_, k) => `new-${k}.example`)].sort() } : g));
  writeFileSync(join(dir, 'IT.json'), serializeFeed({ ...old, serial: old.serial + 1, entries }));
});

describe('delta', () => {
  it('--help', async () => expect((await run(['delta', '--help'])).out).toMatch(/^Usage: ordinanza-feed delta /));

  it('refuses to write unsigned deltas unless asked, and needs --from', async () => {
    expect((await run(['delta', 'IT.json', '--from', 'old.json'])).code).toBe(2);
    expect((await run(['delta', 'IT.json'])).code).toBe(2);
    expect((await run(['delta', 'old.json', '--from', 'IT.json', '--sign', 'k.private.json'])).err).toContain('is not older than');
  });

  it('writes a signed delta, a few % of the full feed, that rebuilds the new feed exactly', async () => {
    const r = await run(['delta', 'IT.json', '--from', 'old.json', '--sign', 'k.private.json']);
    expect(r.code, r.err).toBe(0);
    const old = readFeed(join(dir, 'old.json'));
    const path = join(dir, `IT.delta-${old.serial}.json`);
    const bytes = new Uint8Array(readFileSync(path));
    const full = readFileSync(join(dir, 'IT.json'));
    expect(bytes.length).toBeLessThan(0.05 * full.length);
    const key = JSON.parse(readFileSync(join(dir, 'k.pub.json'), 'utf8'));
    expect((await verify(bytes, readFileSync(`${path}.sig`, 'utf8'), [key])).ok).toBe(true);
    const rebuilt = await applyDelta(old, JSON.parse(new TextDecoder().decode(bytes)));
    expect(rebuilt.ok && serializeFeed(rebuilt.feed)).toBe(full.toString('utf8'));
  });

  it('an unsigned delta takes away the signature of the one it replaces', async () => {
    expect((await run(['delta', 'IT.json', '--from', 'old.json', '--sign', 'k.private.json'])).code).toBe(0);
    const old = readFeed(join(dir, 'old.json'));
    const sig = join(dir, `IT.delta-${old.serial}.json.sig`);
    expect(existsSync(sig)).toBe(true);
    const r = await run(['delta', 'IT.json', '--from', 'old.json', '--unsigned']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('UNSIGNED');
    expect(existsSync(sig)).toBe(false);
  });

  // Browsers write each group sorted and match groups by their listings (core/delta-index.ts): a
  // feed written otherwise gets no delta, which would be fetched, fail its checksum, and cost a full fetch.
  it.each<[string, (g: Feed['entries']) => Feed['entries'], string]>([
    ['two groups of the same listings', (e) => [...e, { listings: (e[0] as Feed['entries'][number]).listings, hosts: ['zz-dup.example'] }], 'have the same listings'],
    ['a group out of order', (e) => e.map((g, i) => (i === 0 ? { ...g, hosts: [...g.hosts].reverse() } : g)), 'is not sorted'],
  ])('refuses a new feed no delta can rebuild: %s', async (_, change, message) => {
    const old = readFeed(join(dir, 'old.json'));
    const next = readFeed(join(dir, 'IT.json'));
    writeFileSync(join(dir, 'odd.json'), serializeFeed({ ...next, serial: next.serial + 1, entries: change(next.entries) }));
    const deltaPath = join(dir, `IT.delta-${old.serial}.json`);
    writeFileSync(deltaPath, 'the delta published before');
    const r = await run(['delta', 'odd.json', '--from', 'old.json', '--sign', 'k.private.json']);
    expect(r.code).toBe(1);
    expect(r.err).toContain(message);
    expect(r.err).toContain('publish the full feed alone');
    // Nothing written.
    expect(readFileSync(deltaPath, 'utf8')).toBe('the delta published before');
  });
});

describe('delta with several --from', () => {
  it('writes none when one of them fails, and all when none does', async () => {
    const old = readFeed(join(dir, 'old.json'));
    const next = readFeed(join(dir, 'IT.json'));
    const older = { ...old, serial: old.serial - 1 };
    writeFileSync(join(dir, 'older.json'), serializeFeed(older));
    writeFileSync(join(dir, 'other.json'), serializeFeed({ ...old, jurisdiction: 'DE', serial: old.serial - 2 }));
    const first = join(dir, `IT.delta-${old.serial}.json`);
    const second = join(dir, `IT.delta-${older.serial}.json`);
    writeFileSync(first, 'the delta published before');
    const failed = await run(['delta', 'IT.json', '--from', 'old.json', '--from', 'older.json', '--from', 'other.json', '--sign', 'k.private.json']);
    expect(failed.code).toBe(1);
    expect(failed.err).toContain('other.json is for DE');
    expect(readFileSync(first, 'utf8')).toBe('the delta published before');
    expect(existsSync(second)).toBe(false);
    const ok = await run(['delta', 'IT.json', '--from', 'old.json', '--from', 'older.json', '--sign', 'k.private.json']);
    expect(ok.code, ok.err).toBe(0);
    for (const [path, from] of [
      [first, old],
      [second, older],
    ] as const) {
      const rebuilt = await applyDelta(from, JSON.parse(readFileSync(path, 'utf8')));
      expect(rebuilt.ok && serializeFeed(rebuilt.feed)).toBe(serializeFeed(next));
      expect(existsSync(`${path}.sig`)).toBe(true);
    }
  });
});
