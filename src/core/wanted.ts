// The wanted hosts as the compiler reads them: grouped by the orders behind them. The order indexes
// provide them without per-host objects (`wantedSet` in selection.ts); a plain list serves tests.
import type { WantedHost } from './selection.ts';

/**
 * The hosts to block, as the compiler reads them: grouped by the orders behind them, so a million
 * hosts need no per-host objects (see `wantedSet` in selection.ts, which reads the order indexes).
 */
export interface WantedSet {
  /** Distinct wanted hosts. */
  readonly size: number;
  /** Distinct lists of `JURISDICTION:ORDER` keys; every wanted host has one of them. */
  readonly orderSets: readonly (readonly string[])[];
  /** Every wanted host once, in a stable order, with the number of its keys in `orderSets`; `false` stops the walk. */
  walk(fn: (host: string, orderSet: number) => unknown): void;
  /** The number of a host's keys in `orderSets`, or -1 when the host is not wanted. */
  orderSetOf(host: string): number;
}

/** A wanted set over a plain list (tests, small callers); a repeated host keeps its first place and its last orders. */
export function wantedOfList(list: readonly WantedHost[]): WantedSet {
  const setOf = new Map<string, number>();
  const numbers = new Map<readonly string[], number>();
  const orderSets: (readonly string[])[] = [];
  for (const w of list) {
    let s = numbers.get(w.orders);
    if (s === undefined) {
      s = orderSets.push(w.orders) - 1;
      numbers.set(w.orders, s);
    }
    setOf.set(w.host, s);
  }
  return {
    size: setOf.size,
    orderSets,
    walk(fn) {
      for (const [h, s] of setOf) if (fn(h, s) === false) return;
    },
    orderSetOf: (host) => setOf.get(host) ?? -1,
  };
}

export function isWantedSet(w: WantedSet | readonly WantedHost[]): w is WantedSet {
  return !Array.isArray(w);
}
