// The extension calls that the block page needs before it can explain a block — storage.local, the
// extension's version, a message to the background, its own URLs and UI strings — and host access,
// which the pages' shared rendering imports (ui.ts), without webextension-polyfill, so that the page
// loads without it. browser.ts offers the same calls as part of its surface, from here.
//
// They go through the `chrome` namespace, which both browsers give MV3 extensions with promises
// (Firefox's `chrome` is its `browser`). Importing the polyfill is not free even where it wraps
// nothing: the bundle's CommonJS interop copies every property of the native `browser` object, which
// has the browser build the bindings of every API namespace; measured in Chromium, that was ~40% of
// the block page's module evaluation.
import type { MessageKey } from './message-keys.ts';

export const storageLocal = {
  get: (keys: string | string[]): Promise<Record<string, unknown>> => chrome.storage.local.get(keys),
  set: (items: Record<string, unknown>): Promise<void> => chrome.storage.local.set(items),
};

/** The extension's version, from its manifest. */
export function extensionVersion(): string {
  return chrome.runtime.getManifest().version;
}

/** A message to the background; resolves with its answer (undefined when none answered). */
export function sendMessage(message: unknown): Promise<unknown> {
  return chrome.runtime.sendMessage(message);
}

export function extensionUrl(path: string): string {
  return chrome.runtime.getURL(path);
}

export function message(key: MessageKey, substitutions?: string | string[]): string {
  return chrome.i18n.getMessage(key, substitutions);
}

/**
 * Host access. Redirect rules act only on sites the extension may access: when the person withdraws
 * it (Chrome's "on click" / "on specific sites", Firefox's per-extension permission), the rules are
 * still accepted and silently do nothing, so pages of listed sites load.
 */
const ALL_SITES = { origins: ['*://*/*'] };
export const hostAccess = {
  has: (): Promise<boolean> => chrome.permissions.contains(ALL_SITES),
  /** Asks the person to allow access again (from a click in an extension page). */
  request: (): Promise<boolean> => chrome.permissions.request(ALL_SITES),
  onChange(listener: () => void): void {
    chrome.permissions.onAdded.addListener(listener);
    chrome.permissions.onRemoved.addListener(listener);
  },
};
