// A lookup in a stored index by byte ranges (core/order-index-stored.ts) answers exactly what the
// loaded index answers, and reads a small part of it.
import { describe, expect, it } from 'vitest';
import { lookupStored, type ReadRange } from '../../src/core/order-index-stored.ts';
import { OrderIndex } from '../../src/core/order-index.ts';
import { generatedHosts } from '../support/generated-hosts.ts';

const meta = (n: number) => ({ jurisdiction: 'IT', serial: 1, groups: Array.from({ length: n }, (_, i) => ({ listings: [{ order: `O${i}`, edition: 'e' }] })) });

/** Reads ranges of `index`'s bytes through a Blob, as the block page does, counting the bytes read. */
function blobReader(index: OrderIndex): { read: ReadRange; bytes: () => number } {
  const blob = new Blob([index.buffer]);
  let bytes = 0;
  return {
    read: async (offset, length) => {
      const b = await blob.slice(offset, offset + length).arrayBuffer();
      bytes += b.byteLength;
      return b;
    },
    bytes: () => bytes,
  };
}

describe('lookupStored', () => {
  const listed = [...generatedHosts(20_000, { seed: 7 }), '1.2.3.4', 'co.uk', 'example.com', 'sub.example.com'];
  // Four groups, one of them empty: runs of different lengths, an empty run between two others.
  const groups = listed.map((_, i) => (i % 7 === 0 ? 0 : i % 5 === 0 ? 2 : 3));
  const index = OrderIndex.build(meta(4), listed, groups);

  it('answers what the loaded index answers: listed hosts, subdomains, unlisted names, addresses', async () => {
    const { read } = blobReader(index);
    const probes = [
      ...listed.filter((_, i) => i % 97 === 0),
      ...listed.filter((_, i) => i % 89 === 0).map((h) => `www.a.${h}`),
      ...generatedHosts(300, { seed: 99, avoid: new Set(listed) }),
      'a.sub.example.com',
      'bbc.co.uk',
      '11.2.3.4',
      '1.2.3.4',
      'com',
    ];
    for (const host of probes) expect({ host, m: await lookupStored(read, host) }).toEqual({ host, m: index.lookup(host) });
  });

  it('reads a small part of the index', async () => {
    const { read, bytes } = blobReader(index);
    await lookupStored(read, `www.${listed[100] as string}`);
    expect(bytes()).toBeLessThan(index.buffer.byteLength / 50);
  });

  it('an empty index answers nothing; a foreign or older layout is refused', async () => {
    expect(await lookupStored(blobReader(OrderIndex.build(meta(1), [], [])).read, 'example.com')).toEqual([]);
    const old = index.buffer.slice(0);
    new Uint32Array(old, 0, 2)[1] = 3;
    await expect(lookupStored(async (o, l) => old.slice(o, o + l), 'example.com')).rejects.toThrow(/version 3/);
    await expect(lookupStored(async () => new ArrayBuffer(28), 'example.com')).rejects.toThrow(/not an Ordinanza index/);
  });
});
