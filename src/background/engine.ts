// The background's state: the installed feeds (head + compact index), the settings, and the DNR
// rules reconciled with them. Browser I/O goes through src/platform; the logic is in src/core.
//
// Order of writes, so a crash at any point heals at the next start:
//   1. `applied` is cleared (rules may be changing)   2. updateDynamicRules (atomic)
//   3. the feed (head + index) is stored               4. `applied` is written with its fingerprint
// A start that finds `applied` missing or stale reconciles the rules with the stored feeds: a crash
// between 2 and 3 puts the old rules back (all old), and the next sync installs the new feed again.
import { applyPatch, selectionOf, type EffectiveSettings } from '../core/config.ts';
import { compile } from '../core/compiler.ts';
import { isOutOfDate, newestDataDate } from '../core/data-age.ts';
import { explain, type Explanation } from '../core/explain.ts';
import { activeOrders, parseFeed, type Feed } from '../core/feed.ts';
import type { FeedStatus, SettingsView, Status, SyncState } from '../core/messages.ts';
import { OrderIndex } from '../core/order-index.ts';
import { parseSignature } from '../core/signature.ts';
import { untrustedStoredFeed, type FeedOrigin } from '../core/sync.ts';
import { isJurisdictionEnabled, loadFeed, wantedHosts, type FeedHead, type LoadedFeed } from '../core/selection.ts';
import { browser, dnr, extensionUrl } from '../platform/browser.ts';
import { idbGet, idbPutAll } from '../platform/idb.ts';
import { cachePolicy, loadLocalState, saveUserSettings, settingsState, type SettingsState } from './settings.ts';

/** Bumped when the rule layout changes, so an update rebuilds the rules. */
const RULES_VERSION = 1;
/** Jurisdictions shipped with the extension (extension/feeds/<code>.json). Only Italy is on by default. */
export const EMBEDDED_JURISDICTIONS = ['IT', 'DE', 'CZ', 'CH'] as const;
const isEmbedded = (j: string): boolean => (EMBEDDED_JURISDICTIONS as readonly string[]).includes(j);
/** Database key: the codes of every feed ever installed from a URL, embedded list or not. */
const REMOTE_CODES_KEY = 'remote-jurisdictions';

type Source = 'embedded' | 'remote';
/** Where a feed came from (null: the embedded one) and which key signed it; absent in feeds stored by earlier builds. */
export interface FeedProvenance {
  readonly keyId?: string | null;
  readonly url?: string | null;
}
type Installed = LoadedFeed & { readonly source: Source } & FeedProvenance;

interface StoredFeed extends FeedProvenance {
  readonly head: FeedHead;
  readonly index: ArrayBuffer;
  readonly source: Source;
}

interface AppliedRecord {
  readonly fingerprint: string;
  readonly appliedAt: string;
  readonly ruleCount: number;
  readonly blockedHosts: number;
  readonly mode: string;
  readonly domainsWritten: number;
  readonly errors: string[];
  readonly limitations: string[];
  readonly ruleOrders: Record<number, string[]>;
}

export interface FeedChange {
  readonly fromSerial: number;
  readonly toSerial: number;
  readonly added: number;
  readonly removed: number;
  readonly addedSample: string[];
  readonly removedSample: string[];
}

export class Engine {
  private feeds = new Map<string, Installed>();
  private state!: SettingsState;
  private applied: AppliedRecord | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  /** Sync state per jurisdiction, owned by the syncer; kept here so status() has one source. */
  sync: Record<string, SyncState> = {};
  /** Stored remote feeds not enforced because their signing key is no longer trusted. */
  private setAside = new Map<string, { serial: number; keyId: string; message: string }>();
  /**
   * Test seam for crash consistency: awaited after the new rules are in and before the feed is
   * stored. Only reachable from the worker's own global scope (developer tools, test drivers).
   */
  pauseAfterRules: (() => Promise<void>) | null = null;

