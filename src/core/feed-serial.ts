// A feed's canonical bytes: what the feed tool signs and a delta's SHA-256 covers. One set of
// pieces (the head, each group's opening, the separators) makes both the text (`serializeFeed`)
// and the UTF-8 bytes written straight into one buffer (`FeedWriter`), so the two cannot drift.
import type { Feed, GroupHead } from './feed.ts';

/** Characters JSON.stringify would escape in a string. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
const HOST_SEPARATOR = ',\n   ';
const GROUP_SEPARATOR = ',\n';
const GROUP_END = '\n  ]}';
const FEED_END = '\n ]\n}\n';

/** The feed's text up to its first group: stable key order as given, one key per line. */
function headText(head: Omit<Feed, 'entries'>): string {
  return `${JSON.stringify(head, null, 1).slice(0, -2)},\n "entries": [\n`;
}

function groupStart(g: GroupHead): string {
  return ` {"listings": ${JSON.stringify(g.listings)}, "hosts": [\n   `;
}

/** The hosts as JSON strings, one per line: one join when no host needs escaping (canonical hosts never do). */
// Each host is tested alone: the separator has a newline and quotes of its own.
function quotedHosts(hosts: readonly string[]): string {
  if (hosts.length > 0 && !hosts.some((h) => NEEDS_ESCAPE.test(h))) return `"${hosts.join(`"${HOST_SEPARATOR}"`)}"`;
  return hosts.map((h) => JSON.stringify(h)).join(HOST_SEPARATOR);
}

/**
 * Serialises a feed to its canonical bytes: stable key order as given, hosts one per line
 * so that diffs of feed files stay readable. `build` twice yields identical bytes.
 */
export function serializeFeed(feed: Feed): string {
  const { entries, ...head } = feed;
  const groups = entries.map((g) => `${groupStart(g)}${quotedHosts(g.hosts)}${GROUP_END}`);
  return `${headText(head)}${groups.join(GROUP_SEPARATOR)}${FEED_END}`;
}

/** `new TextEncoder().encode(serializeFeed(feed))`, without the text of a whole feed in between (a million hosts: a 24 MB string). */
export function serializeFeedBytes(feed: Feed): Uint8Array<ArrayBuffer> {
  const { entries, ...head } = feed;
  let size = 0;
  for (const g of entries) for (const h of g.hosts) size += h.length + 2 + HOST_SEPARATOR.length;
  const out = new FeedWriter(head, size);
  for (const g of entries) {
    out.startGroup(g);
    const hosts = g.hosts;
    for (let i = 0; i < hosts.length; i++) out.host(hosts[i] as string);
  }
  return out.finish();
}

const utf8 = new TextEncoder();
const QUOTE = 0x22;
const SEPARATOR_BYTES = utf8.encode(HOST_SEPARATOR);

/**
 * Writes a feed's canonical bytes piece by piece: the head, then each group and its hosts in order.
 * A host of printable ASCII without `"` or `\` (every canonical host) is copied byte for byte; any
 * other goes through JSON.stringify, as in `serializeFeed`. `hostsSize` sizes the buffer (it grows past it).
 */
export class FeedWriter {
  private buf: Uint8Array<ArrayBuffer>;
  private pos = 0;
  private groups = 0;
  private hostsInGroup = 0;

  constructor(head: Omit<Feed, 'entries'>, hostsSize: number) {
    this.buf = new Uint8Array(hostsSize + 4096);
    this.text(headText(head));
  }

  startGroup(g: GroupHead): void {
    this.endGroup();
    if (this.groups++ > 0) this.text(GROUP_SEPARATOR);
    this.text(groupStart(g));
    this.hostsInGroup = 0;
  }

  host(h: string): void {
    this.separate(h.length + 2);
    const buf = this.buf;
    const start = this.pos;
    let p = start;
    buf[p++] = QUOTE;
    for (let i = 0; i < h.length; i++) {
      const c = h.charCodeAt(i);
      if (c < 0x20 || c > 0x7f || c === QUOTE || c === 0x5c) {
        this.pos = start;
        this.text(JSON.stringify(h));
        return;
      }
      buf[p++] = c;
    }
    buf[p++] = QUOTE;
    this.pos = p;
  }

  /**
   * The host of the order index record at `at` of `src` (its length byte, then the host), with its
   * quotes and the separator before it, in one loop. An index holds canonical hosts only: printable
   * ASCII without `"` or `\`, which JSON writes as they are. (Other bytes would make text that is
   * not the feed's, which a delta's checksum refuses.)
   */
  indexRecord(src: Uint8Array, at: number): void {
    const len = src[at] as number;
    this.reserve(len + 2 + SEPARATOR_BYTES.length);
    const buf = this.buf;
    let p = this.pos;
    if (this.hostsInGroup++ > 0) for (let i = 0; i < SEPARATOR_BYTES.length; i++) buf[p++] = SEPARATOR_BYTES[i] as number;
    buf[p++] = QUOTE;
    for (let i = at + 1, end = at + 1 + len; i < end; i++) buf[p++] = src[i] as number;
    buf[p++] = QUOTE;
    this.pos = p;
  }

  /** The bytes written (a view of the buffer: the writer is done with). */
  finish(): Uint8Array<ArrayBuffer> {
    this.endGroup();
    this.text(FEED_END);
    return this.buf.subarray(0, this.pos);
  }

  private endGroup(): void {
    if (this.groups > 0) this.text(GROUP_END);
  }

  /** Room for a host of `n` bytes and the separator before it, written. */
  private separate(n: number): void {
    this.reserve(n + HOST_SEPARATOR.length);
    if (this.hostsInGroup++ > 0) {
      for (let i = 0; i < HOST_SEPARATOR.length; i++) this.buf[this.pos++] = HOST_SEPARATOR.charCodeAt(i);
    }
  }

  private text(s: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    this.reserve(s.length * 3);
    this.pos += utf8.encodeInto(s, this.buf.subarray(this.pos)).written;
  }

  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    bigger.set(this.buf.subarray(0, this.pos));
    this.buf = bigger;
  }
}
