// The installed feeds: each jurisdiction's head and compact index, loaded from IndexedDB or from the
// feeds embedded in the extension, and the trust rule for feeds downloaded earlier. Browser I/O goes
// through src/platform.
import { parseFeed } from '../core/feed.ts';
import { OrderIndex } from '../core/order-index.ts';
import { loadFeed, type LoadedFeed } from '../core/selection.ts';
import { parseSignature } from '../core/signature.ts';
import { embeddedReplaces, isEmbedded, originOf, REMOTE_CODES_KEY, type FeedProvenance, type Source, type StoredFeed } from '../core/stored-feeds.ts';
import { untrustedStoredFeed, type FeedOrigin } from '../core/sync.ts';
import { extensionUrl, runtime } from '../platform/browser.ts';
import { idbGet, idbPutAll } from '../platform/idb.ts';

// The stored record and the embedded codes are shared with the block page, which reads the stored
// feeds without this module (core/stored-feeds.ts, pages/stored-feeds.ts).
export { EMBEDDED_JURISDICTIONS, isEmbedded, type FeedProvenance, type Source } from '../core/stored-feeds.ts';

export type Installed = LoadedFeed & { readonly source: Source } & FeedProvenance;

export interface SetAside {
  readonly serial: number;
  readonly keyId: string;
  readonly message: string;
}

export async function fromStored(stored: StoredFeed): Promise<Installed> {
  const bytes = stored.index instanceof Blob ? await stored.index.arrayBuffer() : stored.index;
  return { head: stored.head, index: OrderIndex.load(bytes), source: stored.source, keyId: stored.keyId ?? null, url: stored.url ?? null };
}

async function readStored(jurisdiction: string, unreadable?: Set<string>): Promise<Installed | undefined> {
  const stored = await idbGet<StoredFeed>(`feed:${jurisdiction}`);
  if (!stored) return undefined;
  try {
    return await fromStored(stored);
  } catch (e) {
    // An index of another layout version, or damaged: the embedded feed (or none) instead, until a sync.
    console.warn(`stored ${jurisdiction} index unreadable`, e);
    unreadable?.add(jurisdiction);
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
 * Starts storing `feed` while its rules are compiled and written: the database write runs in the
 * browser beside that work. `written` settles with it; `undo` puts back what the database held
 * before (the rules failed: the feed must not outlive them), and never rejects. Either order of
 * the two is safe across a crash: a start reconciles the rules with the stored feeds, and a stored
 * feed was verified.
 */
export function storeBeside(feed: Installed): { written: Promise<void>; undo: () => Promise<void> } {
  const key = `feed:${feed.head.jurisdiction}`;
  // Read before the write is queued: what the undo puts back.
  const before = idbGet<StoredFeed>(key);
  const written = before.then(async () => idbPutAll(await storedEntries(feed)));
  const undo = async (): Promise<void> => {
    // The write failed: nothing to put back.
    const failed = await written.then(
      () => false,
      () => true,
    );
    if (failed) return;
    await idbPutAll({ [key]: await before }).catch((e: unknown) => console.warn(`${key} could not be put back`, e));
  };
  return { written, undo };
}

export class FeedSet {
  readonly feeds = new Map<string, Installed>();
  /** Stored remote feeds not enforced because their signing key is no longer trusted. */
  readonly setAside = new Map<string, SetAside>();
  /** Codes whose stored feed could not be read at start: a sync should bring their list back at once. */
  readonly unreadable = new Set<string>();

  /** The installed feed's serial, URL and signing key: what decides whether a new one must be newer. */
  origin(jurisdiction: string): FeedOrigin | null {
    const f = this.feeds.get(jurisdiction);
    return f ? originOf(f) : null;
  }

  /**
   * The stored feed, or the embedded one at a first run or a new extension version (unless the stored
   * one is newer, or on another serial line: `embeddedReplaces`). What must be written to the database goes into `toStore`, for the caller to write
   * once the rules are in.
   */
  async loadStoredOrEmbedded(jurisdiction: string, toStore: Record<string, unknown>, releaseKeyIds: ReadonlySet<string>): Promise<void> {
    const version = runtime.version();
    const [fromStore, embeddedSeen] = await Promise.all([readStored(jurisdiction, this.unreadable), idbGet<string>(`embedded-version:${jurisdiction}`)]);
    if (fromStore && embeddedSeen === version) {
      this.feeds.set(jurisdiction, fromStore);
      return;
    }
    const embedded = await embeddedInstalled(jurisdiction);
    if (fromStore && !embeddedReplaces(originOf(fromStore), embedded.head.serial, releaseKeyIds)) {
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
    const stored = await readStored(jurisdiction, this.unreadable);
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