  /** Runs mutations one at a time: rules are never updated by two callers at once. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Installs the first rules from the stored or embedded feeds, the user's settings and the last
   * policy seen; never waits for the live policy (see settings.ts), which `applyPolicy` brings in.
   */
  async init(): Promise<void> {
    const [state, stored] = await Promise.all([loadLocalState(), browser.storage.local.get(['applied', 'sync'])]);
    this.state = state;
    this.applied = (stored['applied'] as AppliedRecord | null | undefined) ?? null;
    this.sync = (stored['sync'] as Record<string, SyncState> | undefined) ?? {};
    // Storing a newly embedded feed waits until its rules are in: protection first. A crash in
    // between loads the embedded feed again at the next start.
    const toStore: Record<string, unknown> = {};
    for (const j of EMBEDDED_JURISDICTIONS) await this.loadStoredOrEmbedded(j, toStore);
    // A feed installed from a URL for a code with no embedded list is kept as well.
    for (const j of (await idbGet<string[]>(REMOTE_CODES_KEY)) ?? []) if (!isEmbedded(j)) await this.loadStoredOnly(j);
    await this.serial(() => this.reconcileNow(false));
    if (Object.keys(toStore).length > 0) await idbPutAll(toStore);
  }

  get settings(): EffectiveSettings {
    return this.state.effective;
  }

  installed(jurisdiction: string): Installed | undefined {
    return this.feeds.get(jurisdiction);
  }

  /** The installed feed's serial, URL and signing key: what decides whether a new one must be newer. */
  origin(jurisdiction: string): FeedOrigin | null {
    const f = this.feeds.get(jurisdiction);
    return f ? { source: f.source, serial: f.head.serial, url: f.url ?? null, keyId: f.keyId ?? null } : null;
  }

  private trustedKeyIds(): Set<string> {
    return new Set(this.settings.allTrustedKeys.map((k) => k.keyId));
  }

  /**
   * A remote feed signed by a key that is no longer trusted is not enforced: the embedded feed is,
   * so the browser is never left without a list, and the status says why. The stored feed stays in
   * the database: it comes back if its key is trusted again (a policy that arrives late), and the
   * next sync replaces it. Runs at start and after every settings change.
   */
  private async enforceTrust(): Promise<void> {
    const trusted = this.trustedKeyIds();
    for (const [j, current] of [...this.feeds]) {
      const origin = this.origin(j);
      const problem = origin ? untrustedStoredFeed(origin, trusted) : null;
      if (problem && current.keyId) {
        console.warn(`${j}: ${problem}`);
        this.setAside.set(j, { serial: current.head.serial, keyId: current.keyId, message: problem });
        // No embedded list to fall back on: the code has no feed until its key is trusted again.
        if (isEmbedded(j)) this.feeds.set(j, await this.embeddedInstalled(j));
        else this.feeds.delete(j);
      } else if (current.source === 'embedded' && this.setAside.has(j)) {
        await this.restoreSetAside(j, trusted);
      }
    }
    for (const j of [...this.setAside.keys()]) if (!this.feeds.has(j)) await this.restoreSetAside(j, trusted);
  }

  /** Puts back a stored remote feed whose key is trusted again. */
  private async restoreSetAside(j: string, trusted: ReadonlySet<string>): Promise<void> {
    const stored = await idbGet<StoredFeed>(`feed:${j}`);
    if (stored?.source !== 'remote' || !stored.keyId || !trusted.has(stored.keyId)) return;
    try {
      this.feeds.set(j, { head: stored.head, index: OrderIndex.load(stored.index), source: stored.source, keyId: stored.keyId, url: stored.url ?? null });
      this.setAside.delete(j);
    } catch (e) {
      console.warn(`stored ${j} index unreadable`, e);
    }
  }

  /** A stored feed of a code without an embedded list; a missing or unreadable one is skipped. */
  private async loadStoredOnly(jurisdiction: string): Promise<void> {
    const stored = await idbGet<StoredFeed>(`feed:${jurisdiction}`);
    if (!stored) return;
    try {
      this.feeds.set(jurisdiction, { head: stored.head, index: OrderIndex.load(stored.index), source: stored.source, keyId: stored.keyId ?? null, url: stored.url ?? null });
    } catch (e) {
      console.warn(`stored ${jurisdiction} index unreadable`, e);
      return;
    }
    await this.enforceTrust();
  }

  private async embeddedInstalled(jurisdiction: string): Promise<Installed> {
    return { ...(await this.readEmbedded(jurisdiction)), source: 'embedded', keyId: await this.embeddedKeyId(jurisdiction), url: null };
  }

