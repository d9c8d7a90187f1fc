// The pure decisions behind the popup and the options page, and that each message they name exists
// in every locale.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExplainedOrder, Explanation } from '../../src/core/explain.ts';
import type { Order } from '../../src/core/feed.ts';
import type { SyncErrorReason, SyncState } from '../../src/core/messages.ts';
import {
  ageInDays,
  classifyTab,
  FEED_URL_ISSUE_KEYS,
  NON_WEB_TAB_KEYS,
  notEnforcedReason,
  notEnforcedReasons,
  sortedCounts,
  SYNC_ERROR_KEYS,
  syncLines,
  verdictOf,
  type Msg,
} from '../../src/pages/view-model.ts';

const root = join(import.meta.dirname, '../..');
const messages = Object.fromEntries(
  ['en', 'it', 'fr'].map((l) => [
    l,
    JSON.parse(readFileSync(join(root, 'extension/_locales', l, 'messages.json'), 'utf8')) as Record<string, { message: string; placeholders?: Record<string, unknown> }>,
  ]),
);

function expectMessages(keys: readonly string[]): void {
  for (const [l, m] of Object.entries(messages)) for (const k of keys) expect(m[k]?.message, `${l}.${k}`).toBeTruthy();
}

function keysOf(m: Msg): string[] {
  return [m.key, ...(m.subs ?? []).filter((s) => !s.startsWith('jurisdiction_'))];
}

/** A Msg's key is typed, not its number of substitutions: it must be the message's placeholders (`at`, a time, comes first). */
function expectArity(m: Msg, at?: string): void {
  const placeholders = messages['en']?.[m.key]?.placeholders ?? {};
  expect((m.subs?.length ?? 0) + (at ? 1 : 0), m.key).toBe(Object.keys(placeholders).length);
}

const BLOCK_PAGE = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/src/pages/blocked.html';

describe('classifyTab', () => {
  it.each([
    ['https://example.org/x', { kind: 'web', url: 'https://example.org/x' }],
    ['http://kickasstorrents.to/', { kind: 'web', url: 'http://kickasstorrents.to/' }],
    [`${BLOCK_PAGE}#http://kickasstorrents.to/a?b=1#c`, { kind: 'block-page', url: 'http://kickasstorrents.to/a?b=1#c' }],
    [`${BLOCK_PAGE}#`, { kind: 'block-page', url: '' }],
    ['chrome://newtab/', { kind: 'new-tab' }],
    ['chrome://new-tab-page/', { kind: 'new-tab' }],
    ['about:newtab', { kind: 'new-tab' }],
    ['about:home', { kind: 'new-tab' }],
    ['about:blank', { kind: 'new-tab' }],
    ['chrome://settings/', { kind: 'browser-page' }],
    ['about:addons', { kind: 'browser-page' }],
    ['edge://settings', { kind: 'browser-page' }],
    ['view-source:https://example.org/', { kind: 'browser-page' }],
    ['chrome-extension://abcdefghijklmnopabcdefghijklmnop/src/pages/options.html', { kind: 'extension-page' }],
    ['chrome-extension://otherotherotherotherotherotherot/src/pages/blocked.html#http://x/', { kind: 'extension-page' }],
    ['moz-extension://7f3c2a91-5d4e-4b8a-9c61-0e2d4f6a8b13/page.html', { kind: 'extension-page' }],
    ['file:///home/me/page.html', { kind: 'local-file' }],
    [undefined, { kind: 'unknown' }],
    ['', { kind: 'unknown' }],
  ])('%s', (url, expected) => {
    expect(classifyTab(url, BLOCK_PAGE)).toEqual(expected);
  });

  it('every page that is not a website has a sentence in every locale', () => {
    expectMessages(Object.values(NON_WEB_TAB_KEYS));
  });
});

function order(category: Order['category']): Order {
  return { authority: 'adm', category, act: { kind: 'register' }, sources: [{ url: 'https://example.org/' }] };
}

function explained(id: string, o: Order, enforced: boolean, removed = false): ExplainedOrder {
  return { id, order: o, authority: undefined, edition: { id: 'e1', source: 's' }, removedIn: removed ? { id: 'e2', source: 's' } : undefined, enforced };
}

