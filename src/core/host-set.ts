// The one hash of host names, and a compact set of them. Hosts are hashed right to left (FNV-1a over
// the reversed characters), so one pass over a host yields the hash of every parent domain (the
// order index's lookup relies on it); the rules' buckets and this set use the same function.
// A million hosts in a `Set<string>` cost ~1 s and a burst of garbage in a worker; this set is one
// typed array of entry numbers over the caller's own strings.

export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

/** FNV-1a of `s[start..end)` read from its last character to its first: stable across runs and browsers. */
export function hostHash(s: string, end = s.length, start = 0): number {
  let h = FNV_OFFSET;
  for (let i = end - 1; i >= start; i--) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}

/** Open addressing at a load factor of at most one half: a power of two. */
export function tableSizeFor(n: number): number {
  let size = 16;
  while (size < n * 2) size *= 2;
  return size;
}

/** A set of host names, sized for `expected` of them (it grows past that). */
export class HostSet {
  private hosts: string[] = [];
  private table: Uint32Array;

  constructor(expected = 0) {
    this.table = new Uint32Array(tableSizeFor(expected));
  }

  get size(): number {
    return this.hosts.length;
  }

  /** Adds `host`; false when it was already there. */
  add(host: string): boolean {
    const slot = this.slotOf(host);
    if (this.table[slot] !== 0) return false;
    this.hosts.push(host);
    this.table[slot] = this.hosts.length;
    if (this.hosts.length * 2 > this.table.length) this.grow();
    return true;
  }

  has(host: string): boolean {
    return this.table[this.slotOf(host)] !== 0;
  }

  /** The members, in the order they were added. */
  values(): readonly string[] {
    return this.hosts;
  }

  /** The slot holding `host`, or the empty slot where it would go. */
  private slotOf(host: string): number {
    const table = this.table;
    const mask = table.length - 1;
    let slot = hostHash(host) & mask;
    for (;;) {
      const v = table[slot] as number;
      if (v === 0 || this.hosts[v - 1] === host) return slot;
      slot = (slot + 1) & mask;
    }
  }

  private grow(): void {
    const old = this.hosts;
    this.table = new Uint32Array(this.table.length * 2);
    this.hosts = [];
    for (const h of old) this.add(h);
  }
}
