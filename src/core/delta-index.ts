// A delta applied to an installed order index without a string per host: the kept hosts' records
// are copied from the installed index's bytes, merged in order with the delta's added hosts, and
// written at once into the new index and into the canonical bytes the delta's SHA-256 covers.
// The new index is laid out exactly as `OrderIndex.fromGroups` lays out the same hosts (a unit
// test compares the bytes), then read back with `OrderIndex.load`.
import type { EntryGroup, Feed, GroupHead } from './feed.ts';
import { FeedWriter } from './feed-serial.ts';
import { FNV_OFFSET, FNV_PRIME } from './host-set.ts';
import { fingerprint, HEADER_WORDS, homeSlot, INDEX_VERSION, MAGIC, offsetBits, OrderIndex, type IndexMeta } from './order-index.ts';

/** `OrderIndex`'s table size for `n` hosts (its load factor of 0.8). */
function tableSizeOf(n: number): number {
  return Math.max(1, Math.ceil(n / 0.8));
}

/** An index's host records and where each group's run of them starts (in hosts and in bytes), read from its buffer's layout. */
function recordsOf(index: OrderIndex): { bytes: Uint8Array; groupEntry: Uint32Array; groupByte: Uint32Array } {
  const [, , , tableSize = 0, hostBytesLength = 0, , groupCount = 0] = new Uint32Array(index.buffer, 0, HEADER_WORDS);
  const words = HEADER_WORDS + 2 * (groupCount + 1) + tableSize;
  return {
    bytes: new Uint8Array(index.buffer, words * 4, hostBytesLength),
    groupEntry: new Uint32Array(index.buffer, HEADER_WORDS * 4, groupCount + 1),
    groupByte: new Uint32Array(index.buffer, (HEADER_WORDS + groupCount + 1) * 4, groupCount + 1),
  };
}

/** Record `a` against record `b` of `bytes`, as their hosts compare as strings (ASCII: byte order is code unit order). */
function compareRecords(bytes: Uint8Array, a: number, b: number): number {
  const la = bytes[a] as number;
  const lb = bytes[b] as number;
  const n = Math.min(la, lb);
  for (let i = 1; i <= n; i++) {
    const d = (bytes[a + i] as number) - (bytes[b + i] as number);
    if (d !== 0) return d;
  }
  return la - lb;
}

/** Record `a` of `bytes` against the string `s`, as strings compare. */
function compareRecordToString(bytes: Uint8Array, a: number, s: string): number {
  const la = bytes[a] as number;
  const n = Math.min(la, s.length);
  for (let i = 0; i < n; i++) {
    const d = (bytes[a + 1 + i] as number) - s.charCodeAt(i);
    if (d !== 0) return d;
  }
  return la - s.length;
}

/** Writes host records into a new index's buffer, group by group, hashing and placing each in the table. */
class IndexWriter {
  readonly buffer: ArrayBuffer;
  readonly bytes: Uint8Array;
  private readonly groupEntry: Uint32Array;
  private readonly groupByte: Uint32Array;
  private readonly table: Uint32Array;
  private readonly bits: number;
  private pos = 0;
  private entries = 0;
  private group = 0;

  constructor(meta: IndexMeta, n: number, hostBytesLength: number) {
    const groupCount = meta.groups.length;
    const metaBytes = new TextEncoder().encode(JSON.stringify(meta));
    const tableSize = tableSizeOf(n);
    const words = HEADER_WORDS + 2 * (groupCount + 1) + tableSize;
    this.buffer = new ArrayBuffer(words * 4 + hostBytesLength + metaBytes.length);
    const u32 = new Uint32Array(this.buffer, 0, words);
    u32.set([MAGIC, INDEX_VERSION, n, tableSize, hostBytesLength, metaBytes.length, groupCount]);
    this.groupEntry = u32.subarray(HEADER_WORDS, HEADER_WORDS + groupCount + 1);
    this.groupByte = u32.subarray(HEADER_WORDS + groupCount + 1, HEADER_WORDS + 2 * (groupCount + 1));
    this.table = u32.subarray(HEADER_WORDS + 2 * (groupCount + 1));
    this.bytes = new Uint8Array(this.buffer, words * 4, hostBytesLength);
    new Uint8Array(this.buffer, words * 4 + hostBytesLength).set(metaBytes);
    this.bits = offsetBits(hostBytesLength);
  }

