// The settings in force as the background holds them: the user's settings, the policy (live or the
// cached copy) and what the extension was built with, joined by core/config.ts. The background keeps
// one (background/settings.ts); the block page makes the same from the stored records, without the
// background's storage code.
import { effectiveSettings, readPolicy, readUserSettings, type EffectiveSettings, type Policy, type UserSettings } from './config.ts';
import type { PublicKeyFile } from './signature.ts';
import type { StoredRecords } from './stored.ts';

/** What the extension was built with: the release keys it trusts and its default feed URLs. */
export interface BuildDefaults {
  readonly releaseKeys: readonly PublicKeyFile[];
  readonly feedUrls: Readonly<Record<string, string>>;
}

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

export function settingsState(user: UserSettings, managedRaw: unknown, policyOrigin: PolicyOrigin, build: BuildDefaults): SettingsState {
  const { policy, errors } = readPolicy(managedRaw);
  return {
    user,
    policy,
    policyErrors: errors,
    policyOrigin,
    managedRaw,
    effective: effectiveSettings(user, policy, build.releaseKeys, { feedUrls: build.feedUrls }),
  };
}

/** The user's settings and the cached policy, from the stored records. */
export function localState(stored: StoredRecords, build: BuildDefaults): SettingsState {
  const cached = stored.policyCache;
  return settingsState(readUserSettings(stored.settings), cached ?? {}, cached === undefined ? 'none' : 'cached', build);
}
