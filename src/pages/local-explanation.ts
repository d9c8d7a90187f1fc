// The block page's own explanation, read from what the background stored, so that a person who was
// just blocked does not wait for a background that is not running (a service worker that was stopped
// takes 0.4–0.9 s to start and load an index of a million hosts). It reads the records the background
// reads at its start: the settings and last policy (storage.local), each feed's head, and of each
// large index only the byte ranges one lookup needs. Where only the background can tell which feeds it
// enforces (a first run, a new version, a feed set aside), it answers nothing and the page waits for
// the background, whose answer always follows and replaces this one if it differs.
import { selectionOf } from '../core/config.ts';
import { explain, hostOfInput, type Explanation } from '../core/explain.ts';
import type { IndexMatch } from '../core/order-index.ts';
import { lookupStored } from '../core/order-index-stored.ts';
import { localState } from '../core/settings-state.ts';
import { readStored, STORED_KEYS } from '../core/stored.ts';
import { BUILD_DEFAULTS } from '../platform/build-defaults.ts';
import { storageLocal } from '../platform/extension-api.ts';
import { anySetAside, storedFeedsAtStart } from './stored-feeds.ts';

/**
 * Up to this size an index is read whole, once. Each read of a stored Blob costs the page 1–3 ms of
 * its main thread whatever its size up to tens of kilobytes, and a lookup makes 6–8 of them; a whole
 * embedded list's index (IT: 360 KB) takes 7–11 ms (Chromium, measured on the block page).
 */
const READ_WHOLE_BYTES = 512 * 1024;

/** The index's answer for one host, read from the stored Blob by byte ranges, or whole when it is small. */
async function storedLookup(index: Blob, host: string): Promise<readonly IndexMatch[]> {
  if (index.size <= READ_WHOLE_BYTES) {
    const whole = index.arrayBuffer();
    return lookupStored(async (offset, length) => (await whole).slice(offset, offset + length), host);
  }
  return lookupStored((offset, length) => index.slice(offset, offset + length).arrayBuffer(), host);
}

export async function explainFromStorage(input: string): Promise<Explanation | null> {
  const host = hostOfInput(input);
  if (!host) return null;
  // The settings, the feeds and their lookups are read at once; then the trust rule. Marks for
  // `npm run bench` (BENCH_DEBUG=1 prints them).
  performance.mark('ordinanza-local-start');
  const settings = storageLocal.get([...STORED_KEYS]).then((raw) => {
    performance.mark('ordinanza-local-settings');
    return localState(readStored(raw), BUILD_DEFAULTS);
  });
  const feeds = storedFeedsAtStart().then((stored) => {
    performance.mark('ordinanza-local-feeds');
    return stored && Promise.all(stored.map(async (f) => ({ stored: f, matches: await storedLookup(f.index, host) })));
  });
  const [state, found] = await Promise.all([settings, feeds]);
  if (
    !found ||
    anySetAside(
      found.map((f) => f.stored),
      new Set(state.effective.allTrustedKeys.map((k) => k.keyId)),
    )
  )
    return null;
  const answered = found.map(({ stored, matches }) => ({ head: stored.head, index: { lookup: (h: string) => (h === host ? matches : []) } }));
  return explain(input, answered, selectionOf(state.effective), { now: Date.now(), maxAgeMonths: state.effective.dataMaxAgeMonths });
}
