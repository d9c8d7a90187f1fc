// The feeds as the background keeps them in IndexedDB: the record of a feed, where it came from, and
// which jurisdictions are embedded. background/feeds.ts writes and loads them; the block page reads
// them without the background (pages/stored-feeds.ts), so this module imports no feed parsing,
// indexing or sync code.
import type { FeedHead } from './selection.ts';

/** Jurisdictions shipped with the extension (extension/feeds/<code>.json). Only Italy is on by default. */
export const EMBEDDED_JURISDICTIONS = ['IT', 'DE', 'CZ', 'CH'] as const;
export const isEmbedded = (j: string): boolean => (EMBEDDED_JURISDICTIONS as readonly string[]).includes(j);
/** Database key: the codes of every feed ever installed from a URL, embedded list or not. */
export const REMOTE_CODES_KEY = 'remote-jurisdictions';

/**
 * Where the installed feed came from. `url` is null for the feed embedded in the extension; `keyId`
 * is the key that signed it (null when unknown: an embedded feed without a signature file, or a
 * feed stored before origins were recorded).
 */
export interface FeedOrigin {
  readonly source: 'embedded' | 'remote';
  readonly serial: number;
  readonly url: string | null;
  readonly keyId: string | null;
}

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

/**
 * Why a stored remote feed must not be enforced any more, or null: the key that signed it is no
 * longer trusted (removed from keys/ in a release, or from the trusted keys of the policy or the
 * settings). The embedded feed is enforced instead.
 */
export function untrustedStoredFeed(origin: FeedOrigin, trustedKeyIds: ReadonlySet<string>): string | null {
  if (origin.source !== 'remote' || origin.keyId === null || trustedKeyIds.has(origin.keyId)) return null;
  return `the installed feed (serial ${origin.serial}) was signed by key ${origin.keyId}, which is no longer trusted: the built-in list, if there is one, is enforced until a feed signed by a trusted key is installed`;
}

/**
 * Whether an embedded feed shipped with a new version of the extension replaces the stored one: only
 * a newer feed on the stored one's serial line, i.e. a stored embedded feed, or a downloaded feed
 * signed by a release key (or stored before origins were recorded). A list signed by another key
 * (an organisation's own, whose serials start afresh) is kept whatever its serial: replacing it
 * would unblock its hosts until a sync reaches the organisation's server.
 */
export function embeddedReplaces(stored: FeedOrigin, embeddedSerial: number, releaseKeyIds: ReadonlySet<string>): boolean {
  if (embeddedSerial <= stored.serial) return false;
  return stored.source === 'embedded' || stored.keyId === null || releaseKeyIds.has(stored.keyId);
}
