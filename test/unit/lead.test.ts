// The lead of a block names who was ordered to block, as the enforced orders' sources say.
import { describe, expect, it } from 'vitest';
import type { ExplainedOrder, Explanation } from '../../src/core/explain.ts';
import type { Order } from '../../src/core/feed.ts';
import { leadLines } from '../../src/pages/view-model.ts';

const order = (over: Partial<Order> = {}): Order => ({ authority: 'a', category: 'copyright', act: { kind: 'register' }, sources: [{ url: 'https://example.org/' }], ...over });
const explained = (id: string, o: Order, court = false, enforced = true): ExplainedOrder => ({
  id,
  order: o,
  authority: { name: { it: court ? 'Tribunale di Milano' : 'AGCOM' }, ...(court ? { kind: 'court' as const } : {}) },
  edition: undefined,
  removedIn: undefined,
  enforced,
});
const ex = (orders: ExplainedOrder[]): Explanation => ({ input: 'x.example', host: 'x.example', blocked: true, feeds: [], matches: [{ jurisdiction: 'IT', listed: 'x.example', orders, enforced: true }] });

describe('lead lines', () => {
  it('names Internet providers only when a source says so, the resolver by name, the court first', () => {
    const lines = leadLines(ex([explained('dda', order()), explained('isp', order({ addressedTo: { kind: 'isps' } })), explained('case', order({ addressedTo: { kind: 'dns-resolver', name: 'Cloudflare' } }), true)]));
    expect(lines).toEqual([
      { key: 'leadResolver', subs: [{ text: 'Tribunale di Milano' }, { text: 'Cloudflare' }, { text: 'x.example' }] },
      { key: 'leadUnknown', subs: [{ key: 'authoritiesOf_IT' }, { text: 'x.example' }] },
      { key: 'leadIsps', subs: [{ key: 'authoritiesOf_IT' }, { text: 'x.example' }] },
      { key: 'leadAppliesMany', subs: [] },
    ]);
  });
  it('says nothing for orders that are not enforced', () => {
    expect(leadLines(ex([explained('dda', order(), false, false)]))).toEqual([]);
    expect(leadLines(ex([explained('dda', order())])).at(-1)).toEqual({ key: 'leadApplies', subs: [] });
  });
});