  /** Starts the next group's run. */
  startGroup(): void {
    this.groupEntry[this.group] = this.entries;
    this.groupByte[this.group++] = this.pos;
  }

  /** Appends the record at `at` of `src`; returns where it now starts. */
  copy(src: Uint8Array, at: number): number {
    const { bytes, pos } = this;
    const len = src[at] as number;
    bytes[pos] = len;
    // Copied and hashed in one loop, right to left as `hostHash` reads a host (a view per host
    // with `set(subarray(…))` costs more than copying its few bytes).
    let hash = FNV_OFFSET;
    for (let i = len; i > 0; i--) {
      const b = src[at + i] as number;
      bytes[pos + i] = b;
      hash ^= b;
      hash = Math.imul(hash, FNV_PRIME);
    }
    return this.placeHashed(hash >>> 0, len);
  }

  /** Appends `h` (canonical, so ASCII and at most 253 characters); returns where its record starts. */
  host(h: string): number {
    const { bytes, pos } = this;
    bytes[pos] = h.length;
    for (let i = 0; i < h.length; i++) bytes[pos + 1 + i] = h.charCodeAt(i);
    return this.place();
  }

  finish(): OrderIndex {
    this.groupEntry[this.group] = this.entries;
    this.groupByte[this.group] = this.pos;
    return OrderIndex.load(this.buffer);
  }

  /** Hashes the record just written at `pos` (`hostHash`: right to left) and fills its slot. */
  private place(): number {
    const { bytes, pos } = this;
    const len = bytes[pos] as number;
    let hash = FNV_OFFSET;
    for (let i = pos + len; i > pos; i--) {
      hash ^= bytes[i] as number;
      hash = Math.imul(hash, FNV_PRIME);
    }
    return this.placeHashed(hash >>> 0, len);
  }

  /** Fills the slot of the record of `len` bytes just written at `pos`, whose host hashes to `hash`. */
  private placeHashed(hash: number, len: number): number {
    const { table, pos } = this;
    const size = table.length;
    let slot = homeSlot(hash, size);
    while (table[slot] !== 0) if (++slot === size) slot = 0;
    table[slot] = ((fingerprint(hash, this.bits) << this.bits) | (pos + 1)) >>> 0;
    this.pos = pos + len + 1;
    this.entries++;
    return pos;
  }
}

export interface IndexChange {
  /** The installed index. */
  readonly index: OrderIndex;
  /** The new group of each installed group, -1 when the group is gone. */
  readonly target: Int32Array;
  /** Entries of the installed index the delta removes, ascending. */
  readonly removedEntries: Int32Array;
  /** The new feed without its hosts, and its groups. */
  readonly head: Omit<Feed, 'entries'>;
  readonly groups: readonly GroupHead[];
  /** Per new group, the hosts the delta adds (canonical, each listed once). */
  readonly added: readonly (readonly string[])[];
}

type Applied = { index: OrderIndex; bytes: Uint8Array<ArrayBuffer>; dropped: number[] };

/**
 * The new index and the canonical bytes of the new feed, with the installed entries dropped
 * (removed, or of a gone group) in index order; the first result `accept` takes (the delta's
 * checksum), or null. The one-pass merge first, which trusts the kept records to be in order (as
 * the feed tool writes every group) instead of comparing each pair; if they were not, its bytes
 * are not the publisher's and the gathering way, which sorts such a group, is tried.
 */