  /** The key that signed the embedded feed (its `.sig` beside it), or null when it has none. */
  private async embeddedKeyId(jurisdiction: string): Promise<string | null> {
    try {
      const res = await fetch(extensionUrl(`feeds/${jurisdiction}.json.sig`));
      return res.ok ? (parseSignature(await res.text())?.keyId ?? null) : null;
    } catch {
      return null;
    }
  }

  private async loadStoredOrEmbedded(jurisdiction: string, toStore: Record<string, unknown>): Promise<void> {
    const stored = await idbGet<StoredFeed>(`feed:${jurisdiction}`);
    const version = browser.runtime.getManifest().version;
    const embeddedSeen = await idbGet<string>(`embedded-version:${jurisdiction}`);
    let fromStore: Installed | undefined;
    if (stored) {
      try {
        fromStore = { head: stored.head, index: OrderIndex.load(stored.index), source: stored.source, keyId: stored.keyId ?? null, url: stored.url ?? null };
      } catch (e) {
        console.warn(`stored ${jurisdiction} index unreadable, using the embedded feed`, e);
      }
    }
    if (fromStore && embeddedSeen === version) {
      this.feeds.set(jurisdiction, fromStore);
      await this.enforceTrust();
      return;
    }
    // First run, or a new extension version: the embedded feed, unless the stored one is newer.
    const embedded = await this.embeddedInstalled(jurisdiction);
    if (fromStore && fromStore.head.serial >= embedded.head.serial) {
      this.feeds.set(jurisdiction, fromStore);
    } else {
      this.feeds.set(jurisdiction, embedded);
      toStore[`feed:${jurisdiction}`] = { head: embedded.head, index: embedded.index.buffer, source: 'embedded', keyId: embedded.keyId ?? null, url: null } satisfies StoredFeed;
    }
    toStore[`embedded-version:${jurisdiction}`] = version;
    await this.enforceTrust();
  }

  private async readEmbedded(jurisdiction: string): Promise<LoadedFeed> {
    const res = await fetch(extensionUrl(`feeds/${jurisdiction}.json`));
    const parsed = parseFeed(new Uint8Array(await res.arrayBuffer()));
    if (!parsed.ok) throw new Error(`embedded ${jurisdiction} feed is invalid: ${parsed.errors.join('; ')}`);
    return loadFeed(parsed.feed);
  }

  private blockPageUrl(): string {
    return extensionUrl('src/pages/blocked.html');
  }

  private fingerprint(feeds: ReadonlyMap<string, Installed>): string {
    const list = [...feeds.values()].map((f) => `${f.head.jurisdiction}@${f.head.serial}`).sort();
    return JSON.stringify([RULES_VERSION, this.blockPageUrl(), list, selectionOf(this.settings), this.settings.blockSubresources]);
  }

  /** Compiles the rules for `feeds` and applies the difference in one atomic update. */
  private async applyRules(feeds: ReadonlyMap<string, Installed>): Promise<AppliedRecord> {
    const wanted = wantedHosts([...feeds.values()], selectionOf(this.settings));
    const installed = await dnr.getDynamicRules();
    const result = compile(wanted, installed, { blockPageUrl: this.blockPageUrl(), blockSubresources: this.settings.blockSubresources, limits: dnr.limits() });
    await browser.storage.local.set({ applied: null });
    if (result.update.addRules.length > 0 || result.update.removeRuleIds.length > 0) {
      await dnr.updateDynamicRules(result.update.removeRuleIds, result.update.addRules);
    }
    return {
      fingerprint: this.fingerprint(feeds),
      appliedAt: new Date().toISOString(),
      ruleCount: result.rules.length,
      blockedHosts: wanted.length,
      mode: result.mode,
      domainsWritten: result.stats.domainsWritten,
      errors: result.errors,
      limitations: result.limitations,
      ruleOrders: result.ruleOrders,
    };
  }

  private async recordApplied(record: AppliedRecord): Promise<void> {
    this.applied = record;
    await browser.storage.local.set({ applied: record });
  }

