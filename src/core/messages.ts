// One typed message map between the pages and the background, validated at run time.
import * as v from 'valibot';
import type { EffectiveSettings, Policy, Refusal, UserSettings } from './config.ts';
import type { DataDate } from './data-age.ts';
import type { Explanation } from './explain.ts';
import type { Authority } from './feed.ts';

export type SyncErrorReason =
  | 'bad-url'
  | 'network'
  | 'timeout'
  | 'http-status'
  | 'oversized'
  | 'bad-redirect'
  | 'malformed-signature'
  | 'unknown-key'
  | 'bad-signature'
  | 'invalid-feed'
  | 'rollback'
  | 'expired'
  | 'wrong-jurisdiction'
  | 'apply-failed'
  | 'superseded';

export interface SyncState {
  readonly url: string | null;
  readonly lastAttempt: string | null;
  readonly lastSuccess: string | null;
  /** What the last successful attempt did. */
  readonly lastOutcome: 'installed' | 'installed-delta' | 'not-modified' | 'up-to-date' | null;
  readonly lastError: { readonly at: string; readonly reason: SyncErrorReason; readonly message: string } | null;
  readonly failures: number;
  readonly nextSync: string | null;
  readonly etag: string | null;
  readonly lastModified: string | null;
  /**
   * Why the last attempt fetched the full feed although a feed was installed: no delta for its
   * serial, or one that was malformed, unverifiable or did not rebuild the published feed. Null
   * when the delta was used or not tried (core/stored.ts migrates states saved before it was recorded).
   */
  readonly deltaFallback: { readonly reason: SyncErrorReason; readonly message: string } | null;
  readonly lastChange: {
    readonly at: string;
    readonly fromSerial: number;
    readonly toSerial: number;
    readonly added: number;
    readonly removed: number;
    readonly addedSample: readonly string[];
    readonly removedSample: readonly string[];
    readonly bytes: number;
  } | null;
}

export interface FeedStatus {
  readonly jurisdiction: string;
  readonly serial: number;
  readonly generated: string;
  readonly expires: string;
  readonly source: 'embedded' | 'remote';
  readonly hostCount: number;
  readonly enabled: boolean;
  /** The installed list is past its expiry: still enforced, but out of date. */
  readonly stale: boolean;
  /** The date of the list's newest data (its newest edition), and whether it is older than the threshold. */
  readonly data: DataDate | null;
  readonly dataOutOfDate: boolean;
  readonly dataMaxAgeMonths: number;
  /** The feed's authorities by id: names for the counts below. */
  readonly authorities: Readonly<Record<string, Authority>>;
  readonly byAuthority: Readonly<Record<string, number>>;
  readonly byCategory: Readonly<Record<string, number>>;
  readonly feedUrl: string | null;
  readonly sync: SyncState | null;
  /**
   * A stored remote feed that is not enforced because the key that signed it is no longer trusted;
   * the embedded feed is enforced instead. Absent or null otherwise.
   */
  readonly setAside?: { readonly serial: number; readonly keyId: string; readonly message: string } | null;
}

export interface RulesStatus {
  readonly ruleCount: number;
  readonly blockedHosts: number;
  readonly mode: string;
  readonly appliedAt: string | null;
  readonly domainsWritten: number;
  readonly errors: readonly string[];
  readonly limitations: readonly string[];
  /** The last update's overlay rules are in force from the session rules, not yet written to the dynamic rules that outlast a browser restart. */
  readonly sessionOverlay: boolean;
}

/** A code with no list installed: a feed address set for it (yet to deliver), or its list set aside. */
export interface AwaitedFeed {
  readonly jurisdiction: string;
  readonly feedUrl: string | null;
  readonly sync: SyncState | null;
  readonly setAside: FeedStatus['setAside'];
}

export interface Status {
  readonly feeds: readonly FeedStatus[];
  /** Feed addresses of codes with no installed list, e.g. an organisation's own list that failed to download. */
  readonly awaiting: readonly AwaitedFeed[];
  readonly rules: RulesStatus;
  readonly locked: boolean;
  /** The extension may act on every site: without it the rules are in place but block nothing. */
  readonly hostAccess: boolean;
}

export interface SettingsView {
  readonly effective: EffectiveSettings;
  readonly user: UserSettings;
  /** The organisation's policy as read (valid keys only): which settings the pages show as managed. */
  readonly policy: Policy;
  readonly policyErrors: readonly string[];
  /** Installed jurisdictions and the categories their orders use. */
  readonly jurisdictions: readonly { readonly jurisdiction: string; readonly categories: readonly string[] }[];
}

const RequestSchema = v.variant('type', [
  v.strictObject({ type: v.literal('lookup'), input: v.pipe(v.string(), v.maxLength(8192)) }),
  v.strictObject({ type: v.literal('status') }),
  v.strictObject({ type: v.literal('getSettings') }),
  // The patch itself is validated by the settings code (config.ts), which knows the policy.
  v.strictObject({ type: v.literal('setSettings'), patch: v.record(v.string(), v.unknown()) }),
  v.strictObject({ type: v.literal('syncNow') }),
]);

export type Request = v.InferOutput<typeof RequestSchema>;

export interface ResponseMap {
  lookup: Explanation;
  status: Status;
  getSettings: SettingsView;
  setSettings: { ok: true } | Refusal;
  syncNow: Status;
}

export type ResponseTo<R extends Request> = ResponseMap[R['type']];

export function parseRequest(value: unknown): Request | null {
  const r = v.safeParse(RequestSchema, value);
  return r.success ? r.output : null;
}
