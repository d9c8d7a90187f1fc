// The installed feeds: each jurisdiction's head and compact index, loaded from IndexedDB or from the
// feeds embedded in the extension, and the trust rule for feeds downloaded earlier. Browser I/O goes
// through src/platform.
import { parseFeed } from '../core/feed.ts';
import { OrderIndex } from '../core/order-index.ts';
import { loadFeed, type FeedHead, type LoadedFeed } from '../core/selection.ts';
import { parseSignature } from '../core/signature.ts';
import { untrustedStoredFeed, type FeedOrigin } from '../core/sync.ts';
import { extensionUrl, runtime } from '../platform/browser.ts';
import { idbGet } from '../platform/idb.ts';

/** Jurisdictions shipped with the extension (extension/feeds/<code>.json). Only Italy is on by default. */
export const EMBEDDED_JURISDICTIONS = ['IT', 'DE', 'CZ', 'CH'] as const;
export const isEmbedded = (j: string): boolean => (EMBEDDED_JURISDICTIONS as readonly string[]).includes(j);
/** Database key: the codes of every feed ever installed from a URL, embedded list or not. */
const REMOTE_CODES_KEY = 'remote-jurisdictions';

export type Source = 'embedded' | 'remote';
/** Where a feed came from (null: the embedded one) and which key signed it; absent in feeds stored by earlier builds. */
export interface FeedProvenance {
  readonly keyId?: string | null;
  readonly url?: string | null;
}
export type Installed = LoadedFeed & { readonly source: Source } & FeedProvenance;

/**
 * A feed as stored in the database. The index is a Blob: the background reads it whole, the block
 * page reads only the few byte ranges one lookup needs (a Blob read from IndexedDB is read from disk
 * lazily, range by range; a whole index of a million hosts takes 0.3–1 s to read). Records of
 * earlier builds hold an ArrayBuffer.
 */
export interface StoredFeed extends FeedProvenance {
  readonly head: FeedHead;
  readonly index: Blob | ArrayBuffer;
  readonly source: Source;
}

export interface SetAside {
  readonly serial: number;
  readonly keyId: string;
  readonly message: string;
}

export async function fromStored(stored: StoredFeed): Promise<Installed> {
  const bytes = stored.index instanceof Blob ? await stored.index.arrayBuffer() : stored.index;
  return { head: stored.head, index: OrderIndex.load(bytes), source: stored.source, keyId: stored.keyId ?? null, url: stored.url ?? null };
}

async function readStored(jurisdiction: string): Promise<Installed | undefined> {
  const stored = await idbGet<StoredFeed>(`feed:${jurisdiction}`);
  if (!stored) return undefined;
  try {
    return await fromStored(stored);
  } catch (e) {
    // An index of another layout version, or damaged: the embedded feed (or none) instead.
    console.warn(`stored ${jurisdiction} index unreadable`, e);
    return undefined;
  }
}

async function readEmbedded(jurisdiction: string): Promise<LoadedFeed> {
  const res = await fetch(extensionUrl(`feeds/${jurisdiction}.json`));
  const parsed = parseFeed(new Uint8Array(await res.arrayBuffer()));
  if (!parsed.ok) throw new Error(`embedded ${jurisdiction} feed is invalid: ${parsed.errors.join('; ')}`);
  return loadFeed(parsed.feed);
}

/** The key that signed the embedded feed (its `.sig` beside it), or null when it has none. */
async function embeddedKeyId(jurisdiction: string): Promise<string | null> {
  try {
    const res = await fetch(extensionUrl(`feeds/${jurisdiction}.json.sig`));
    return res.ok ? (parseSignature(await res.text())?.keyId ?? null) : null;
  } catch {
    return null;
  }
}

async function embeddedInstalled(jurisdiction: string): Promise<Installed> {
  return { ...(await readEmbedded(jurisdiction)), source: 'embedded', keyId: await embeddedKeyId(jurisdiction), url: null };
}

/** `feed` as the database holds it. */
export function storedRecord(feed: Installed): StoredFeed {
  return { head: feed.head, index: new Blob([feed.index.buffer]), source: feed.source, keyId: feed.keyId ?? null, url: feed.url ?? null };
}

/** The database writes that store `feed` (and remember a downloaded feed's code). */
export async function storedEntries(feed: Installed): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = { [`feed:${feed.head.jurisdiction}`]: storedRecord(feed) };
  if (feed.source === 'remote') {
    const codes = (await idbGet<string[]>(REMOTE_CODES_KEY)) ?? [];
    if (!codes.includes(feed.head.jurisdiction)) out[REMOTE_CODES_KEY] = [...codes, feed.head.jurisdiction].sort();
  }
  return out;
}

/**
 * The stored feeds the background loads at its start, read without it: for the block page, which
 * must not wait for a background that is not running. Null where only the background can tell: a
 * first run or a new extension version (the embedded feeds decide) or a record of an earlier build.
 * A feed whose signing key is no longer trusted is set aside at start: see `anySetAside`.
 */