  private async reconcileNow(force: boolean): Promise<void> {
    if (!force && this.applied?.fingerprint === this.fingerprint(this.feeds)) return;
    await this.recordApplied(await this.applyRules(this.feeds));
  }

  /** Brings the rules in line with the feeds and settings; cheap when nothing changed. */
  reconcile(force: boolean): Promise<void> {
    return this.serial(() => this.reconcileNow(force));
  }

  /** Where the policy in force came from: this run's managed storage, a cached copy, or none yet. */
  get policyOrigin(): SettingsState['policyOrigin'] {
    return this.state.policyOrigin;
  }

  /**
   * The live policy has been read: it replaces the cached one, is cached for the next start, and the
   * rules follow it. Resolves true when the feed URLs or the sync interval changed (sync again).
   */
  applyPolicy(managedRaw: unknown): Promise<boolean> {
    return this.serial(async () => {
      const before = this.state;
      const same = JSON.stringify(managedRaw) === JSON.stringify(before.managedRaw);
      if (same && before.policyOrigin === 'live') return false;
      this.state = settingsState(before.user, managedRaw, 'live');
      if (!same || before.policyOrigin === 'none') await cachePolicy(managedRaw);
      // The policy's trusted keys may set a stored feed aside or bring one back.
      await this.enforceTrust();
      await this.reconcileNow(false);
      return syncDue(before.effective, this.state.effective);
    });
  }

  /** A user's change from the options page: validated, refused when locked. */
  updateSettings(patch: unknown): Promise<{ ok: true; syncDue: boolean } | { ok: false; error: string }> {
    return this.serial(async () => {
      const r = applyPatch(this.state.user, patch, this.state.policy);
      if (!r.ok) return r;
      const before = this.state.effective;
      await saveUserSettings(r.settings);
      this.state = settingsState(r.settings, this.state.managedRaw, this.state.policyOrigin);
      await this.enforceTrust();
      await this.reconcileNow(false);
      return { ok: true, syncDue: syncDue(before, this.state.effective) } as const;
    });
  }

  /** Installs a verified feed: rules first, then the stored feed (see the order of writes above). */
  installFeed(feed: Feed, source: Source, provenance: FeedProvenance = {}): Promise<FeedChange> {
    return this.serial(async () => {
      const loaded: Installed = { ...loadFeed(feed), source, keyId: provenance.keyId ?? null, url: provenance.url ?? null };
      const previous = this.feeds.get(feed.jurisdiction);
      const next = new Map(this.feeds);
      next.set(feed.jurisdiction, loaded);
      const record = await this.applyRules(next);
      if (this.pauseAfterRules) await this.pauseAfterRules();
      const codes = (await idbGet<string[]>(REMOTE_CODES_KEY)) ?? [];
      await idbPutAll({
        [`feed:${feed.jurisdiction}`]: { head: loaded.head, index: loaded.index.buffer, source, keyId: loaded.keyId ?? null, url: loaded.url ?? null } satisfies StoredFeed,
        ...(source === 'remote' && !codes.includes(feed.jurisdiction) ? { [REMOTE_CODES_KEY]: [...codes, feed.jurisdiction].sort() } : {}),
      });
      this.feeds = next;
      this.setAside.delete(feed.jurisdiction);
      await this.recordApplied(record);
      return describeChange(previous, loaded);
    });
  }

  async saveSync(): Promise<void> {
    await browser.storage.local.set({ sync: this.sync });
  }

  lookup(input: string): Explanation {
    return explain(input, [...this.feeds.values()], selectionOf(this.settings), { now: Date.now(), maxAgeMonths: this.settings.dataMaxAgeMonths });
  }

  settingsView(): SettingsView {
    return {
      effective: this.settings,
      user: this.state.user,
      policy: this.state.policy,
      policyErrors: this.state.policyErrors,
      jurisdictions: [...this.feeds.values()].map(({ head }) => ({
        jurisdiction: head.jurisdiction,
        categories: [...new Set(Object.values(head.orders).map((o) => o.category))].sort(),
      })),
    };
  }

