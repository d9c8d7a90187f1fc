// Settings: the user's (storage.local), the organisation's (managed storage / enterprise policy),
// and the effective result. Policy wins key by key; `locked` makes the user's settings ignored.
import * as v from 'valibot';
import { DEFAULT_DATA_MAX_AGE_MONTHS } from './data-age.ts';
import { CATEGORIES, type Category } from './feed.ts';
import { PublicKeySchema, type PublicKeyFile } from './signature.ts';
import type { Selection } from './selection.ts';

export const SETTINGS_VERSION = 1;
export const SYNC_MIN_MINUTES = 5;
export const SYNC_MAX_MINUTES = 1440;

const Jurisdiction = v.pipe(v.string(), v.regex(/^[A-Z]{2}$/));
const CategoryToggles = v.partial(v.object(Object.fromEntries(CATEGORIES.map((c) => [c, v.boolean()])) as Record<Category, v.BooleanSchema<undefined>>));
const FeedUrl = v.pipe(
  v.string(),
  v.maxLength(2048),
  v.check((u) => feedUrlProblem(u) === null, 'a feed URL is https (http only for localhost)'),
);
const Interval = v.pipe(v.number(), v.integer(), v.minValue(SYNC_MIN_MINUTES), v.maxValue(SYNC_MAX_MINUTES));
const TimeoutSeconds = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(300));
export const DATA_MAX_AGE_MIN_MONTHS = 1;
export const DATA_MAX_AGE_MAX_MONTHS = 120;
/** After how many months a list's newest data counts as possibly out of date. */
const DataMaxAgeMonths = v.pipe(v.number(), v.integer(), v.minValue(DATA_MAX_AGE_MIN_MONTHS), v.maxValue(DATA_MAX_AGE_MAX_MONTHS));

export const UserSettingsSchema = v.object({
  version: v.literal(SETTINGS_VERSION),
  jurisdictions: v.record(Jurisdiction, v.boolean()),
  categories: v.record(Jurisdiction, CategoryToggles),
  blockSubresources: v.boolean(),
  feedUrls: v.record(Jurisdiction, FeedUrl),
  syncIntervalMinutes: Interval,
  fetchTimeoutSeconds: TimeoutSeconds,
  trustedKeys: v.array(PublicKeySchema),
  dataMaxAgeMonths: DataMaxAgeMonths,
});

/** What a user may change; every field optional. */
export const SettingsPatchSchema = v.partial(v.omit(UserSettingsSchema, ['version']));

/** Managed policy: the user's keys plus `locked`, every one optional; unknown keys are ignored. */
export const PolicySchema = v.partial(v.object({ locked: v.boolean(), ...v.omit(UserSettingsSchema, ['version']).entries }));

export type UserSettings = v.InferOutput<typeof UserSettingsSchema>;
export type SettingsPatch = v.InferOutput<typeof SettingsPatchSchema>;
export type Policy = v.InferOutput<typeof PolicySchema>;

export const DEFAULT_SETTINGS: UserSettings = {
  version: SETTINGS_VERSION,
  jurisdictions: { IT: true },
  categories: {},
  blockSubresources: true,
  feedUrls: {},
  syncIntervalMinutes: 30,
  fetchTimeoutSeconds: 30,
  trustedKeys: [],
  dataMaxAgeMonths: DEFAULT_DATA_MAX_AGE_MONTHS,
};

export interface EffectiveSettings extends Omit<UserSettings, 'version'> {
  readonly locked: boolean;
  /** Keys whose value the organisation sets (the pages show them as managed). */
  readonly managed: readonly string[];
  /** Keys trusted for signed feeds: the embedded release key, then the policy's, then the user's. */
  readonly allTrustedKeys: readonly PublicKeyFile[];
  /** The release keys bundled with the extension: one serial line for the embedded feeds and the publisher's. */
  readonly releaseKeyIds: readonly string[];
}

/** Reads stored user settings; anything invalid falls back to the defaults, field by field. */
export function readUserSettings(stored: unknown): UserSettings {
  if (typeof stored !== 'object' || stored === null) return DEFAULT_SETTINGS;
  const out: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const [key, schema] of Object.entries(UserSettingsSchema.entries)) {
    const value = (stored as Record<string, unknown>)[key];
    if (value !== undefined && v.is(schema, value)) out[key] = value;
  }
  return out as UserSettings;
}

const nonEmpty = (r: unknown): unknown => (typeof r === 'object' && r !== null && Object.keys(r).length === 0 ? undefined : r);

type Entry = v.GenericSchema | ((value: unknown, name: string, errors: string[]) => unknown);