export async function storedFeedsAtStart(): Promise<(StoredFeed & { readonly index: Blob })[] | null> {
  const version = runtime.version();
  const remote = ((await idbGet<string[]>(REMOTE_CODES_KEY)) ?? []).filter((j) => !isEmbedded(j));
  const read = async (j: string): Promise<{ feed: StoredFeed | undefined; seen: string | undefined }> => {
    const [feed, seen] = await Promise.all([idbGet<StoredFeed>(`feed:${j}`), isEmbedded(j) ? idbGet<string>(`embedded-version:${j}`) : undefined]);
    return { feed, seen };
  };
  const out: (StoredFeed & { readonly index: Blob })[] = [];
  for (const [i, { feed, seen }] of (await Promise.all([...EMBEDDED_JURISDICTIONS, ...remote].map(read))).entries()) {
    const embedded = i < EMBEDDED_JURISDICTIONS.length;
    if (embedded && (!feed || seen !== version)) return null;
    if (!feed) continue;
    const { index } = feed;
    if (!(index instanceof Blob)) return null;
    out.push({ ...feed, index });
  }
  return out;
}

/** Where an installed or stored feed came from: what the trust rule and the sync decide on. */
function originOf(f: { readonly head: FeedHead; readonly source: Source } & FeedProvenance): FeedOrigin {
  return { source: f.source, serial: f.head.serial, url: f.url ?? null, keyId: f.keyId ?? null };
}

/** Whether the background sets one of these stored feeds aside at its start (its key is no longer trusted). */
export function anySetAside(feeds: readonly StoredFeed[], trusted: ReadonlySet<string>): boolean {
  return feeds.some((f) => untrustedStoredFeed(originOf(f), trusted) !== null);
}

export class FeedSet {
  readonly feeds = new Map<string, Installed>();
  /** Stored remote feeds not enforced because their signing key is no longer trusted. */
  readonly setAside = new Map<string, SetAside>();

  /** The installed feed's serial, URL and signing key: what decides whether a new one must be newer. */
  origin(jurisdiction: string): FeedOrigin | null {
    const f = this.feeds.get(jurisdiction);
    return f ? originOf(f) : null;
  }

  /**
   * The stored feed, or the embedded one at a first run or a new extension version (unless the stored
   * one is newer). What must be written to the database goes into `toStore`, for the caller to write
   * once the rules are in.
   */
  async loadStoredOrEmbedded(jurisdiction: string, toStore: Record<string, unknown>): Promise<void> {
    const version = runtime.version();
    const [fromStore, embeddedSeen] = await Promise.all([readStored(jurisdiction), idbGet<string>(`embedded-version:${jurisdiction}`)]);
    if (fromStore && embeddedSeen === version) {
      this.feeds.set(jurisdiction, fromStore);
      return;
    }
    const embedded = await embeddedInstalled(jurisdiction);
    if (fromStore && fromStore.head.serial >= embedded.head.serial) {
      this.feeds.set(jurisdiction, fromStore);
    } else {
      this.feeds.set(jurisdiction, embedded);
      Object.assign(toStore, await storedEntries(embedded));
    }
    toStore[`embedded-version:${jurisdiction}`] = version;
  }

  /** Codes of feeds installed from a URL that have no embedded list. */
  async remoteOnlyCodes(): Promise<string[]> {
    return ((await idbGet<string[]>(REMOTE_CODES_KEY)) ?? []).filter((j) => !isEmbedded(j));
  }

  /** A stored feed of a code without an embedded list; a missing or unreadable one is skipped. */
  async loadStoredOnly(jurisdiction: string): Promise<void> {
    const stored = await readStored(jurisdiction);
    if (stored) this.feeds.set(jurisdiction, stored);
  }

  /**
   * A remote feed signed by a key that is no longer trusted is not enforced: the embedded feed is,
   * so the browser is never left without a list, and the status says why. The stored feed stays in
   * the database: it comes back if its key is trusted again (a policy that arrives late), and the
   * next sync replaces it. Runs at start and after every settings change.
   */
  async enforceTrust(trusted: ReadonlySet<string>): Promise<void> {
    for (const [j, current] of [...this.feeds]) {
      const origin = this.origin(j);
      const problem = origin ? untrustedStoredFeed(origin, trusted) : null;
      if (problem && current.keyId) {
        console.warn(`${j}: ${problem}`);
        this.setAside.set(j, { serial: current.head.serial, keyId: current.keyId, message: problem });
        // No embedded list to fall back on: the code has no feed until its key is trusted again.
        if (isEmbedded(j)) this.feeds.set(j, await embeddedInstalled(j));
        else this.feeds.delete(j);
      } else if (current.source === 'embedded' && this.setAside.has(j)) {
        await this.restoreSetAside(j, trusted);
      }
    }
    for (const j of [...this.setAside.keys()]) if (!this.feeds.has(j)) await this.restoreSetAside(j, trusted);
  }

  /** Puts back a stored remote feed whose key is trusted again. */
  private async restoreSetAside(j: string, trusted: ReadonlySet<string>): Promise<void> {
    const stored = await readStored(j);
    if (stored?.source !== 'remote' || !stored.keyId || !trusted.has(stored.keyId)) return;
    this.feeds.set(j, stored);
    this.setAside.delete(j);
  }
}
