// A feed's canonical bytes written straight into a buffer must be the UTF-8 of its canonical text,
// byte for byte: feeds and deltas are signed, and a delta's SHA-256 covers these bytes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { serializeFeed, serializeFeedBytes, type Feed } from '../../src/core/feed.ts';

const feed = (entries: Feed['entries']): Feed => ({
  format: 2,
  jurisdiction: 'IT',
  serial: 7,
  generated: '2026-01-01T00:00:00Z',
  expires: '2027-01-01T00:00:00Z',
  authorities: { a: { name: { it: 'Autorità per le garanzie — «AGCOM»', en: 'quote " and \\ and \u2028' } } },
  orders: { o: { authority: 'a', category: 'gambling', act: { kind: 'register', title: { it: 'registro' } }, sources: [{ url: 'https://example.org/' }] } },
  editions: { e: { source: 'tést' }, f: { source: 'f' } },
  entries,
});

const textBytes = (f: Feed): Uint8Array => new TextEncoder().encode(serializeFeed(f));

describe('serializeFeedBytes', () => {
  it.each<[string, Feed['entries']]>([
    ['no group', []],
    ['one empty group', [{ listings: [{ order: 'o', edition: 'e' }], hosts: [] }]],
    [
      'several groups, empty ones among them',
      [
        { listings: [{ order: 'o', edition: 'e' }], hosts: [] },
        { listings: [{ order: 'o', edition: 'e', removedIn: 'f', date: '2025-03' }], hosts: ['a.example', 'b.example'] },
        { listings: [{ order: 'o', edition: 'f' }], hosts: [] },
        {
          listings: [
            { order: 'o', edition: 'e', removed: '2026' },
            { order: 'o', edition: 'f' },
          ],
          hosts: ['c.example'],
        },
      ],
    ],
    ['IDN as punycode and IPv4', [{ listings: [{ order: 'o', edition: 'e' }], hosts: ['xn--80ajbekothchmme.xn--p1ai', 'xn--caf-dma.fr', '192.0.2.1', '10.0.0.255', 'www.example.co.uk'] }]],
    [
      'hosts JSON escapes (not canonical: the writer still matches the text)',
      [
        { listings: [{ order: 'o', edition: 'e' }], hosts: ['a.it', 'quote"d', 'back\\slash', 'new\nline', 'tab\tnul\u0000', 'del\u007f'] },
        { listings: [{ order: 'o', edition: 'f' }], hosts: ['café.fr', 'кино.рф', 'lone\ud800surrogate', 'pair\ud83d\ude00', '\u2028', ''] },
      ],
    ],
    ['hosts longer than the buffer first sized for them', [{ listings: [{ order: 'o', edition: 'e' }], hosts: ['€'.repeat(20_000), 'a.it', '"'.repeat(5000)] }]],
  ])('are the UTF-8 of serializeFeed: %s', (_, entries) => {
    const f = feed(entries);
    expect(serializeFeedBytes(f)).toEqual(textBytes(f));
  });

  it('are the UTF-8 of serializeFeed for any hosts', () => {
    const hosts = fc.array(fc.oneof(fc.domain(), fc.string({ unit: 'binary' }), fc.ipV4()), { maxLength: 8 });
    fc.assert(
      fc.property(fc.array(hosts, { maxLength: 4 }), (lists) => {
        const f = feed(lists.map((h) => ({ listings: [{ order: 'o', edition: 'e' }], hosts: h })));
        expect(serializeFeedBytes(f)).toEqual(textBytes(f));
      }),
    );
  });
});