/** The keys read entry by entry: one bad entry is reported and ignored, the others apply. */
const ENTRIES: Readonly<Record<string, Entry>> = {
  jurisdictions: v.boolean(),
  categories: (value, name, errors) => nonEmpty(readRecord(value, name, errors, v.boolean(), (c) => (CATEGORIES as readonly string[]).includes(c), 'not a category')),
  feedUrls: FeedUrl,
};

function readEntry(entry: Entry, value: unknown, name: string, errors: string[]): unknown {
  if (typeof entry === 'function') return entry(value, name, errors);
  const r = v.safeParse(entry, value);
  if (r.success) return r.output;
  errors.push(`policy key "${name}" ignored: ${r.issues[0]?.message ?? 'invalid'}`);
  return undefined;
}

function readRecord(value: unknown, name: string, errors: string[], entry: Entry, keyOk = (k: string) => v.is(Jurisdiction, k), keyIssue = 'not a jurisdiction code (two capital letters)'): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    errors.push(`policy key "${name}" ignored: not an object`);
    return undefined;
  }
  const out: Record<string, unknown> = {};
  for (const [k, item] of Object.entries(value)) {
    if (!keyOk(k)) {
      errors.push(`policy key "${name}.${k}" ignored: ${keyIssue}`);
      continue;
    }
    const read = readEntry(entry, item, `${name}.${k}`, errors);
    if (read !== undefined) out[k] = read;
  }
  return out;
}

export function readPolicy(stored: unknown): { policy: Policy; errors: string[] } {
  if (typeof stored !== 'object' || stored === null) return { policy: {}, errors: [] };
  const policy: Record<string, unknown> = {};
  const errors: string[] = [];
  for (const [key, schema] of Object.entries(PolicySchema.entries)) {
    const value = (stored as Record<string, unknown>)[key];
    if (value === undefined) continue;
    const entry = ENTRIES[key];
    let read: unknown;
    // A map left with no valid entry sets nothing (a key list of trusted keys left empty still does:
    // the organisation meant to choose the keys).
    if (entry) read = nonEmpty(readRecord(value, key, errors, entry));
    else if (key === 'trustedKeys' && Array.isArray(value)) read = value.map((k, i) => readEntry(PublicKeySchema, k, `trustedKeys[${i}]`, errors)).filter((k) => k !== undefined);
    else read = readEntry(schema, value, key, errors);
    if (read !== undefined) policy[key] = read;
  }
  return { policy: policy as Policy, errors };
}

export function effectiveSettings(
  user: UserSettings,
  policy: Policy,
  releaseKeys: readonly PublicKeyFile[],
  buildDefaults: { readonly feedUrls?: Readonly<Record<string, string>> } = {},
): EffectiveSettings {
  const locked = policy.locked === true;
  const base: UserSettings = locked ? DEFAULT_SETTINGS : user;
  const managed = Object.keys(policy).filter((k) => k !== 'locked');
  const merged = {
    jurisdictions: { ...base.jurisdictions, ...policy.jurisdictions },
    categories: mergeCategories(base.categories, policy.categories ?? {}),
    blockSubresources: policy.blockSubresources ?? base.blockSubresources,
    // Feed URL: the policy's, else the user's, else the one the extension was built with.
    feedUrls: { ...buildDefaults.feedUrls, ...base.feedUrls, ...policy.feedUrls },
    syncIntervalMinutes: policy.syncIntervalMinutes ?? base.syncIntervalMinutes,
    fetchTimeoutSeconds: policy.fetchTimeoutSeconds ?? base.fetchTimeoutSeconds,
    trustedKeys: base.trustedKeys,
    dataMaxAgeMonths: policy.dataMaxAgeMonths ?? base.dataMaxAgeMonths,
  };
  const keys = new Map<string, PublicKeyFile>();
  // Keys the policy sets replace the user's, since every key it sets wins (a key the organisation removed
  // after a leak must not stay trusted because a user had added it too).
  const userKeys = locked || policy.trustedKeys !== undefined ? [] : user.trustedKeys;
  for (const k of [...releaseKeys, ...(policy.trustedKeys ?? []), ...userKeys]) if (!keys.has(k.keyId)) keys.set(k.keyId, k);
  return { ...merged, locked, managed, allTrustedKeys: [...keys.values()], releaseKeyIds: releaseKeys.map((k) => k.keyId) };
}

