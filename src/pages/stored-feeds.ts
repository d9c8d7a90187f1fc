// The feeds the background will enforce at its next start, read from its database without it: for
// the block page, which must not wait for a background that is not running. It follows what
// `FeedSet.loadStoredOrEmbedded` (background/feeds.ts) does at a start, and imports none of the
// background's feed parsing or indexing.
import { EMBEDDED_JURISDICTIONS, isEmbedded, originOf, REMOTE_CODES_KEY, untrustedStoredFeed, type StoredFeed } from '../core/stored-feeds.ts';
import { extensionVersion } from '../platform/extension-api.ts';
import { idbGet } from '../platform/idb.ts';

/**
 * The stored feeds the background loads at its start. Null where only the background can tell: a
 * first run or a new extension version (the embedded feeds decide) or a record of an earlier build.
 * A feed whose signing key is no longer trusted is set aside at start: see `anySetAside`.
 */
export async function storedFeedsAtStart(): Promise<(StoredFeed & { readonly index: Blob })[] | null> {
  const version = extensionVersion();
  const read = async (j: string): Promise<{ feed: StoredFeed | undefined; seen: string | undefined }> => {
    const [feed, seen] = await Promise.all([idbGet<StoredFeed>(`feed:${j}`), isEmbedded(j) ? idbGet<string>(`embedded-version:${j}`) : undefined]);
    return { feed, seen };
  };
  // The embedded codes are read while the list of the others is: one round of reads fewer.
  const [ofEmbedded, codes] = await Promise.all([Promise.all(EMBEDDED_JURISDICTIONS.map(read)), idbGet<string[]>(REMOTE_CODES_KEY)]);
  const remote = (codes ?? []).filter((j) => !isEmbedded(j));
  const out: (StoredFeed & { readonly index: Blob })[] = [];
  for (const [i, { feed, seen }] of [...ofEmbedded, ...(await Promise.all(remote.map(read)))].entries()) {
    const embedded = i < EMBEDDED_JURISDICTIONS.length;
    if (embedded && (!feed || seen !== version)) return null;
    if (!feed) continue;
    const { index } = feed;
    if (!(index instanceof Blob)) return null;
    out.push({ ...feed, index });
  }
  return out;
}

/** Whether the background sets one of these stored feeds aside at its start (its key is no longer trusted). */
export function anySetAside(feeds: readonly StoredFeed[], trusted: ReadonlySet<string>): boolean {
  return feeds.some((f) => untrustedStoredFeed(originOf(f), trusted) !== null);
}
