// The one host diff: what the compiler's overlay, the sync log's "what changed" and the feed tool's
// deltas each compute between two sets of hosts. A side is anything that can walk its hosts and
// answer membership (an order index, a wanted set, the hosts of installed rules, a feed's groups).

export interface HostSide {
  /** Every host once; `false` from `fn` stops the walk. */
  walk(fn: (host: string) => unknown): void;
  has(host: string): boolean;
}

export interface HostDiffHandlers {
  /** A host of `prev` that `next` lacks; `false` stops the diff. */
  readonly removed?: (host: string) => unknown;
  /** A host of `next` that `prev` lacks; `false` stops the diff. */
  readonly added?: (host: string) => unknown;
}

/** Reports the removed hosts (walking `prev`), then the added ones (walking `next`). */
export function diffHosts(prev: HostSide, next: HostSide, on: HostDiffHandlers): void {
  let stopped = false;
  const { removed, added } = on;
  if (removed) {
    prev.walk((h) => {
      if (!next.has(h) && removed(h) === false) {
        stopped = true;
        return false;
      }
    });
  }
  if (added && !stopped) {
    next.walk((h) => {
      if (!prev.has(h) && added(h) === false) return false;
    });
  }
}

/** A side over a list of distinct hosts and a membership test. */
export function sideOf(hosts: Iterable<string>, has: (host: string) => boolean): HostSide {
  return {
    walk(fn) {
      for (const h of hosts) if (fn(h) === false) return;
    },
    has,
  };
}
