// Reads the user's settings (storage.local) and the organisation's policy (storage.managed), and
// tells the engine when either changes.
//
// The policy is never waited for before enforcing: Chromium's `storage.managed.get()` takes ~3 s in an
// idle browser and does not answer at all while the browser keeps loading pages (measured: > 20 s with
// a page every ~130 ms, also in a minimal extension with a managed schema). So the engine starts from
// the user's settings and the last policy it saw (cached in storage.local), and applies the live
// policy when it arrives. The delay is known (https://github.com/w3c/webextensions/issues/547), and
// other extensions cache the policy for the same reason.
//
// Firefox reads managed storage once per browser start and fires no change event for it
// (https://bugzilla.mozilla.org/show_bug.cgi?id=1685965): there a policy change applies after the
// browser restarts. Chromium fires `storage.onChanged` with area `managed` (watchSettings below).
import { effectiveSettings, readPolicy, readUserSettings, type EffectiveSettings, type Policy, type UserSettings } from '../core/config.ts';
import { parsePublicKey, type PublicKeyFile } from '../core/signature.ts';
import { readStored, STORED_KEYS, type StoredRecords } from '../core/stored.ts';
import { storage } from '../platform/browser.ts';

declare const __ORDINANZA_DEFAULT_FEED_URLS__: Record<string, string> | undefined;
/** Feed URLs given at build time (vite.config.ts), below the user's and the policy's. */
const BUILD_FEED_URLS: Record<string, string> = typeof __ORDINANZA_DEFAULT_FEED_URLS__ === 'object' ? __ORDINANZA_DEFAULT_FEED_URLS__ : {};

/**
 * Every public key committed under keys/ (*.pub.json) is trusted: a key rotation ships the new key
 * beside the old one, then drops the old one in a later release (docs/feed-format.md).
 */
const RELEASE_KEYS: PublicKeyFile[] = Object.values(import.meta.glob<unknown>('../../keys/*.pub.json', { eager: true, import: 'default' }))
  .map(parsePublicKey)
  .filter((k): k is PublicKeyFile => k !== null);

/** Where the policy in force came from: read from managed storage in this run, or the cached copy. */
export type PolicyOrigin = 'live' | 'cached' | 'none';

export interface SettingsState {
  readonly user: UserSettings;
  readonly policy: Policy;
  readonly policyErrors: readonly string[];
  readonly policyOrigin: PolicyOrigin;
  /** The managed storage object as read (what is cached), to tell a real change from a repeat. */
  readonly managedRaw: unknown;
  readonly effective: EffectiveSettings;
}

/** storage.local key of the last policy read from managed storage. */
const POLICY_CACHE = 'policyCache';

export function settingsState(user: UserSettings, managedRaw: unknown, policyOrigin: PolicyOrigin): SettingsState {
  const { policy, errors } = readPolicy(managedRaw);
  return {
    user,
    policy,
    policyErrors: errors,
    policyOrigin,
    managedRaw,
    effective: effectiveSettings(user, policy, RELEASE_KEYS, { feedUrls: BUILD_FEED_URLS }),
  };
}

/**
 * The background's records in storage.local (which answers at once), migrated and validated
 * (core/stored.ts); migrated records are written back before anything else reads them.
 */
export async function loadStored(): Promise<StoredRecords> {
  const stored = readStored(await storage.local.get([...STORED_KEYS]));
  if (stored.dropped.length > 0) console.warn('Ordinanza dropped stored records that are not valid:', stored.dropped.join(', '));
  if (Object.keys(stored.writes).length > 0) await storage.local.set(stored.writes);
  return stored;
}

/** The user's settings and the cached policy, from the stored records. */
export function localState(stored: StoredRecords): SettingsState {
  const cached = stored.policyCache;
  return settingsState(readUserSettings(stored.settings), cached ?? {}, cached === undefined ? 'none' : 'cached');
}

/** The live policy: may take seconds, or not answer while the browser is busy (see above). */
export async function readManaged(): Promise<unknown> {
  try {
    return await storage.managed.get();
  } catch {
    // No policy store (Firefox without policies.json, or an unmanaged profile): no policy.
    return {};
  }
}

export async function cachePolicy(managedRaw: unknown): Promise<void> {
  await storage.local.set({ [POLICY_CACHE]: managedRaw });
}

export async function saveUserSettings(user: UserSettings): Promise<void> {
  await storage.local.set({ settings: user });
}

/** Calls `onPolicy` when the organisation's policy changes. */
export function watchSettings(onPolicy: () => void): void {
  storage.onChanged((_changes, area) => {
    if (area === 'managed') onPolicy();
  });
}