function mergeCategories(user: UserSettings['categories'], policy: NonNullable<Policy['categories']>): UserSettings['categories'] {
  const out: Record<string, Partial<Record<Category, boolean>>> = {};
  for (const j of new Set([...Object.keys(user), ...Object.keys(policy)])) out[j] = { ...user[j], ...policy[j] };
  return out;
}

export function selectionOf(s: Pick<EffectiveSettings, 'jurisdictions' | 'categories'>): Selection {
  return { jurisdictions: s.jurisdictions, categories: s.categories };
}

/** Applies a user's change; refused when the organisation locked the settings or set that key. */
/** Why a change is refused, as a code the pages translate; `error` is the technical detail. */
export type RefusalCode = 'locked' | 'managed' | 'invalid';
export type Refusal = { ok: false; code: RefusalCode; error: string };

export function applyPatch(user: UserSettings, patch: unknown, policy: Policy): { ok: true; settings: UserSettings } | Refusal {
  if (policy.locked) return { ok: false, code: 'locked', error: 'settings are locked by your organisation' };
  const r = v.safeParse(SettingsPatchSchema, patch);
  if (!r.success) return { ok: false, code: 'invalid', error: `invalid settings: ${r.issues[0]?.message ?? 'invalid'}` };
  const p = r.output;
  const managedHit = managedPathsIn(user, p, policy);
  if (managedHit.length > 0) return { ok: false, code: 'managed', error: `set by your organisation: ${managedHit.join(', ')}` };
  return {
    ok: true,
    settings: {
      ...user,
      ...p,
      jurisdictions: { ...user.jurisdictions, ...p.jurisdictions },
      categories: p.categories ? mergeCategories(user.categories, p.categories) : user.categories,
      feedUrls: p.feedUrls ?? user.feedUrls,
      version: SETTINGS_VERSION,
    },
  };
}

/**
 * Whether the organisation sets a setting: a whole key (`blockSubresources`), or one entry of a
 * per-jurisdiction map (`jurisdictions`/`feedUrls` + jurisdiction, `categories` + jurisdiction + category).
 */
export function isManaged(policy: Policy, key: Exclude<keyof Policy, 'locked'>, jurisdiction?: string, category?: Category): boolean {
  if (key === 'jurisdictions' || key === 'feedUrls') return jurisdiction !== undefined && policy[key]?.[jurisdiction] !== undefined;
  if (key === 'categories') return jurisdiction !== undefined && category !== undefined && policy.categories?.[jurisdiction]?.[category] !== undefined;
  return policy[key] !== undefined;
}

/** The settings a patch would change although the organisation sets them, as `key` or `key.J(.category)`. */
function managedPathsIn(user: UserSettings, p: SettingsPatch, policy: Policy): string[] {
  const hits: string[] = [];
  for (const key of Object.keys(p) as (keyof SettingsPatch)[]) {
    if (key === 'jurisdictions') {
      for (const j of Object.keys(p.jurisdictions ?? {})) if (isManaged(policy, key, j)) hits.push(`${key}.${j}`);
    } else if (key === 'categories') {
      for (const [j, cats] of Object.entries(p.categories ?? {})) {
        for (const c of Object.keys(cats ?? {}) as Category[]) if (isManaged(policy, key, j, c)) hits.push(`${key}.${j}.${c}`);
      }
    } else if (key === 'feedUrls') {
      // The patch replaces the whole map: only an entry it changes counts.
      const next = p.feedUrls ?? {};
      for (const j of new Set([...Object.keys(next), ...Object.keys(user.feedUrls)])) {
        if (next[j] !== user.feedUrls[j] && isManaged(policy, key, j)) hits.push(`${key}.${j}`);
      }
    } else if (isManaged(policy, key)) {
      hits.push(key);
    }
  }
  return hits;
}

export type FeedUrlIssue = 'not-url' | 'credentials' | 'insecure';

const FEED_URL_PROBLEMS: Record<FeedUrlIssue, string> = {
  'not-url': 'not a URL',
  credentials: 'a feed URL carries no credentials',
  insecure: 'a feed URL must be https (plain http only for localhost)',
};

/** What is wrong with a feed URL, as a code the pages translate, or null. */
export function feedUrlIssue(url: string): FeedUrlIssue | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'not-url';
  }
  if (u.username || u.password) return 'credentials';
  if (u.protocol === 'https:') return null;
  if (u.protocol === 'http:' && (u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]')) return null;
  return 'insecure';
}

/** Why a feed URL is not acceptable, or null: HTTPS only, plain http only for the local machine. */
export function feedUrlProblem(url: string): string | null {
  const issue = feedUrlIssue(url);
  return issue ? FEED_URL_PROBLEMS[issue] : null;
}
