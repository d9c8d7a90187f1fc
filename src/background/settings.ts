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
import type { EffectiveSettings, UserSettings } from '../core/config.ts';
import * as state from '../core/settings-state.ts';
import { readStored, STORED_KEYS, type StoredRecords } from '../core/stored.ts';
import { BUILD_DEFAULTS } from '../platform/build-defaults.ts';
import { storage } from '../platform/browser.ts';

// The settings state is shared with the block page, which makes it without this module's storage code
// (core/settings-state.ts, with what the build put in: platform/build-defaults.ts).
export type { PolicyOrigin, SettingsState } from '../core/settings-state.ts';

/** storage.local key of the last policy read from managed storage. */
const POLICY_CACHE = 'policyCache';

export function settingsState(user: UserSettings, managedRaw: unknown, policyOrigin: state.PolicyOrigin): state.SettingsState {
  return state.settingsState(user, managedRaw, policyOrigin, BUILD_DEFAULTS);
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
export function localState(stored: StoredRecords): state.SettingsState {
  return state.localState(stored, BUILD_DEFAULTS);
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

/** A change of feed addresses or interval: the schedule follows and a sync runs at once. */
export function syncDue(before: EffectiveSettings, after: EffectiveSettings): boolean {
  return JSON.stringify(before.feedUrls) !== JSON.stringify(after.feedUrls) || before.syncIntervalMinutes !== after.syncIntervalMinutes;
}
