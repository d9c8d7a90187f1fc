// Reads the user's settings (storage.local) and the organisation's policy (storage.managed), and
// tells the engine when either changes.
import { effectiveSettings, readPolicy, readUserSettings, type EffectiveSettings, type Policy, type UserSettings } from '../core/config.ts';
import { parsePublicKey, type PublicKeyFile } from '../core/signature.ts';
import { browser } from '../platform/browser.ts';

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

export interface SettingsState {
  readonly user: UserSettings;
  readonly policy: Policy;
  readonly policyErrors: readonly string[];
  readonly effective: EffectiveSettings;
}

async function readManaged(): Promise<unknown> {
  try {
    return await browser.storage.managed.get();
  } catch {
    // No policy store (Firefox without policies.json, or an unmanaged profile): no policy.
    return {};
  }
}

export async function loadSettingsState(): Promise<SettingsState> {
  const [local, managed] = await Promise.all([browser.storage.local.get('settings'), readManaged()]);
  const user = readUserSettings(local['settings']);
  const { policy, errors } = readPolicy(managed);
  return { user, policy, policyErrors: errors, effective: effectiveSettings(user, policy, RELEASE_KEYS, { feedUrls: BUILD_FEED_URLS }) };
}

export async function saveUserSettings(user: UserSettings): Promise<void> {
  await browser.storage.local.set({ settings: user });
}

/** Calls `onChange` when the user's settings or the policy change. */
export function watchSettings(onChange: () => void): void {
  browser.storage.onChanged.addListener((changes, area) => {
    if ((area === 'local' && 'settings' in changes) || area === 'managed') onChange();
  });
}
