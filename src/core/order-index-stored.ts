// A lookup in a stored order index (order-index.ts) without reading it whole: the block page asks
// for one host while the background may not be running, and an index of a million hosts takes
// 0.3–1 s to read from IndexedDB, while a stored Blob's slices are read from disk one range at a time.
import { FNV_OFFSET, FNV_PRIME } from './host-set.ts';
import { fingerprint, groupAt, HEADER_WORDS, homeSlot, INDEX_VERSION, type IndexMatch, type IndexMeta, isDottedQuad, MAGIC, offsetBits } from './order-index.ts';

/** Table slots read at a time: a probe run at a load factor of 0.8 is ~13 slots long on a miss. */
const PROBE_WINDOW = 32;

/** Reads `length` bytes at `offset` of the stored index (a Blob's `slice(…).arrayBuffer()`). */
export type ReadRange = (offset: number, length: number) => Promise<ArrayBuffer>;

/**
 * `lookup` on a stored index, reading only the byte ranges one lookup needs through `read` (a
 * Blob's slices: IndexedDB reads a stored Blob from disk lazily, range by range). Three rounds of
 * small reads: the header; the group starts, the meta and each candidate name's probe run in the
 * table; the records those runs point to. Throws on a foreign or older layout.
 */
export async function lookupStored(read: ReadRange, host: string): Promise<IndexMatch[]> {
  const head = new Uint32Array(await read(0, HEADER_WORDS * 4));
  if (head.length < HEADER_WORDS || head[0] !== MAGIC) throw new Error('index: not an Ordinanza index');
  if (head[1] !== INDEX_VERSION) throw new Error(`index: version ${head[1]} is not ${INDEX_VERSION}`);
  const [n, tableSize, hostBytesLength, metaLength, groupCount] = [...head.subarray(2)] as [number, number, number, number, number];
  if (n === 0 || host.length === 0) return [];
  const groupByteAt = (HEADER_WORDS + groupCount + 1) * 4;
  const tableAt = groupByteAt + (groupCount + 1) * 4;
  const hostsAt = tableAt + tableSize * 4;
  const bits = offsetBits(hostBytesLength);
  const entryMask = (2 ** bits - 1) | 0;

  // The candidate names, as `lookup` walks them: the host, then each parent domain.
  const candidates: { start: number; hash: number }[] = [];
  const ipv4 = isDottedQuad(host);
  let h = FNV_OFFSET;
  for (let i = host.length - 1; i >= 0; i--) {
    h ^= host.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
    if (i === 0 || (!ipv4 && host.charCodeAt(i - 1) === 0x2e)) candidates.push({ start: i, hash: h >>> 0 });
  }

  /** The record offsets in `hash`'s probe run whose fingerprint matches, read a window of slots at a time. */
  const runOf = async (hash: number): Promise<number[]> => {
    const want = (fingerprint(hash, bits) << bits) & ~entryMask;
    const out: number[] = [];
    let slot = homeSlot(hash, tableSize);
    for (let scanned = 0; scanned < tableSize; ) {
      const count = Math.min(PROBE_WINDOW, tableSize - slot, tableSize - scanned);
      const slots = new Uint32Array(await read(tableAt + slot * 4, count * 4));
      for (const v of slots) {
        if (v === 0) return out;
        if ((v & ~entryMask) === want) out.push((v & entryMask) - 1);
      }
      scanned += count;
      slot = (slot + count) % tableSize;
    }
    return out;
  };
  const [metaBytes, groupBytes, runs] = await Promise.all([read(hostsAt + hostBytesLength, metaLength), read(groupByteAt, (groupCount + 1) * 4), Promise.all(candidates.map((c) => runOf(c.hash)))]);
  const matched = await Promise.all(
    candidates.map(async (c, k) => {
      const len = host.length - c.start;
      for (const e of runs[k] as number[]) {
        const rec = new Uint8Array(await read(hostsAt + e, len + 1));
        if (rec[0] !== len) continue;
        let i = 0;
        while (i < len && rec[1 + i] === host.charCodeAt(c.start + i)) i++;
        if (i === len) return e;
      }
      return -1;
    }),
  );
  const meta = JSON.parse(new TextDecoder().decode(metaBytes)) as IndexMeta;
  const starts = new Uint32Array(groupBytes);
  const out: IndexMatch[] = [];
  for (let k = candidates.length - 1; k >= 0; k--) {
    const e = matched[k] as number;
    const group = e === -1 ? undefined : meta.groups[groupAt(starts, e)];
    if (group) out.push({ listed: host.slice((candidates[k] as { start: number }).start), group });
  }
  return out;
}
