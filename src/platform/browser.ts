// The only module that touches the extension APIs, as a narrow typed surface: storage, alarms,
// runtime messaging, tabs, permissions, i18n, the toolbar badge, declarativeNetRequest. The rest of
// the code never sees `browser.*` or `chrome.*` (test/unit/boundaries.test.ts checks it).
// webextension-polyfill for what it wraps (runtime, storage, alarms, tabs, permissions, i18n); the
// `chrome` namespace (also present in Firefox MV3, promise-based) for declarativeNetRequest and
// action, which the polyfill does not wrap, and for the few calls the block page needs before its
// first explanation (extension-api.ts, which the page imports without this module and the polyfill).
import browser from 'webextension-polyfill';
import type { DnrRule, RuleLimits } from '../core/compiler.ts';
import { TRAILING_DOT_ID } from '../core/dnr-rules.ts';
import { extensionUrl, extensionVersion, message, sendMessage, storageLocal } from './extension-api.ts';

export { extensionUrl, hostAccess, message } from './extension-api.ts';

export type StorageChanges = Record<string, { oldValue?: unknown; newValue?: unknown }>;

export const storage = {
  local: storageLocal,
  /**
   * The organisation's policy. May take seconds, or not answer while Chromium is busy (settings.ts);
   * https://github.com/w3c/webextensions/issues/547.
   */
  managed: {
    get: (): Promise<Record<string, unknown>> => browser.storage.managed.get(),
  },
  onChanged(listener: (changes: StorageChanges, area: string) => void): void {
    browser.storage.onChanged.addListener(listener);
  },
};

export interface AlarmInfo {
  readonly periodInMinutes?: number;
  readonly delayInMinutes?: number;
}

export const alarms = {
  create: (name: string, info: AlarmInfo): Promise<void> => browser.alarms.create(name, info),
  get: async (name: string): Promise<{ readonly periodInMinutes?: number } | undefined> => (await browser.alarms.get(name)) ?? undefined,
  clear: (name: string): Promise<boolean> => browser.alarms.clear(name),
  onAlarm(listener: (name: string) => void): void {
    browser.alarms.onAlarm.addListener((alarm) => listener(alarm.name));
  },
};

export interface Sender {
  readonly id?: string;
  readonly url?: string;
}

export const runtime = {
  version: extensionVersion,
  onInstalled(listener: () => void): void {
    browser.runtime.onInstalled.addListener(listener);
  },
  onStartup(listener: () => void): void {
    browser.runtime.onStartup.addListener(listener);
  },
  /** `handler` answers with a promise, or undefined to leave the message unanswered. */
  onMessage(handler: (message: unknown, sender: Sender) => Promise<unknown> | undefined): void {
    browser.runtime.onMessage.addListener((message: unknown, sender: Sender) => handler(message, sender));
  },
  /** A message from one of the extension's own pages. */
  isOwnPage: (sender: Sender): boolean => sender.id === browser.runtime.id && typeof sender.url === 'string' && sender.url.startsWith(browser.runtime.getURL('')),
  sendMessage,
  openOptionsPage: (): Promise<void> => browser.runtime.openOptionsPage(),
};

/** The URL of the active tab in the window the calling page belongs to. */
export async function activeTabUrl(): Promise<string | undefined> {
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.url ?? (tab as { pendingUrl?: string } | undefined)?.pendingUrl;
}

type DnrApi = typeof chrome.declarativeNetRequest;

function dnrApi(): DnrApi {
  const api = globalThis.chrome?.declarativeNetRequest;
  if (!api) throw new Error('declarativeNetRequest is not available');
  return api;
}

// Chromium matches `requestDomains` against the host without its trailing dot; Firefox compares the
// host as written, so `http://listed.example./` would escape every rule. In Firefox one more rule
// (TRAILING_DOT_ID, written with every update and hidden from the compiler) redirects any http(s)
// address whose host ends in a dot to the same address without it, which the rules then match as
// usual. Earlier builds wrote every domain a second time in its dotted form instead: twice the
// domains to write and to read back. Rules of those builds read back with their dotted copies, so
// the compiler sees them as changed and rewrites them once without.
// The URL standard keeps the trailing dot (https://url.spec.whatwg.org/#host-parsing,
// https://github.com/whatwg/url/issues/693); Chromium's matcher ignores it
// (components/url_pattern_index/url_pattern_index.cc), Firefox's takes `uri.host` as it is
// (toolkit/components/extensions/ExtensionDNR.sys.mjs, https://searchfox.org/mozilla-central/source/toolkit/components/extensions/ExtensionDNR.sys.mjs).
const dottedHosts = (): boolean => extensionUrl('').startsWith('moz-extension:');