export async function applyToIndex(c: IndexChange, accept: (bytes: Uint8Array<ArrayBuffer>) => Promise<boolean>): Promise<Applied | null> {
  const merged = applyInOrder(c);
  if (merged && (await accept(merged.bytes))) return merged;
  const gathered = applyByLists(c);
  return (await accept(gathered.bytes)) ? gathered : null;
}

/** The first entry of `sorted` at or after `e`. */
function lowerBound(sorted: Int32Array, e: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < e) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The usual case in one pass over the installed records: each new group keeps the hosts of at most
 * one installed group, whose records are taken to be in order. The kept records are merged with
 * the added hosts as they are read, each written to the new index and the feed's bytes at once,
 * with no list of them. Null (before anything is kept) when two installed groups become one:
 * `applyByLists` then does it.
 */
function applyInOrder(c: IndexChange): Applied | null {
  const { bytes: old, groupEntry, groupByte } = recordsOf(c.index);
  const groupCount = c.groups.length;
  const removed = c.removedEntries;
  // The installed group each new group keeps hosts of.
  const source = new Int32Array(groupCount).fill(-1);
  for (let g = 0; g + 1 < groupByte.length; g++) {
    const t = c.target[g] as number;
    if (t < 0) continue;
    if ((source[t] as number) >= 0) return null;
    source[t] = g;
  }
  // What is dropped, in index order: the removed records, and every record of a gone group.
  const dropped: number[] = [];
  let n = 0;
  let hostBytesLength = 0;
  let r = 0;
  for (let g = 0; g + 1 < groupByte.length; g++) {
    const start = groupByte[g] as number;
    const end = groupByte[g + 1] as number;
    if ((c.target[g] as number) < 0) {
      for (let e = start; e < end; e += (old[e] as number) + 1) dropped.push(e);
      while (r < removed.length && (removed[r] as number) < end) r++;
      continue;
    }
    n += (groupEntry[g + 1] as number) - (groupEntry[g] as number);
    hostBytesLength += end - start;
    for (; r < removed.length && (removed[r] as number) < end; r++) {
      const e = removed[r] as number;
      dropped.push(e);
      n--;
      hostBytesLength -= (old[e] as number) + 1;
    }
  }
  const added = c.added.map((hosts) => [...hosts].sort());
  for (const hosts of added) {
    n += hosts.length;
    for (const h of hosts) hostBytesLength += h.length + 1;
  }
  const meta: IndexMeta = { jurisdiction: c.head.jurisdiction, serial: c.head.serial, groups: c.groups.map((g) => ({ listings: g.listings })) };
  const out = new IndexWriter(meta, n, hostBytesLength);
  const text = new FeedWriter(c.head, hostBytesLength + n * 7);
  for (let t = 0; t < groupCount; t++) {
    out.startGroup();
    text.startGroup(c.groups[t] as GroupHead);
    const g = source[t] as number;
    let e = g >= 0 ? (groupByte[g] as number) : 0;
    const end = g >= 0 ? (groupByte[g + 1] as number) : 0;
    let k = lowerBound(removed, e);
    let nextRemoved = k < removed.length ? (removed[k] as number) : -1;
    const add = added[t] as string[];
    let j = 0;
    for (;;) {
      while (e < end && e === nextRemoved) {
        e += (old[e] as number) + 1;
        nextRemoved = ++k < removed.length ? (removed[k] as number) : -1;
      }
      if (e >= end && j === add.length) break;
      let at: number;
      if (j < add.length && (e >= end || compareRecordToString(old, e, add[j] as string) > 0)) at = out.host(add[j++] as string);
      else {
        at = out.copy(old, e);
        e += (old[e] as number) + 1;
      }
      text.indexRecord(out.bytes, at);
    }
  }
  return { index: out.finish(), bytes: text.finish(), dropped };
}

/**
 * Any change: the kept records gathered per new group first, a group's taken as strings and sorted
 * with its added hosts when they are out of order (an unsorted feed, or installed groups merged).
 */
