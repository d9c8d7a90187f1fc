// The feeds as the background keeps them in IndexedDB: the record of a feed, where it came from, and
// which jurisdictions are embedded. background/feeds.ts writes and loads them; the block page reads
// them without the background (pages/stored-feeds.ts), so this module imports no feed parsing,
// indexing or sync code.
import type { FeedHead } from './selection.ts';
import type { FeedOrigin } from './sync.ts';

/** Jurisdictions shipped with the extension (extension/feeds/<code>.json). Only Italy is on by default. */
export const EMBEDDED_JURISDICTIONS = ['IT', 'DE', 'CZ', 'CH'] as const;
export const isEmbedded = (j: string): boolean => (EMBEDDED_JURISDICTIONS as readonly string[]).includes(j);
/** Database key: the codes of every feed ever installed from a URL, embedded list or not. */
export const REMOTE_CODES_KEY = 'remote-jurisdictions';

export type Source = 'embedded' | 'remote';
/** Where a feed came from (null: the embedded one) and which key signed it; absent in feeds stored by earlier builds. */
export interface FeedProvenance {
  readonly keyId?: string | null;
  readonly url?: string | null;
}

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

/** Where an installed or stored feed came from: what the trust rule and the sync decide on. */
export function originOf(f: { readonly head: FeedHead; readonly source: Source } & FeedProvenance): FeedOrigin {
  return { source: f.source, serial: f.head.serial, url: f.url ?? null, keyId: f.keyId ?? null };
}
