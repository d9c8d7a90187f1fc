// The order index: host → the entry groups (order and edition listings) that list it, with exactly the
// browser's matching (an entry covers the host and every subdomain).
//
// Built once per feed, stored as one ArrayBuffer, loaded by taking typed-array views: no per-host
// objects are rebuilt at service-worker start. Layout (little endian):
//   magic "ORDX" | u32 version | u32 hostCount | u32 tableSize | u32 hostBytesLength | u32 metaLength | u32 groupCount
//   u32 groupEntry[groupCount + 1] | u32 groupByte[groupCount + 1] | u32 table[tableSize] | u8 hostBytes[] | u8 meta (JSON)
// The host bytes are records `[length u8][ASCII host]`, a group's hosts in one run: `groupEntry` and
// `groupByte` are where each run starts (in hosts and in bytes), so no per-host group or offset is
// stored (a host's group, needed only for a match, is a binary search over the runs).
// An entry is named by the offset of its record in the host bytes.
// The table is open addressing with linear probing at a load factor of 0.8 (any size, not a power of
// two: a slot is the hash's high bits scaled to the size); a slot holds the record offset + 1 (0 =
// empty) in its low bits and a fingerprint of the host's hash in the bits above (7 bits at a million
// hosts), so a probe for a name that is not listed seldom touches the host bytes (one in twelve, at a
// million, in test/bench/bench.ts), and a listed one costs one access there.
// Hosts are hashed right to left (`hostHash`), so one pass over a looked-up host yields the hash of
// every parent domain.

export const INDEX_VERSION = 4;
export const MAGIC = 0x5844524f; // "ORDX" read as little-endian u32
export const HEADER_WORDS = 7;
/**
 * Hosts per table slot. At 0.8 a million hosts take 5 bytes each in the table (a power of two at
 * one half took 8.4); a miss scans ~13 adjacent slots, one or two cache lines. Lookups measured no
 * slower than at 0.75 or at one half (test/bench/bench.ts's hosts): a lookup's time is its few
 * random memory accesses, which the load factor does not change.
 */
const LOAD_FACTOR = 0.8;
/** A record's length is one byte; canonical hosts are at most 253. */
const MAX_HOST_LENGTH = 255;

import type { GroupHead } from './feed.ts';
import { FNV_OFFSET, FNV_PRIME, hostHash } from './host-set.ts';

export type IndexGroup = GroupHead;

export interface IndexMeta {
  readonly jurisdiction: string;
  readonly serial: number;
  readonly groups: readonly IndexGroup[];
}

export interface IndexMatch {
  /** The listed name that matched: the host itself or one of its parent domains. */
  readonly listed: string;
  readonly group: IndexGroup;
}

function tableSizeOf(n: number): number {
  return Math.max(1, Math.ceil(n / LOAD_FACTOR));
}

/** Bits for a record offset + 1; the rest of a slot's 32 bits hold the fingerprint. */
export function offsetBits(hostBytesLength: number): number {
  return 32 - Math.clz32(hostBytesLength);
}

/** The home slot: the hash's high bits scaled to the table (exact up to 2^21 slots, always below `size`, the same in every engine). */
export function homeSlot(hash: number, size: number): number {
  return ((hash * size) / 4294967296) >>> 0;
}

export function fingerprint(hash: number, bits: number): number {
  return Math.imul(hash, 0x9e3779b1) >>> bits;
}

/** An IPv4 literal matches only itself; a host name ends in a letter, so most hosts skip the regex. */
export function isDottedQuad(host: string): boolean {
  const last = host.charCodeAt(host.length - 1);
  return last >= 0x30 && last <= 0x39 && /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host);
}

/**
 * The host bytes are ASCII (checked at build), which UTF-8 decodes unchanged and fast. A length byte
 * of 128 or more decodes to one U+FFFD (the byte after it is ASCII), so string positions stay byte
 * positions.
 */
const ascii = new TextDecoder();
/** Bytes of hosts decoded at once by `forEachHost`. */
const RUN_BYTES = 1 << 16;

export class OrderIndex {
  private readonly entryMask: number;
  private readonly fingerprintMask: number;
  private readonly bits: number;

  private constructor(
    readonly meta: IndexMeta,
    readonly size: number,
    private readonly groupEntry: Uint32Array,
    private readonly groupByte: Uint32Array,
    private readonly table: Uint32Array,
    private readonly hostBytes: Uint8Array,
    readonly buffer: ArrayBuffer,
  ) {
    this.bits = offsetBits(hostBytes.length);
    this.entryMask = (2 ** this.bits - 1) | 0;
    this.fingerprintMask = ~this.entryMask;
  }

