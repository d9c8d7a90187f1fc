// The lead of a block names who was ordered to block, as the enforced orders' sources say.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExplainedOrder, Explanation } from '../../src/core/explain.ts';
import type { Order } from '../../src/core/feed.ts';
import { leadLines, type LeadLine } from '../../src/pages/view-model.ts';

const en = JSON.parse(readFileSync(join(import.meta.dirname, '../../extension/_locales/en/messages.json'), 'utf8')) as Record<string, { placeholders?: Record<string, unknown> }>;
/** A line's key is typed, not its number of substitutions: it must be the message's placeholders. */
const expectArity = (lines: readonly LeadLine[]): void => {
  for (const l of lines) expect(l.subs.length, l.key).toBe(Object.keys(en[l.key]?.placeholders ?? {}).length);
};

const order = (over: Partial<Order> = {}): Order => ({
  authority: 'a',
  category: 'copyright',
  act: { kind: 'register' },
  sources: [{ url: 'https://example.org/' }],
  ...over,
});
const explained = (id: string, o: Order, court = false, enforced = true): ExplainedOrder => ({
  id,
  order: o,
  authority: { name: { it: court ? 'Tribunale di Milano' : 'AGCOM' }, ...(court ? { kind: 'court' as const } : {}) },
  edition: undefined,
  removedIn: undefined,
  enforced,
});
const ex = (orders: ExplainedOrder[], jurisdiction = 'IT'): Explanation => ({
  input: 'x.example',
  host: 'x.example',
  blocked: true,
  feeds: [],
  matches: [{ jurisdiction, listed: 'x.example', orders, enforced: true }],
});

describe('lead lines', () => {
  it('names Internet providers only when a source says so, the resolver by name, the court first', () => {
    const lines = leadLines(
      ex([explained('dda', order()), explained('isp', order({ addressedTo: { kind: 'isps' } })), explained('case', order({ addressedTo: { kind: 'dns-resolver', name: 'Cloudflare' } }), true)]),
    );
    expect(lines).toEqual([
      { key: 'leadResolver', subs: [{ text: 'Tribunale di Milano' }, { text: 'Cloudflare' }, { text: 'x.example' }] },
      { key: 'leadUnknown', subs: [{ key: 'authoritiesOf_IT' }, { text: 'x.example' }] },
      { key: 'leadIsps', subs: [{ key: 'authoritiesOf_IT' }, { text: 'x.example' }] },
      { key: 'leadAppliesMany', subs: [] },
    ]);
    expectArity(lines);
  });
  it('names the authorities of a jurisdiction by their country where the locales can', () => {
    const isps = order({ addressedTo: { kind: 'isps' } });
    expect(leadLines(ex([explained('a', isps)], 'CZ'))[0]).toEqual({ key: 'leadIsps', subs: [{ key: 'authoritiesOf_CZ' }, { text: 'x.example' }] });
    expect(leadLines(ex([explained('a', isps)], 'DE'))[0]).toEqual({ key: 'leadIsps', subs: [{ key: 'authoritiesOf' }, { text: 'x.example' }] });
    const privateBody = { ...explained('cuii', order()), authority: { name: { en: 'Clearingstelle' }, short: 'CUII', kind: 'private-body' as const } };
    expectArity(leadLines(ex([privateBody], 'DE')));
  });
  it('closes with "list" for a private body’s list, which orders no one, and names authorities in the page’s language', () => {
    const cuii = { ...explained('cuii', order()), authority: { name: { en: 'Clearingstelle Urheberrecht im Internet' }, short: 'CUII', kind: 'private-body' as const } };
    const de = leadLines(ex([cuii], 'DE'));
    expect(de).toEqual([
      { key: 'leadPrivateBody', subs: [{ text: 'x.example' }, { text: 'Clearingstelle Urheberrecht im Internet (CUII)' }] },
      { key: 'leadAppliesList', subs: [] },
    ]);
    expectArity(de);
    const both: Explanation = { ...ex([]), matches: [...ex([cuii], 'DE').matches, ...ex([explained('dda', order())]).matches] };
    expect(leadLines(both).at(-1)).toEqual({ key: 'leadAppliesMixed', subs: [] });
    const comlot = {
      ...explained('c', order({ addressedTo: { kind: 'dns-resolver', name: 'Swisscom' } })),
      authority: { name: { it: 'Commissione delle lotterie e scommesse', fr: 'Commission des loteries et paris' } },
    };
    expect(leadLines(ex([comlot], 'CH'))[0]?.subs[0]).toEqual({ text: 'Commissione delle lotterie e scommesse' });
    expect(leadLines(ex([comlot], 'CH'), (n) => n.fr ?? n.en)[0]?.subs[0]).toEqual({ text: 'Commission des loteries et paris' });
  });
  it('says nothing for orders that are not enforced', () => {
    expect(leadLines(ex([explained('dda', order(), false, false)]))).toEqual([]);
    expect(leadLines(ex([explained('dda', order())])).at(-1)).toEqual({ key: 'leadApplies', subs: [] });
  });
});
