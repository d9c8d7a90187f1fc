// The base hosts below another base host ("nested"), which a full compile notes for the overlays
// compiled from a change (change-overlay.ts): when a change lifts a host, the nested hosts below it
// must stay blocked. A host below another ends with that one's last two labels, so the nested hosts
// are grouped by a hash of their last two labels, and a change reads only the groups of the hosts
// it lifts instead of every nested host (855k of a million in the bench's corpus).
import { FNV_OFFSET, FNV_PRIME } from './host-set.ts';

const GROUP_BITS = 16;
/** The number of groups. */
export const NESTED_GROUPS = 1 << GROUP_BITS;

export interface NestedHosts {
  readonly hosts: readonly string[];
  /**
   * Group g's hosts are `hosts[starts[g]]` up to `hosts[starts[g + 1]]` (NESTED_GROUPS + 1 entries);
   * null when they are not grouped (a copy kept by an earlier build): every host is then read.
   */
  readonly starts: Uint32Array | null;
}

/**
 * A hash of a host's last two labels (of the host itself when it has two), -1 for a single label:
 * read from the end, with no string made (asked of up to a million hosts).
 */
export function tailHash(h: string): number {
  let hash = FNV_OFFSET;
  let dots = 0;
  for (let i = h.length - 1; i >= 0; i--) {
    const c = h.charCodeAt(i);
    if (c === 0x2e && ++dots === 2) break;
    hash = Math.imul(hash ^ c, FNV_PRIME);
  }
  return dots === 0 ? -1 : hash >>> 0;
}

function groupOf(tail: number): number {
  return tail === -1 ? 0 : tail >>> (32 - GROUP_BITS);
}

/** `hosts` grouped (each group in the order given): a pass to hash and count, a pass to place. */
export function groupNested(hosts: readonly string[]): NestedHosts {
  const n = hosts.length;
  const of = new Uint16Array(n);
  const starts = new Uint32Array(NESTED_GROUPS + 1);
  for (let i = 0; i < n; i++) {
    const g = groupOf(tailHash(hosts[i] as string));
    of[i] = g;
    starts[g + 1] = (starts[g + 1] as number) + 1;
  }
  for (let g = 0; g < NESTED_GROUPS; g++) starts[g + 1] = (starts[g + 1] as number) + (starts[g] as number);
  const next = starts.slice(0, NESTED_GROUPS);
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const g = of[i] as number;
    out[next[g] as number] = hosts[i] as string;
    next[g] = (next[g] as number) + 1;
  }
  return { hosts: out, starts };
}

/** Whether `starts` can be the groups of `count` hosts (a stored copy is checked before it is trusted). */
export function isGrouping(starts: unknown, count: number): starts is Uint32Array {
  if (!(starts instanceof Uint32Array) || starts.length !== NESTED_GROUPS + 1 || starts[0] !== 0 || starts[NESTED_GROUPS] !== count) return false;
  for (let g = 0; g < NESTED_GROUPS; g++) if ((starts[g] as number) > (starts[g + 1] as number)) return false;
  return true;
}

/**
 * The nested hosts that may lie below one of `lifted`, in the order `nested` holds them: those of
 * the groups of the lifted hosts' last two labels, or every one when they are not grouped (or a
 * lifted host has a single label, which no canonical host has).
 */
export function candidatesBelow(nested: NestedHosts, lifted: readonly string[]): readonly string[] {
  const { hosts, starts } = nested;
  if (!starts) return hosts;
  const groups = new Set<number>();
  for (const l of lifted) {
    const t = tailHash(l);
    if (t === -1) return hosts;
    groups.add(groupOf(t));
  }
  const out: string[] = [];
  for (const g of [...groups].sort((a, b) => a - b)) {
    for (let i = starts[g] as number; i < (starts[g + 1] as number); i++) out.push(hosts[i] as string);
  }
  return out;
}