function applyByLists(c: IndexChange): Applied {
  const { bytes: old, groupByte } = recordsOf(c.index);
  const groupCount = c.groups.length;
  // The kept records of each new group, in index order; a group whose kept records are out of order
  // (an unsorted feed, or old groups merged) takes them as strings, sorted with its added hosts.
  const kept = Array.from({ length: groupCount }, () => [] as number[]);
  const keptSorted = new Uint8Array(groupCount).fill(1);
  const dropped: number[] = [];
  let keptBytes = 0;
  const removed = c.removedEntries;
  let r = 0;
  // -1 once all are met: no read past the array's end in the loop.
  let nextRemoved = removed.length > 0 ? (removed[0] as number) : -1;
  for (let g = 0; g + 1 < groupByte.length; g++) {
    const t = c.target[g] as number;
    const list = kept[t];
    for (let e = groupByte[g] as number; e < (groupByte[g + 1] as number); e += (old[e] as number) + 1) {
      if (e === nextRemoved) nextRemoved = ++r < removed.length ? (removed[r] as number) : -1;
      else if (list) {
        if (list.length > 0 && compareRecords(old, list[list.length - 1] as number, e) > 0) keptSorted[t] = 0;
        list.push(e);
        keptBytes += (old[e] as number) + 1;
        continue;
      }
      dropped.push(e);
    }
  }
  const added = c.added.map((hosts, t) => {
    if (keptSorted[t] === 1) return [...hosts].sort();
    const all = (kept[t] as number[]).map((e) => c.index.hostAt(e));
    for (const e of kept[t] as number[]) keptBytes -= (old[e] as number) + 1;
    kept[t] = [];
    return all.concat(hosts).sort();
  });
  let n = 0;
  let hostBytesLength = keptBytes;
  for (let t = 0; t < groupCount; t++) {
    n += (kept[t] as number[]).length + (added[t] as string[]).length;
    for (const h of added[t] as string[]) hostBytesLength += h.length + 1;
  }
  const meta: IndexMeta = { jurisdiction: c.head.jurisdiction, serial: c.head.serial, groups: c.groups.map((g) => ({ listings: g.listings })) };
  const out = new IndexWriter(meta, n, hostBytesLength);
  const text = new FeedWriter(c.head, hostBytesLength + n * 7);
  for (let t = 0; t < groupCount; t++) {
    out.startGroup();
    text.startGroup(c.groups[t] as GroupHead);
    const keep = kept[t] as number[];
    const add = added[t] as string[];
    let i = 0;
    let j = 0;
    while (i < keep.length || j < add.length) {
      const at = j < add.length && (i === keep.length || compareRecordToString(old, keep[i] as number, add[j] as string) > 0) ? out.host(add[j++] as string) : out.copy(old, keep[i++] as number);
      text.indexRecord(out.bytes, at);
    }
  }
  return { index: out.finish(), bytes: text.finish(), dropped };
}

/**
 * A feed's groups whose hosts are read from its index when first asked for, all groups in one walk:
 * the extension keeps the index and never asks (it needs the feed's head), and a million host
 * strings cost a walk and tens of MB of garbage. Read, a group's `hosts` is a plain array.
 */
export function groupsReadLazily(groups: readonly GroupHead[], index: OrderIndex): EntryGroup[] {
  const out = groups.map((g) => ({ listings: g.listings }) as EntryGroup);
  const settle = (g: EntryGroup, hosts: string[]): void => void Object.defineProperty(g, 'hosts', { value: hosts, enumerable: true, writable: true, configurable: true });
  const read = (): void => {
    const hosts = out.map(() => [] as string[]);
    index.forEachHost((h, g) => void hosts[g]?.push(h));
    out.forEach((g, i) => {
      if (Object.getOwnPropertyDescriptor(g, 'hosts')?.get) settle(g, hosts[i] as string[]);
    });
  };
  for (const g of out) {
    Object.defineProperty(g, 'hosts', {
      enumerable: true,
      configurable: true,
      get: () => {
        read();
        return g.hosts;
      },
      set: (hosts: string[]) => settle(g, hosts),
    });
  }
  return out;
}
