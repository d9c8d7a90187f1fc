// Canonical hostnames: table cases and properties over arbitrary input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalHost, hostOfUrl, isCanonicalHost, matchCandidates } from '../../src/core/hostname.ts';

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
