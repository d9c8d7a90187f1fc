// The order index: host → the entry groups (order and edition listings) that list it, with exactly the
// browser's matching (an entry covers the host and every subdomain).
//
// Built once per feed, stored as one ArrayBuffer, loaded by taking typed-array views: no per-host
// objects are rebuilt at service-worker start. Layout (little endian):
//   magic "ORDX" | u32 version | u32 hostCount | u32 tableSize | u32 hostBytesLength | u32 metaLength
//   u32 offsets[hostCount + 1] | u32 groupOf[hostCount] | u32 table[tableSize] | u8 hostBytes[] | u8 meta (JSON)
// The table is open addressing with linear probing; a slot holds entry index + 1 (0 = empty) in its
// low bits and a fingerprint of the host's hash in the bits above, so a probe for a name that is not
// listed almost never touches the offsets or the host bytes (one memory access instead of three).
// Hosts are hashed right to left (`hostHash`), so one pass over a looked-up host yields the hash of
// every parent domain.

export const INDEX_VERSION = 3;
const MAGIC = 0x5844524f; // "ORDX" read as little-endian u32
const HEADER_WORDS = 6;

import type { GroupHead } from './feed.ts';
import { FNV_OFFSET, FNV_PRIME, hostHash, tableSizeFor } from './host-set.ts';

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

/** Bits for entry index + 1; the rest of a slot's 32 bits hold the fingerprint. */
function indexBits(n: number): number {
  return 32 - Math.clz32(n);
}

function fingerprint(hash: number, bits: number): number {
  return bits >= 32 ? 0 : Math.imul(hash, 0x9e3779b1) >>> bits;
}

/** An IPv4 literal matches only itself; a host name ends in a letter, so most hosts skip the regex. */
function isDottedQuad(host: string): boolean {
  const last = host.charCodeAt(host.length - 1);
  return last >= 0x30 && last <= 0x39 && /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host);
}

/** The host bytes are ASCII (checked at build), which UTF-8 decodes unchanged and fast. */
const ascii = new TextDecoder();

export class OrderIndex {
  private readonly bits: number;
  private readonly entryMask: number;

  private constructor(
    readonly meta: IndexMeta,
    private readonly offsets: Uint32Array,
    private readonly groupOf: Uint32Array,
    private readonly table: Uint32Array,
    private readonly hostBytes: Uint8Array,
    readonly buffer: ArrayBuffer,
  ) {
    this.bits = indexBits(groupOf.length);
    this.entryMask = this.bits >= 32 ? 0xffffffff : (1 << this.bits) - 1;
  }

  get size(): number {
    return this.groupOf.length;
  }

