// The one host hash, the compact host set and the one host diff.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffHosts, sideOf } from '../../src/core/host-diff.ts';
import { hostHash, HostSet } from '../../src/core/host-set.ts';

const host = fc.stringMatching(/^[a-z0-9-]{1,6}\.[a-z]{2,3}$/);

describe('HostSet', () => {
  it('behaves as a Set of strings, past its expected size (property)', () => {
    fc.assert(
      fc.property(fc.array(host, { maxLength: 300 }), fc.array(host, { maxLength: 50 }), (adds, probes) => {
        const ours = new HostSet(4);
        const ref = new Set<string>();
        for (const h of adds) expect(ours.add(h)).toBe(!ref.has(h) && Boolean(ref.add(h)));
        expect(ours.size).toBe(ref.size);
        expect([...ours.values()]).toEqual([...ref]);
        for (const p of [...probes, ...adds]) expect(ours.has(p)).toBe(ref.has(p));
      }),
    );
  });

  it('hashes right to left: a parent domain is a suffix of the same pass', () => {
    expect(hostHash('b.example', 9, 2)).toBe(hostHash('example'));
    expect(hostHash('a.example')).not.toBe(hostHash('example.a'));
  });
});

describe('diffHosts', () => {
  it('reports removed then added hosts, and stops when a handler says so', () => {
    const prev = ['a.it', 'b.it', 'c.it'];
    const next = ['b.it', 'c.it', 'd.it', 'e.it'];
    const side = (hs: string[]) => sideOf(hs, (h) => hs.includes(h));
    const seen: string[] = [];
    diffHosts(side(prev), side(next), { removed: (h) => void seen.push(`-${h}`), added: (h) => void seen.push(`+${h}`) });
    expect(seen).toEqual(['-a.it', '+d.it', '+e.it']);
    const stopped: string[] = [];
    diffHosts(side(prev), side(next), {
      removed: (h) => void stopped.push(h),
      added: (h) => {
        stopped.push(h);
        return false;
      },
    });
    expect(stopped).toEqual(['a.it', 'd.it']);
    const onlyAdded: string[] = [];
    diffHosts(side([]), side(next), { added: (h) => void onlyAdded.push(h) });
    expect(onlyAdded).toEqual(next);
  });
});