  status(): Omit<Status, 'hostAccess'> {
    const sel = selectionOf(this.settings);
    const now = Date.now();
    const feeds: FeedStatus[] = [...this.feeds.values()].map(({ head, source, index }) => {
      const counts = countFeed(head, index);
      const data = newestDataDate(head.editions);
      return {
        jurisdiction: head.jurisdiction,
        serial: head.serial,
        generated: head.generated,
        expires: head.expires,
        source,
        hostCount: head.hostCount,
        enabled: isJurisdictionEnabled(head.jurisdiction, sel),
        // Out of date: the installed list has expired, or the publisher only offers an expired one.
        stale: Date.parse(head.expires) < now || this.sync[head.jurisdiction]?.lastError?.reason === 'expired',
        data,
        dataOutOfDate: isOutOfDate(data, now, this.settings.dataMaxAgeMonths),
        dataMaxAgeMonths: this.settings.dataMaxAgeMonths,
        authorities: head.authorities,
        byAuthority: counts.byAuthority,
        byCategory: counts.byCategory,
        feedUrl: this.settings.feedUrls[head.jurisdiction] ?? null,
        sync: this.sync[head.jurisdiction] ?? null,
        setAside: this.setAside.get(head.jurisdiction) ?? null,
      };
    });
    return {
      feeds,
      rules: {
        ruleCount: this.applied?.ruleCount ?? 0,
        blockedHosts: this.applied?.blockedHosts ?? 0,
        mode: this.applied?.mode ?? 'none',
        appliedAt: this.applied?.appliedAt ?? null,
        domainsWritten: this.applied?.domainsWritten ?? 0,
        errors: this.applied?.errors ?? [],
        limitations: this.applied?.limitations ?? [],
      },
      locked: this.settings.locked,
    };
  }
}

type Counts = { byAuthority: Record<string, number>; byCategory: Record<string, number> };
/** Counts walk every host once per installed feed, not at every status request. */
const countsCache = new WeakMap<OrderIndex, Counts>();

function countFeed(head: FeedHead, index: OrderIndex): Counts {
  const cached = countsCache.get(index);
  if (cached) return cached;
  const counts = countGroups(head, index);
  countsCache.set(index, counts);
  return counts;
}

function countGroups(head: FeedHead, index: OrderIndex): Counts {
  const perGroup = new Array<number>(index.meta.groups.length).fill(0);
  for (let e = 0; e < index.size; e++) perGroup[index.groupIndexAt(e)] = (perGroup[index.groupIndexAt(e)] ?? 0) + 1;
  const byAuthority: Record<string, number> = {};
  const byCategory: Record<string, number> = {};
  index.meta.groups.forEach((g, i) => {
    const n = perGroup[i] ?? 0;
    const ids = activeOrders(g);
    const authorities = new Set(ids.map((o) => head.orders[o]?.authority).filter((a): a is string => a !== undefined));
    const categories = new Set(ids.map((o) => head.orders[o]?.category).filter((c): c is NonNullable<typeof c> => c !== undefined));
    for (const a of authorities) byAuthority[a] = (byAuthority[a] ?? 0) + n;
    for (const c of categories) byCategory[c] = (byCategory[c] ?? 0) + n;
  });
  return { byAuthority, byCategory };
}

function describeChange(previous: Installed | undefined, next: Installed): FeedChange {
  const added: string[] = [];
  const removed: string[] = [];
  let addedCount = 0;
  let removedCount = 0;
  for (let e = 0; e < next.index.size; e++) {
    const h = next.index.hostAt(e);
    if (!previous?.index.contains(h)) {
      addedCount++;
      if (added.length < 20) added.push(h);
    }
  }
  if (previous) {
    for (let e = 0; e < previous.index.size; e++) {
      const h = previous.index.hostAt(e);
      if (!next.index.contains(h)) {
        removedCount++;
        if (removed.length < 20) removed.push(h);
      }
    }
  }
  return { fromSerial: previous?.head.serial ?? 0, toSerial: next.head.serial, added: addedCount, removed: removedCount, addedSample: added, removedSample: removed };
}

/** A change of feed addresses or interval: the schedule follows and a sync runs at once. */
function syncDue(before: EffectiveSettings, after: EffectiveSettings): boolean {
  return JSON.stringify(before.feedUrls) !== JSON.stringify(after.feedUrls) || before.syncIntervalMinutes !== after.syncIntervalMinutes;
}
