// What the build put into the extension: the release keys committed under keys/ and the default feed
// URLs given at build time (vite.config.ts). Read by the background and by the block page.
import type { BuildDefaults } from '../core/settings-state.ts';
import { parsePublicKey, type PublicKeyFile } from '../core/signature.ts';

declare const __ORDINANZA_DEFAULT_FEED_URLS__: Record<string, string> | undefined;

export const BUILD_DEFAULTS: BuildDefaults = {
  /**
   * Every public key committed under keys/ (*.pub.json) is trusted: a key rotation ships the new key
   * beside the old one, then drops the old one in a later release (docs/feed-format.md).
   */
  releaseKeys: Object.values(import.meta.glob<unknown>('../../keys/*.pub.json', { eager: true, import: 'default' }))
    .map(parsePublicKey)
    .filter((k): k is PublicKeyFile => k !== null),
  /** Feed URLs given at build time, below the user's and the policy's. */
  feedUrls: typeof __ORDINANZA_DEFAULT_FEED_URLS__ === 'object' ? __ORDINANZA_DEFAULT_FEED_URLS__ : {},
};