  /** Builds an index from canonical ASCII hosts, each with the index of its group in `meta.groups` (hosts are kept in group order, stably). */
  static build(meta: IndexMeta, hosts: readonly string[], groupIndexes: ArrayLike<number>): OrderIndex {
    if (groupIndexes.length !== hosts.length) throw new Error('one group index per host is required');
    const lists: string[][] = meta.groups.map(() => []);
    for (let i = 0; i < hosts.length; i++) {
      const list = lists[groupIndexes[i] as number];
      if (!list) throw new Error(`group index ${groupIndexes[i]} is not a group of the index`);
      list.push(hosts[i] as string);
    }
    return OrderIndex.fromGroups(meta, lists);
  }

  /** Builds an index from canonical ASCII hosts given per group: `hostsOfGroup[g]` are the hosts of `meta.groups[g]`. */
  static fromGroups(meta: IndexMeta, hostsOfGroup: readonly (readonly string[])[]): OrderIndex {
    const groupCount = meta.groups.length;
    if (hostsOfGroup.length !== groupCount) throw new Error('one host list per group is required');
    let n = 0;
    let hostBytesLength = 0;
    for (const list of hostsOfGroup) {
      n += list.length;
      for (const h of list) hostBytesLength += h.length + 1;
    }
    // A slot keeps at least one fingerprint bit, and bit operations stay within signed 32 bits.
    if (hostBytesLength >= 2 ** 31) throw new Error('index: hosts too long for one index');
    const metaBytes = new TextEncoder().encode(JSON.stringify(meta));
    const tableSize = tableSizeOf(n);
    const words = HEADER_WORDS + 2 * (groupCount + 1) + tableSize;
    const buffer = new ArrayBuffer(words * 4 + hostBytesLength + metaBytes.length);
    const u32 = new Uint32Array(buffer, 0, words);
    u32.set([MAGIC, INDEX_VERSION, n, tableSize, hostBytesLength, metaBytes.length, groupCount]);
    const { groupEntry, groupByte, table } = views(u32, groupCount);
    const bytes = new Uint8Array(buffer, words * 4, hostBytesLength);
    new Uint8Array(buffer, words * 4 + hostBytesLength).set(metaBytes);

    const bits = offsetBits(hostBytesLength);
    let pos = 0;
    let e = 0;
    for (let g = 0; g < groupCount; g++) {
      groupEntry[g] = e;
      groupByte[g] = pos;
      for (const h of hostsOfGroup[g] as readonly string[]) {
        const len = h.length;
        if (len > MAX_HOST_LENGTH) throw new Error(`host is too long: ${h}`);
        bytes[pos] = len;
        // One pass, right to left: copy the bytes and compute `hostHash(h)`.
        let hash = FNV_OFFSET;
        for (let i = len - 1; i >= 0; i--) {
          const c = h.charCodeAt(i);
          if (c > 0x7f) throw new Error(`host is not ASCII: ${h}`);
          bytes[pos + 1 + i] = c;
          hash ^= c;
          hash = Math.imul(hash, FNV_PRIME);
        }
        hash >>>= 0;
        let slot = homeSlot(hash, tableSize);
        while (table[slot] !== 0) if (++slot === tableSize) slot = 0;
        table[slot] = ((fingerprint(hash, bits) << bits) | (pos + 1)) >>> 0;
        pos += len + 1;
        e++;
      }
    }
    groupEntry[groupCount] = e;
    groupByte[groupCount] = pos;
    return new OrderIndex(meta, n, groupEntry, groupByte, table, bytes, buffer);
  }

