// Canonical hostnames: table cases and properties over arbitrary input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostHash } from '../../src/core/host-set.ts';
import { canonicalHost, canonicalHostHash, hostOfUrl, isCanonicalBySlowPath, isCanonicalHost, matchCandidates, NOT_CANONICAL } from '../../src/core/hostname.ts';

describe('canonicalHost', () => {
  it.each([
    ['Example.COM', 'example.com'],
    ['example.com.', 'example.com'],
    ['example.com:8080', 'example.com'],
    ['\ufeffwww.a.it ', 'www.a.it'],
    ['76автобар.рф', 'xn--76-8kcaef8fsao.xn--p1ai'],
    ['xn--casinvincenti-0kb.com', 'xn--casinvincenti-0kb.com'],
    ['10.1.2.3', '10.1.2.3'],
  ])('%j → %s', (input, host) => {
    expect(canonicalHost(input)).toEqual({ ok: true, host });
  });

  it.each([
    ['', 'empty'],
    ['nonché', 'not a hostname (no dot)'],
    ['a b.com', 'contains white space'],
    ['http://a.com/', 'not a bare hostname (has a path, query, credentials or scheme)'],
    ['1.2.3.0/24', 'CIDR ranges are not supported (list single addresses)'],
    ['*.a.com', 'wildcards are not supported (a host already covers its subdomains)'],
    ['2130706433', 'IPv4 address not in dotted-quad form'],
    ['a.123', 'not a valid hostname'],
    ['a..b.com', 'invalid label ""'],
  ])('rejects %j (%s)', (input, reason) => {
    expect(canonicalHost(input)).toEqual({ ok: false, reason });
  });

  it('matchCandidates and hostOfUrl', () => {
    expect(matchCandidates('a.b.c.it')).toEqual(['a.b.c.it', 'b.c.it', 'c.it', 'it']);
    expect(matchCandidates('1.2.3.4')).toEqual(['1.2.3.4']);
    expect(hostOfUrl('https://WWW.Test.IT:443/x')).toBe('www.test.it');
    expect(hostOfUrl('chrome://settings')).toBeNull();
  });
});

// Labels mixing ASCII, Latin accents, Cyrillic and junk, so that the IDNA path is exercised.
const labelChars = fc.constantFrom(...'abcxyz019-_ABZéèàçşüöавбрфя.  \u00a0'.split(''));
const hostish = fc.oneof(
  fc.string({ unit: labelChars, maxLength: 40 }),
  fc.array(fc.string({ unit: labelChars, minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 5 }).map((ls) => ls.join('.')),
  fc.string({ maxLength: 30 }),
  fc.tuple(fc.nat(300), fc.nat(300), fc.nat(300), fc.nat(300)).map((q) => q.join('.')),
);

describe('canonicalHost properties', () => {
  it('output is ASCII, non-empty, canonical and a fixed point', () => {
    fc.assert(
      fc.property(hostish, (input) => {
        const r = canonicalHost(input);
        if (!r.ok) return;
        expect(r.host.length).toBeGreaterThan(0);
        expect(/^[\x21-\x7e]+$/.test(r.host)).toBe(true);
        expect(r.host).toBe(r.host.toLowerCase());
        expect(isCanonicalHost(r.host)).toBe(true);
        expect(canonicalHost(r.host)).toEqual(r);
      }),
      { numRuns: 5000 },
    );
  });

  it('accepts a good share of the generated hosts (the property is not vacuous)', () => {
    const samples = fc.sample(hostish, { numRuns: 2000, seed: 42 });
    const ok = samples.filter((s) => canonicalHost(s).ok).length;
    expect(ok).toBeGreaterThan(200);
  });

  it('never throws on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => void canonicalHost(s)));
  });
});