  /** Builds an index from canonical ASCII hosts, each with the index of its group in `meta.groups`. */
  static build(meta: IndexMeta, hosts: readonly string[], groupIndexes: ArrayLike<number>): OrderIndex {
    const n = hosts.length;
    if (groupIndexes.length !== n) throw new Error('one group index per host is required');
    let hostBytesLength = 0;
    for (const h of hosts) hostBytesLength += h.length;
    const metaBytes = new TextEncoder().encode(JSON.stringify(meta));
    const tableSize = tableSizeFor(n);
    const words = HEADER_WORDS + (n + 1) + n + tableSize;
    const buffer = new ArrayBuffer(words * 4 + hostBytesLength + metaBytes.length);
    const u32 = new Uint32Array(buffer, 0, words);
    u32.set([MAGIC, INDEX_VERSION, n, tableSize, hostBytesLength, metaBytes.length]);
    const offsets = u32.subarray(HEADER_WORDS, HEADER_WORDS + n + 1);
    const groupOf = u32.subarray(HEADER_WORDS + n + 1, HEADER_WORDS + 2 * n + 1);
    const table = u32.subarray(HEADER_WORDS + 2 * n + 1, words);
    const hostBytes = new Uint8Array(buffer, words * 4, hostBytesLength);
    new Uint8Array(buffer, words * 4 + hostBytesLength).set(metaBytes);

    const mask = tableSize - 1;
    const bits = indexBits(n);
    let pos = 0;
    for (let e = 0; e < n; e++) {
      const h = hosts[e] as string;
      offsets[e] = pos;
      for (let i = 0; i < h.length; i++) {
        const c = h.charCodeAt(i);
        if (c > 0x7f) throw new Error(`host is not ASCII: ${h}`);
        hostBytes[pos++] = c;
      }
      groupOf[e] = groupIndexes[e] as number;
      const hash = hostHash(h);
      let slot = hash & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = ((fingerprint(hash, bits) << bits) | (e + 1)) >>> 0;
    }
    offsets[n] = pos;
    return new OrderIndex(meta, offsets, groupOf, table, hostBytes, buffer);
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
    const words = HEADER_WORDS + (n + 1) + n + tableSize;
    if (buffer.byteLength !== words * 4 + hostBytesLength + metaLength) throw new Error('index: length mismatch');
    const u32 = new Uint32Array(buffer, 0, words);
    const meta = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, words * 4 + hostBytesLength, metaLength))) as IndexMeta;
    return new OrderIndex(
      meta,
      u32.subarray(HEADER_WORDS, HEADER_WORDS + n + 1),
      u32.subarray(HEADER_WORDS + n + 1, HEADER_WORDS + 2 * n + 1),
      u32.subarray(HEADER_WORDS + 2 * n + 1, words),
      new Uint8Array(buffer, words * 4, hostBytesLength),
      buffer,
    );
  }

  private find(host: string, start: number): number {
    return this.probe(host, start, hostHash(host, host.length, start));
  }

  /**
   * Every listed name that covers `host` (canonical), most specific first. One pass computes the
   * hash of every parent domain; each is then one probe sequence.
   */
  lookup(host: string): IndexMatch[] {
    const out: IndexMatch[] = [];
    if (this.groupOf.length === 0 || host.length === 0) return out;
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
      const group = this.meta.groups[this.groupOf[e] as number];
      if (group) out.push({ listed: this.hostAt(e), group });
    }
    return out;
  }

  /** True when any listed name covers `host`: the allocation-free hot path. */
  has(host: string): boolean {
    if (this.groupOf.length === 0 || host.length === 0) return false;
    const ipv4 = isDottedQuad(host);
    let h = FNV_OFFSET;
    for (let i = host.length - 1; i >= 0; i--) {
      h ^= host.charCodeAt(i);
      h = Math.imul(h, FNV_PRIME);
      if ((i === 0 || (!ipv4 && host.charCodeAt(i - 1) === 0x2e)) && this.probe(host, i, h >>> 0) !== -1) return true;
    }
    return false;
  }

  private probe(host: string, start: number, hash: number): number {
    const table = this.table;
    const mask = table.length - 1;
    const bits = this.bits;
    const want = fingerprint(hash, bits);
    const len = host.length - start;
    let slot = hash & mask;
    for (;;) {
      const v = table[slot] as number;
      if (v === 0) return -1;
      if (bits >= 32 || v >>> bits === want) {
        const e = (v & this.entryMask) - 1;
        const from = this.offsets[e] as number;
        if ((this.offsets[e + 1] as number) - from === len) {
          let i = 0;
          while (i < len && this.hostBytes[from + i] === host.charCodeAt(start + i)) i++;
          if (i === len) return e;
        }
      }
      slot = (slot + 1) & mask;
    }
  }

  /** Whether exactly this name is listed (no parent matching). */
  contains(host: string): boolean {
    return this.entryOf(host) !== -1;
  }

  /** The entry of exactly this name (no parent matching), or -1. */
  entryOf(host: string): number {
    return this.groupOf.length > 0 && host.length > 0 ? this.find(host, 0) : -1;
  }

  /**
   * Every entry in index order, with its host and group. The host bytes are decoded once and each
   * host is a slice of that string, so a walk over a million hosts costs no per-host decoding. A
   * slice keeps the whole decoded string alive: copy a host kept for long (or use `hostAt`).
   */
  forEachHost(fn: (host: string, group: number, entry: number) => unknown): void {
    const all = ascii.decode(this.hostBytes);
    const { offsets, groupOf } = this;
    for (let e = 0; e < groupOf.length; e++) {
      if (fn(all.slice(offsets[e] as number, offsets[e + 1] as number), groupOf[e] as number, e) === false) return;
    }
  }

  hostAt(e: number): string {
    const from = this.offsets[e] as number;
    const to = this.offsets[e + 1] as number;
    let s = '';
    for (let i = from; i < to; i += 4096) {
      s += String.fromCharCode(...this.hostBytes.subarray(i, Math.min(to, i + 4096)));
    }
    return s;
  }

  /**
   * `lookup` on a stored index, reading only the byte ranges it needs through `read` (a Blob's
   * slices). Throws on a foreign or older layout.
   */
  static async lookupStored(read: (offset: number, length: number) => Promise<ArrayBuffer>, host: string): Promise<IndexMatch[]> {
    // Placeholder until the range reader lands: the whole index.
    const head = new Uint32Array(await read(0, HEADER_WORDS * 4));
    const n = head[2] as number;
    const words = HEADER_WORDS + (n + 1) + n + (head[3] as number);
    return OrderIndex.load(await read(0, words * 4 + (head[4] as number) + (head[5] as number))).lookup(host);
  }

  groupIndexAt(e: number): number {
    return this.groupOf[e] as number;
  }
}