  /** Reads an index from the bytes `buffer` returned; throws on a foreign or older layout. */
  static load(buffer: ArrayBuffer): OrderIndex {
    if (buffer.byteLength < HEADER_WORDS * 4) throw new Error('index: too short');
    const head = new Uint32Array(buffer, 0, HEADER_WORDS);
    if (head[0] !== MAGIC) throw new Error('index: not an Ordinanza index');
    if (head[1] !== INDEX_VERSION) throw new Error(`index: version ${head[1]} is not ${INDEX_VERSION}`);
    const n = head[2] as number;
    const tableSize = head[3] as number;
    const hostBytesLength = head[4] as number;
    const metaLength = head[5] as number;
    const groupCount = head[6] as number;
    const words = HEADER_WORDS + 2 * (groupCount + 1) + tableSize;
    if (buffer.byteLength !== words * 4 + hostBytesLength + metaLength) throw new Error('index: length mismatch');
    // A probe ends at an empty slot: a table without one is damaged.
    if (tableSize <= n || hostBytesLength >= 2 ** 31) throw new Error('index: damaged table');
    const u32 = new Uint32Array(buffer, 0, words);
    const meta = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, words * 4 + hostBytesLength, metaLength))) as IndexMeta;
    if (meta.groups.length !== groupCount) throw new Error('index: group count mismatch');
    const { groupEntry, groupByte, table } = views(u32, groupCount);
    return new OrderIndex(meta, n, groupEntry, groupByte, table, new Uint8Array(buffer, words * 4, hostBytesLength), buffer);
  }

  /**
   * Every listed name that covers `host` (canonical), most specific first. One pass computes the
   * hash of every parent domain; each is then one probe sequence.
   */
  lookup(host: string): IndexMatch[] {
    const out: IndexMatch[] = [];
    if (this.size === 0 || host.length === 0) return out;
    const ipv4 = isDottedQuad(host);
    let h = FNV_OFFSET;
    const found: number[] = [];
    for (let i = host.length - 1; i >= 0; i--) {
      h ^= host.charCodeAt(i);
      h = Math.imul(h, FNV_PRIME);
      if (i === 0 || (!ipv4 && host.charCodeAt(i - 1) === 0x2e)) {
        const e = this.probe(host, i, h >>> 0);
        if (e !== -1) found.push(e);
      }
    }
    for (let k = found.length - 1; k >= 0; k--) {
      const e = found[k] as number;
      const group = this.meta.groups[this.groupIndexAt(e)];
      if (group) out.push({ listed: this.hostAt(e), group });
    }
    return out;
  }

  /** True when any listed name covers `host`: the allocation-free hot path. */
  has(host: string): boolean {
    if (this.size === 0 || host.length === 0) return false;
    const ipv4 = isDottedQuad(host);
    let h = FNV_OFFSET;
    for (let i = host.length - 1; i >= 0; i--) {
      h ^= host.charCodeAt(i);
      h = Math.imul(h, FNV_PRIME);
      if ((i === 0 || (!ipv4 && host.charCodeAt(i - 1) === 0x2e)) && this.probe(host, i, h >>> 0) !== -1) return true;
    }
    return false;
  }

  /** The entry of `host[start..]` with hash `hash`, or -1. */
  private probe(host: string, start: number, hash: number): number {
    const { table, hostBytes, entryMask, fingerprintMask } = this;
    const size = table.length;
    const want = (fingerprint(hash, this.bits) << this.bits) & fingerprintMask;
    const len = host.length - start;
    let slot = homeSlot(hash, size);
    for (;;) {
      const v = table[slot] as number;
      if (v === 0) return -1;
      if ((v & fingerprintMask) === want) {
        const e = (v & entryMask) - 1;
        if (hostBytes[e] === len) {
          let i = 0;
          while (i < len && hostBytes[e + 1 + i] === host.charCodeAt(start + i)) i++;
          if (i === len) return e;
        }
      }
      if (++slot === size) slot = 0;
    }
  }

  /** Whether exactly this name is listed (no parent matching). */
  contains(host: string): boolean {
    return this.entryOf(host) !== -1;
  }

  /** The entry of exactly this name (no parent matching), or -1. An entry is a number for `hostAt` and `groupIndexAt`, not a position. */
  entryOf(host: string): number {
    return this.size > 0 && host.length > 0 ? this.probe(host, 0, hostHash(host)) : -1;
  }

  /**
   * Every entry in index order (group by group), with its host and group. The host bytes are
   * decoded a run of 64 KB at a time and each host is a slice of its run, so a walk over a million
   * hosts costs no per-host decoding, and one that stops early decodes little. A slice keeps its
   * run alive: copy a host kept for long (or use `hostAt`).
   */
  forEachHost(fn: (host: string, group: number, entry: number) => unknown): void {
    const { hostBytes, groupByte } = this;
    let run = '';
    let runStart = 0;
    let runEnd = 0;
    let pos = 0;
    for (let g = 0; g + 1 < groupByte.length; g++) {
      const end = groupByte[g + 1] as number;
      while (pos < end) {
        const len = hostBytes[pos] as number;
        if (pos + 1 + len > runEnd) {
          runStart = pos;
          runEnd = Math.min(hostBytes.length, Math.max(pos + RUN_BYTES, pos + 1 + len));
          run = ascii.decode(hostBytes.subarray(runStart, runEnd));
        }
        if (fn(run.slice(pos + 1 - runStart, pos + 1 + len - runStart), g, pos) === false) return;
        pos += len + 1;
      }
    }
  }

  hostAt(e: number): string {
    return String.fromCharCode(...this.hostBytes.subarray(e + 1, e + 1 + (this.hostBytes[e] as number)));
  }

  /** The group of an entry: the last run starting at or before it. */
  groupIndexAt(e: number): number {
    return groupAt(this.groupByte, e);
  }

  /** How many hosts `meta.groups[g]` lists. */
  groupSize(g: number): number {
    return (this.groupEntry[g + 1] as number) - (this.groupEntry[g] as number);
  }
}

function views(u32: Uint32Array, groupCount: number): { groupEntry: Uint32Array; groupByte: Uint32Array; table: Uint32Array } {
  const byteAt = HEADER_WORDS + groupCount + 1;
  const tableAt = byteAt + groupCount + 1;
  return { groupEntry: u32.subarray(HEADER_WORDS, byteAt), groupByte: u32.subarray(byteAt, tableAt), table: u32.subarray(tableAt) };
}

/** The group of the record at byte `e`: the last run (of `starts`, which ends with the end) starting at or before it. */
export function groupAt(starts: Uint32Array, e: number): number {
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((starts[mid] as number) <= e) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