// isCanonicalHost is one pass over the characters; its decisions must be those of canonicalising
// and comparing (isCanonicalBySlowPath), on hosts of every shape a feed can carry. The same pass
// yields the host's hash (canonicalHostHash), which must be hostHash's.
const agrees = (host: string): boolean => {
  const expected = isCanonicalBySlowPath(host) ? hostHash(host) | 0 : NOT_CANONICAL;
  return canonicalHostHash(host) === expected && isCanonicalHost(host) === (expected !== NOT_CANONICAL);
};

describe('isCanonicalHost agrees with canonicalise-and-compare', () => {
  const edgeCases = [
    'a.com',
    'a.b',
    'xn--caf-dma.example',
    'xn--76-8kcaef8fsao.xn--p1ai',
    'xn--.com',
    'xn--a.com',
    'xn--zz-.com',
    'a.xn--p1ai',
    'ab--cd.com',
    '_dmarc.a.com',
    'a_.b.com',
    '-a.com',
    'a-.com',
    'a.com.',
    '.a.com',
    'a..b.com',
    'com',
    'localhost',
    '10.1.2.3',
    '0.0.0.0',
    '255.255.255.255',
    '256.1.1.1',
    '01.2.3.4',
    '1.2.3',
    '1.2.3.4.5',
    '1.2.3.4.',
    'a.123',
    'a.0x1f',
    'a.0x',
    'a.0xg',
    'a.0x1g',
    'a.00x1',
    'a.x0',
    'a.1a',
    '1.a',
    '1.2.3.a',
    'Example.com',
    'a.com:80',
    'a b.com',
    'é.com',
    `${'a'.repeat(63)}.com`,
    `${'a'.repeat(64)}.com`,
    `${'a.'.repeat(126)}com`,
    `${'a.'.repeat(125)}com`,
    '',
    '.',
    '..',
  ];
  it.each(edgeCases)('%j', (host) => expect(agrees(host)).toBe(true));

  it('on generated and embedded hosts, and on each of them mangled', async () => {
    const { generatedHosts } = await import('../support/generated-hosts.ts');
    const { readFileSync, readdirSync } = await import('node:fs');
    const { REPO_ROOT } = await import('../support/paths.ts');
    const dir = `${REPO_ROOT}/extension/feeds`;
    const embedded = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .flatMap((f) => (JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')) as { entries: { hosts: string[] }[] }).entries.flatMap((g) => g.hosts));
    const hosts = [...generatedHosts(5_000, { seed: 3 }), ...embedded];
    expect(embedded.length).toBeGreaterThan(100);
    const mangled = hosts.flatMap((h, i) => [h, h.toUpperCase(), `${h}.`, `-${h}`, `${h}.${i}`, h.replace('.', '..'), `xn--${h}`, h.replace(/\.[^.]+$/, '.0x1')]);
    const differ = mangled.filter((h) => !agrees(h));
    expect(differ).toEqual([]);
    expect(mangled.filter((h) => isCanonicalHost(h)).length).toBeGreaterThan(hosts.length * 0.9);
  });

  // Labels from a small alphabet, so that the edges (hyphens, "xn--", digits, dots, lengths) are hit often.
  const edgeChar = fc.constantFrom(...'axnz09-_.'.split(''), 'xn--', 'A', 'é', ':');
  const label = fc.oneof(fc.string({ unit: edgeChar, minLength: 0, maxLength: 8 }), fc.constantFrom('xn--caf-dma', 'xn--p1ai', 'xn--', '0x1', '255', 'a'.repeat(63), 'a'.repeat(64)));
  const host = fc.oneof(
    fc.array(label, { minLength: 1, maxLength: 5 }).map((ls) => ls.join('.')),
    fc.tuple(fc.nat(300), fc.nat(300), fc.nat(300), fc.nat(300)).map((q) => q.join('.')),
    fc.string({ maxLength: 20 }),
  );
  it('on arbitrary hosts (property)', () => {
    fc.assert(fc.property(host, agrees), { numRuns: 20_000 });
    const accepted = fc.sample(host, { numRuns: 2_000, seed: 7 }).filter((h) => isCanonicalHost(h)).length;
    expect(accepted).toBeGreaterThan(100);
  });
});
