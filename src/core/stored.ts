// The records the background keeps in storage.local, validated on read and migrated in order.
//
// Every start reads them through `readStored`: a record of an older layout is brought up to date by
// the migrations below, one version at a time, and a record that still does not match its schema is
// dropped rather than trusted (the rules are then reconciled from the feeds, a sync starts afresh,
// settings fall back to their defaults key by key). The feeds and the order index live in IndexedDB
// with versions of their own (FEED_FORMAT, INDEX_VERSION).
import * as v from 'valibot';
import type { SyncErrorReason, SyncState } from './messages.ts';

/** The layout of the storage.local records; bump it with a migration appended below. */
export const STORED_VERSION = 1;
/** storage.local key holding the version the records were written in (absent: 0). */
export const VERSION_KEY = 'storedVersion';
/** The keys `readStored` reads; the settings and the policy cache are read key by key by core/config. */
export const STORED_KEYS = [VERSION_KEY, 'applied', 'sync', 'settings', 'policyCache'] as const;

const REASONS = [
  'bad-url',
  'network',
  'timeout',
  'http-status',
  'oversized',
  'bad-redirect',
  'malformed-signature',
  'unknown-key',
  'bad-signature',
  'invalid-feed',
  'rollback',
  'expired',
  'wrong-jurisdiction',
  'apply-failed',
  'superseded',
] as const satisfies readonly SyncErrorReason[];

const isoOrNull = v.nullable(v.string());
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const problem = v.object({ reason: v.picklist(REASONS), message: v.string() });

export const SyncStateSchema = v.object({
  url: v.nullable(v.string()),
  lastAttempt: isoOrNull,
  lastSuccess: isoOrNull,
  lastOutcome: v.nullable(v.picklist(['installed', 'installed-delta', 'not-modified', 'up-to-date'])),
  lastError: v.nullable(v.object({ at: v.string(), ...problem.entries })),
  failures: count,
  nextSync: isoOrNull,
  etag: v.nullable(v.string()),
  lastModified: v.nullable(v.string()),
  deltaFallback: v.nullable(problem),
  lastChange: v.nullable(
    v.object({
      at: v.string(),
      fromSerial: count,
      toSerial: count,
      added: count,
      removed: count,
      addedSample: v.array(v.string()),
      removedSample: v.array(v.string()),
      bytes: count,
    }),
  ),
});

export const AppliedSchema = v.object({
  fingerprint: v.string(),
  appliedAt: v.string(),
  ruleCount: count,
  blockedHosts: count,
  mode: v.string(),
  domainsWritten: count,
  errors: v.array(v.string()),
  limitations: v.array(v.string()),
  ruleOrders: v.record(v.string(), v.array(v.string())),
  /**
   * The overlay rules of this update are enforced from the session rules, and the dynamic rules may
   * still hold an earlier overlay: the background writes them to the dynamic rules next (absent: no).
   */
  sessionOverlay: v.optional(v.boolean()),
  /** What the base rules were compiled from, so that an overlay is compiled without reading them back (absent: unknown). */
  base: v.optional(
    v.nullable(
      v.object({
        /** The layout, block page and settings the rules' shape depends on: another shape makes the record useless. */
        shape: v.string(),
        buckets: count,
        /** The enforced feeds, each at the serial the rules were compiled from. */
        feeds: v.array(v.object({ jurisdiction: v.string(), serial: count, source: v.picklist(['embedded', 'remote']), keyId: v.nullable(v.string()), hosts: count })),
        selection: v.object({
          jurisdictions: v.record(v.string(), v.boolean()),
          categories: v.record(v.string(), v.record(v.string(), v.boolean())),
        }),
      }),
    ),
  ),
});

/** What the last rule update installed: compared at start with what the feeds and settings want. */
export type AppliedRecord = v.InferOutput<typeof AppliedSchema>;

// The schema and the message type describe one record: a field that one has and the other lacks fails
// tsc here, and a value of the wrong type fails where `readStored` returns the parsed state.
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;
const syncStateKeysMatch: SameKeys<v.InferOutput<typeof SyncStateSchema>, SyncState> = true;
void syncStateKeysMatch;

type Records = Record<string, unknown>;

/**
 * Migration `i` takes records of version `i` to version `i + 1` and returns the keys it rewrote.
 * Never edit one that has shipped: append the next.
 */
export const MIGRATIONS: readonly ((records: Records) => Records)[] = [
  // 0 → 1: sync states written before `deltaFallback` was recorded lack it; it was not tried then.
  (records) => {
    const sync = records['sync'];
    if (typeof sync !== 'object' || sync === null) return {};
    const out: Records = {};
    for (const [code, state] of Object.entries(sync)) {
      out[code] = typeof state === 'object' && state !== null && !('deltaFallback' in state) ? { ...state, deltaFallback: null } : state;
    }
    return { sync: out };
  },
];

export interface StoredRecords {
  readonly applied: AppliedRecord | null;
  readonly sync: Readonly<Record<string, SyncState>>;
  /** Read key by key by core/config (`readUserSettings`, `readPolicy`), which drop invalid keys. */
  readonly settings: unknown;
  readonly policyCache: unknown;
  /** Records to write back: the migrated ones and the new version; empty when nothing changed. */
  readonly writes: Records;
  /** What was dropped as invalid, for the console. */
  readonly dropped: readonly string[];
}

/**
 * Migrates and validates the records read from storage.local. Records of a newer version than this
 * code knows (a downgrade) are validated as they are and not written back.
 */
export function readStored(raw: Readonly<Records>): StoredRecords {
  const records: Records = { ...raw };
  const found = raw[VERSION_KEY];
  const from = typeof found === 'number' && Number.isInteger(found) && found >= 0 ? found : 0;
  const writes: Records = {};
  if (from < STORED_VERSION) {
    for (let i = from; i < STORED_VERSION; i++) {
      const changed = (MIGRATIONS[i] as (r: Records) => Records)(records);
      Object.assign(records, changed);
      Object.assign(writes, changed);
    }
    writes[VERSION_KEY] = STORED_VERSION;
  }
  const dropped: string[] = [];
  let applied: AppliedRecord | null = null;
  if (records['applied'] !== undefined && records['applied'] !== null) {
    const r = v.safeParse(AppliedSchema, records['applied']);
    if (r.success) applied = r.output;
    else dropped.push('applied');
  }
  const sync: Record<string, SyncState> = {};
  const rawSync = records['sync'];
  if (typeof rawSync === 'object' && rawSync !== null) {
    for (const [code, state] of Object.entries(rawSync)) {
      const r = v.safeParse(SyncStateSchema, state);
      if (r.success) sync[code] = r.output;
      else dropped.push(`sync.${code}`);
    }
  } else if (rawSync !== undefined) dropped.push('sync');
  return { applied, sync, settings: records['settings'], policyCache: records['policyCache'], writes, dropped };
}