/** Scheme and user info, host without its final dot, port, the rest. */
const TRAILING_DOT_RULE: DnrRule = {
  id: TRAILING_DOT_ID,
  priority: 1,
  action: { type: 'redirect', redirect: { regexSubstitution: '\\1\\2\\3\\4' } },
  // Every type, listed: a rule without resource types leaves out main_frame, where the dot matters most.
  condition: {
    regexFilter: '^(https?://)([^/?#]*[^./?#:@])\\.(:[0-9]*)?([/?#].*)?$',
    resourceTypes: ['main_frame', 'sub_frame', 'stylesheet', 'script', 'image', 'font', 'object', 'xmlhttprequest', 'ping', 'csp_report', 'media', 'websocket', 'other'],
  },
};

/**
 * A rule as it was written. Firefox reads back every optional field of a rule, the unset ones as
 * `null` (`urlFilter: null`, `redirect: null`…): left in, they make every installed rule look changed
 * to the compiler, so each update rewrote all rules and never used the overlay. Firefox's own tests
 * expect those nulls ("Default rule with null for optional fields",
 * https://searchfox.org/mozilla-central/source/toolkit/components/extensions/test/xpcshell/test_ext_dnr_session_rules.js).
 */
function withoutNulls(rule: DnrRule): DnrRule {
  const strip = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as T;
  const action = strip(rule.action);
  if (action.type === 'redirect') action.redirect = strip(action.redirect);
  return { ...strip(rule), condition: strip(rule.condition), action };
}

export const dnr = {
  /** The installed dynamic rules, or only those of `ruleIds` (filtered here too, whatever the browser does with the filter). */
  async getDynamicRules(ruleIds?: readonly number[]): Promise<DnrRule[]> {
    const only = ruleIds ? new Set(ruleIds) : null;
    const rules = (await (only ? dnrApi().getDynamicRules({ ruleIds: [...only] }) : dnrApi().getDynamicRules())) as unknown as DnrRule[];
    return rules.filter((r) => r.id !== TRAILING_DOT_ID && (!only || only.has(r.id))).map(withoutNulls);
  },
  async updateDynamicRules(removeRuleIds: number[], addRules: DnrRule[]): Promise<void> {
    const dot = dottedHosts() && addRules.length > 0;
    await dnrApi().updateDynamicRules({
      removeRuleIds: dot ? [...removeRuleIds, TRAILING_DOT_ID] : removeRuleIds,
      addRules: (dot ? [...addRules, TRAILING_DOT_RULE] : addRules) as unknown as chrome.declarativeNetRequest.Rule[],
    });
  },
  /**
   * Replaces the session rules of `removeRuleIds` with `addRules`. Session rules are matched with the
   * dynamic ones (the highest priority wins across both) and are gone when the browser restarts; an
   * update of them does not re-process the dynamic rules, which Chromium does on every dynamic update
   * (9 s at a million hosts, for any change).
   */
  async updateSessionRules(removeRuleIds: readonly number[], addRules: readonly DnrRule[]): Promise<void> {
    await dnrApi().updateSessionRules({ removeRuleIds: [...removeRuleIds], addRules: [...addRules] as unknown as chrome.declarativeNetRequest.Rule[] });
  },
  async getSessionRules(): Promise<DnrRule[]> {
    return ((await dnrApi().getSessionRules()) as unknown as DnrRule[]).map(withoutNulls);
  },
  /** The browser's limits where it exposes them; the documented minimums otherwise. */
  limits(): RuleLimits {
    const api = dnrApi() as unknown as Record<string, unknown>;
    const num = (k: string): number | undefined => (typeof api[k] === 'number' ? (api[k] as number) : undefined);
    const dynamic = num('MAX_NUMBER_OF_DYNAMIC_RULES') ?? num('MAX_NUMBER_OF_DYNAMIC_AND_SESSION_RULES') ?? 5000;
    const unsafe = num('MAX_NUMBER_OF_UNSAFE_DYNAMIC_RULES') ?? dynamic;
    const regex = num('MAX_NUMBER_OF_REGEX_RULES') ?? 1000;
    // Firefox: one dynamic, redirect and regex rule is the trailing-dot rule's.
    const own = dottedHosts() ? 1 : 0;
    return { maxDynamicRules: dynamic - own, maxUnsafeRules: unsafe - own, maxRegexRules: regex - own };
  },
};

/** The toolbar badge: a short mark and the button's tooltip; an empty mark clears both. */
export async function setActionWarning(mark: string, title: string | null): Promise<void> {
  const action = globalThis.chrome?.action;
  if (!action) return;
  await action.setBadgeText({ text: mark });
  if (mark) await action.setBadgeBackgroundColor({ color: '#b3261e' });
  await action.setTitle({ title: title ?? message('actionTitle') });
}
