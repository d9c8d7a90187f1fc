// The one host diff: what the compiler's overlay, the sync log's "what changed" and the feed tool's
// deltas each compute between two sets of hosts. A side is anything that can walk its hosts and
// answer membership (an order index, a wanted set, the hosts of installed rules, a feed's groups).

export interface HostSide {
  /** Every host once; `false` from `fn` stops the walk. */
  forEach(fn: (host: string) => void | false): void;
  has(host: string): boolean;
}

export interface HostDiffHandlers {
  /** A host of `prev` that `next` lacks; `false` stops the diff. */
  readonly removed?: (host: string) => void | false;
  /** A host of `next` that `prev` lacks; `false` stops the diff. */
  readonly added?: (host: string) => void | false;
}

/** Reports the removed hosts (walking `prev`), then the added ones (walking `next`). */
export function diffHosts(prev: HostSide, next: HostSide, on: HostDiffHandlers): void {
  let stopped = false;
  const { removed, added } = on;
  if (removed) {
    prev.forEach((h) => {
      if (!next.has(h) && removed(h) === false) {
        stopped = true;
        return false;
      }
    });
  }
  if (added && !stopped) {
    next.forEach((h) => {
      if (!prev.has(h) && added(h) === false) return false;
    });
  }
}

/** A side over a list of distinct hosts and a membership test. */
export function sideOf(hosts: Iterable<string>, has: (host: string) => boolean): HostSide {
  return {
    forEach(fn) {
      for (const h of hosts) if (fn(h) === false) return;
    },
    has,
  };
}
