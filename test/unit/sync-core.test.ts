import { describe, expect, it } from 'vitest';
import { serializeFeed, type Feed } from '../../src/core/feed.ts';
import { loadFeed } from '../../src/core/selection.ts';
import { applyDelta, backoffMinutes, checkCandidate, deltaUrl, feedOfLoaded, makeDelta } from '../../src/core/sync.ts';

const base: Feed = {
  format: 2,
  jurisdiction: 'IT',
  serial: 10,
  generated: '2026-11-28T00:00:00Z',
  expires: '2027-11-28T00:00:00Z',
  authorities: { A: { name: { it: 'A' } } },
  orders: {
    X: { authority: 'A', category: 'copyright', act: { kind: 'register' }, sources: [{ url: 'https://example.org/x' }] },
    Y: { authority: 'A', category: 'gambling', act: { kind: 'register' }, sources: [{ url: 'https://example.org/y' }] },
  },
  editions: { e1: { source: 's1' }, e2: { source: 's2' } },
  entries: [
    { listings: [{ order: 'X', edition: 'e1' }], hosts: ['a.example', 'b.example', 'c.example'] },
    { listings: [{ order: 'Y', edition: 'e1' }], hosts: ['d.example', 'e.example'] },
  ],
};

describe('checkCandidate', () => {
  const now = Date.parse('2026-12-01T00:00:00Z');
  it('accepts a newer, unexpired feed of the same jurisdiction', () => {
    expect(checkCandidate({ ...base, serial: 11 }, { jurisdiction: 'IT', installedSerial: 10, now })).toBeNull();
  });
  it.each([
    [{ serial: 10 }, 'same-serial'],
    [{ serial: 9 }, 'rollback'],
    [{ serial: 11, expires: '2026-11-30T00:00:00Z' }, 'expired'],
    [{ serial: 11, jurisdiction: 'DE' }, 'wrong-jurisdiction'],
  ])('%j → %s', (patch, reason) => {
    expect(checkCandidate({ ...base, ...patch }, { jurisdiction: 'IT', installedSerial: 10, now })?.reason).toBe(reason);
  });
});

describe('backoff', () => {
  it('doubles from one minute, capped by the interval', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((f) => backoffMinutes(f, 30))).toEqual([30, 1, 2, 4, 8, 16, 30, 30]);
  });
});

describe('deltas', () => {
  const next: Feed = {
    ...base,
    serial: 11,
    orders: { ...base.orders, Z: { authority: 'A', category: 'finance', act: { kind: 'register' }, sources: [{ url: 'https://example.org/z' }] } },
    entries: [
      { listings: [{ order: 'X', edition: 'e1' }], hosts: ['a.example', 'c.example', 'f.example'] },
      { listings: [{ order: 'Y', edition: 'e2' }], hosts: ['d.example', 'e.example'] },
      { listings: [{ order: 'Z', edition: 'e2' }], hosts: ['b.example'] },
    ],
  };

  it('names the delta beside the full feed', () => {
    expect(deltaUrl('https://x.example/feeds/IT.json', 42)).toBe('https://x.example/feeds/IT.delta-42.json');
  });

  it('rebuild the next feed exactly, from the compact index a browser holds', async () => {
    const d = await makeDelta(base, next);
    expect(d.removed).toEqual(['b.example', 'd.example', 'e.example']);
    const current = feedOfLoaded(loadFeed(base));
    expect(serializeFeed(current)).toBe(serializeFeed(base));
    const r = await applyDelta(current, JSON.parse(JSON.stringify(d)));
    expect(r.ok && serializeFeed(r.feed)).toBe(serializeFeed(next));
  });

  it('are refused from another serial, and when the result does not match the checksum', async () => {
    const d = await makeDelta(base, next);
    expect(await applyDelta({ ...base, serial: 9 }, d)).toMatchObject({ ok: false });
    expect(await applyDelta(base, { ...d, sha256: '0'.repeat(64) })).toEqual({ ok: false, message: 'delta result does not match the published feed (checksum)' });
    expect(await applyDelta(base, { ...d, added: [{ group: 9, hosts: ['x.example'] }] })).toMatchObject({ ok: false });
    expect(await applyDelta(base, { nonsense: true })).toMatchObject({ ok: false });
  });
});