describe('why a listed site is not blocked', () => {
  const on = { jurisdictions: { IT: true }, categories: {} };
  it.each([
    ['enforced', explained('a', order('gambling'), true), on, null],
    ['removed from a newer edition', explained('a', order('gambling'), false, true), on, { key: 'reasonRemoved' }],
    ['jurisdiction off', explained('a', order('gambling'), false), { jurisdictions: { IT: false }, categories: {} }, { key: 'reasonJurisdictionOff', subs: ['jurisdiction_IT'] }],
    ['jurisdiction absent', explained('a', order('gambling'), false), { jurisdictions: {}, categories: {} }, { key: 'reasonJurisdictionOff', subs: ['jurisdiction_IT'] }],
    [
      'category off',
      explained('a', order('gambling'), false),
      { jurisdictions: { IT: true }, categories: { IT: { gambling: false } } },
      { key: 'reasonCategoryOff', subs: ['category_gambling', 'jurisdiction_IT'] },
    ],
    ['stale explanation', explained('a', order('gambling'), false), on, { key: 'reasonUnknown' }],
  ] as const)('%s', (_name, o, settings, expected) => {
    const r = notEnforcedReason('IT', o, settings);
    expect(r).toEqual(expected);
    if (r) expectMessages(keysOf(r));
    if (r) expectArity(r);
  });

  it('lists each reason once, across matches', () => {
    const ex: Explanation = {
      input: 'x.example',
      host: 'x.example',
      blocked: false,
      feeds: [],
      matches: [
        {
          jurisdiction: 'IT',
          listed: 'x.example',
          enforced: false,
          orders: [explained('a', order('gambling'), false), explained('b', order('gambling'), false)],
        },
        { jurisdiction: 'IT', listed: 'example', enforced: false, orders: [explained('c', order('copyright'), false, true)] },
      ],
    };
    expect(notEnforcedReasons(ex, { jurisdictions: { IT: true }, categories: { IT: { gambling: false } } })).toEqual([
      { key: 'reasonCategoryOff', subs: ['category_gambling', 'jurisdiction_IT'] },
      { key: 'reasonRemoved' },
    ]);
    expect(verdictOf(ex)).toBe('listed-not-enforced');
    expect(verdictOf({ ...ex, blocked: true })).toBe('blocked');
    expect(verdictOf({ ...ex, matches: [] })).toBe('not-listed');
    expect(verdictOf({ ...ex, host: null })).toBe('no-host');
  });
});

describe('sync status in plain words', () => {
  const url = 'https://lists.example.org/IT.json';
  const base: SyncState = {
    url,
    lastAttempt: '2026-11-28T10:00:00Z',
    lastSuccess: null,
    lastOutcome: null,
    lastError: null,
    failures: 0,
    nextSync: '2026-11-28T10:30:00Z',
    etag: null,
    lastModified: null,
    lastChange: null,
    deltaFallback: null,
  };

  it('every failure reason has a sentence in every locale', () => {
    const reasons = Object.keys(SYNC_ERROR_KEYS) as SyncErrorReason[];
    expect(reasons).toHaveLength(15);
    expectMessages(Object.values(SYNC_ERROR_KEYS));
    expectMessages(Object.values(FEED_URL_ISSUE_KEYS));
  });

  it.each([
    ['no feed address', null, null, [['syncOff']]],
    ['never tried', url, null, [['syncNever']]],
    ['state of an older address', url, { ...base, url: 'https://old.example.org/IT.json' }, [['syncNever']]],
    ['installed', url, { ...base, lastSuccess: '2026-11-28T10:00:01Z', lastOutcome: 'installed' }, [['syncLastSuccess', 'syncOutcome_installed'], ['syncNext']]],
    ['up to date', url, { ...base, lastSuccess: '2026-11-28T10:00:01Z', lastOutcome: 'not-modified' }, [['syncLastSuccess', 'syncOutcome_unchanged'], ['syncNext']]],
    [
      'failed, never succeeded',
      url,
      { ...base, failures: 1, lastError: { at: '2026-11-28T10:00:00Z', reason: 'http-status', message: 'HTTP 404' } },
      [['syncNoSuccess'], ['syncLastError', 'syncError_httpStatus'], ['syncNext']],
    ],
  ] as const)('%s', (_name, feedUrl, sync, expected) => {
    const lines = syncLines(feedUrl, sync as SyncState | null);
    expect(lines.map((l) => [l.msg.key, ...(l.msg.subs ?? [])])).toEqual(expected);
    for (const l of lines) expectMessages(keysOf(l.msg));
    for (const l of lines) expectArity(l.msg, l.at);
    expect(lines.filter((l) => l.tone === 'error').length).toBe(sync?.lastError ? 1 : 0);
  });
});

describe('helpers', () => {
  it('ageInDays', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    expect(ageInDays('2026-11-28T00:00:00Z', now)).toBe(0);
    expect(ageInDays('2026-11-25T11:00:00Z', now)).toBe(3);
    expect(ageInDays('2026-12-01T00:00:00Z', now)).toBe(0);
    expect(ageInDays('garbage', now)).toBe(0);
  });

  it('sortedCounts: largest first, then by name', () => {
    expect(sortedCounts({ b: 2, a: 2, c: 10 })).toEqual([
      ['c', 10],
      ['a', 2],
      ['b', 2],
    ]);
  });
});
