// The background's state: the installed feeds (head + compact index), the settings, and the DNR
// rules reconciled with them. Browser I/O goes through src/platform; the logic is in src/core.
//
// Order of writes, so a crash at any point heals at the next start: `applied` cleared; the rules
// (dynamic, or session for an overlay) with the feed stored beside them; `applied` written; after a
// pause, the overlay to the dynamic rules and a replaced feed the base stands on kept. A start that
// finds `applied` missing or stale reconciles the rules with the stored feeds; one that finds an
// overlay not yet written puts it back in the session rules (docs/architecture.md, "Writes and crashes").
import { applyPatch, selectionOf, type EffectiveSettings, type Refusal } from '../core/config.ts';
import { compile, type DnrRule, type NestedHosts, type OverlayHosts } from '../core/compiler.ts';
import { isBaseId } from '../core/dnr-rules.ts';
import { explain, type Explanation } from '../core/explain.ts';
import type { Feed } from '../core/feed.ts';
import { describeChange, type FeedChange } from '../core/feed-stats.ts';
import type { SettingsView, Status, SyncState } from '../core/messages.ts';
import { stopwatch } from '../core/stopwatch.ts';
import type { AppliedRecord, StoredRecords } from '../core/stored.ts';
import type { FeedOrigin } from '../core/sync.ts';
import { isJurisdictionEnabled, loadFeed, wantedSet } from '../core/selection.ts';
import { dnr, extensionUrl, storage } from '../platform/browser.ts';
import { idbPutAll } from '../platform/idb.ts';
import { EMBEDDED_JURISDICTIONS, FeedSet, isEmbedded, storeBeside, type FeedProvenance, type Installed, type Source } from './feeds.ts';
export type { FeedChange } from '../core/feed-stats.ts';
export type { FeedProvenance } from './feeds.ts';
import { compileFromChange } from './change-compile.ts';
import { baseRecordOf, baseShape, fingerprintOf, dropCopies, installedRules, keepForBase, keptOverlay, keptOverlayCopy, knownBase, nestedCopy, overlayCopy } from './rule-base.ts';
import { clearSession, overlayWrite, putInSession, replacingOverlay } from './session-overlay.ts';
import { settingsViewOf, statusOf } from './status.ts';
import { WorkQueue } from './work-queue.ts';
import { cachePolicy, localState, saveUserSettings, settingsState, syncDue, type SettingsState } from './settings.ts';

/** An update's record, the overlay rules it left installed and their hosts, and a new base's nested hosts (kept beside the record). */
interface Applied {
  readonly record: AppliedRecord;
  readonly overlay: readonly DnrRule[];
  readonly hosts: OverlayHosts | null;
  readonly nested: NestedHosts | null;
}

const blockPageUrl = (): string => extensionUrl('src/pages/blocked.html');
export class Engine {
  private readonly store = new FeedSet();
  private state!: SettingsState;
  private applied: AppliedRecord | null = null;
  /** The ids of the installed rules when known: from the last update on record, unknown from an update's start until it is recorded. */
  private ruleIds: number[] | null = null;
  /** Mutations run one at a time: rules are never updated by two callers at once. */
  private readonly queue = new WorkQueue();
  /** Diagnostics (`npm run bench`): milliseconds of each step of the last rule update. */
  lastApply: (Record<'wantedMs' | 'readRulesMs' | 'compileMs' | 'writeRulesMs' | 'storeMs', number> & { baseKnown: boolean; fromChange: boolean }) | null = null;
  /** Diagnostics (`npm run bench`): milliseconds the last overlay took to be written to the dynamic rules. */
  lastPersistMs: number | null = null;

  private get feeds(): ReadonlyMap<string, Installed> {
    return this.store.feeds;
  }

  /**
   * Installs the first rules from the stored or embedded feeds of the enabled jurisdictions, the
   * user's settings and the last policy seen; never waits for the live policy (see settings.ts),
   * which `applyPolicy` brings in. Then `loadOthers` loads the lists that are off.
   */
  async init(stored: StoredRecords): Promise<void> {
    this.state = localState(stored);
    this.applied = stored.applied;
    this.ruleIds = stored.applied ? Object.keys(stored.applied.ruleOrders).map(Number) : null;
    const sel = selectionOf(this.settings);
    const codes = [...EMBEDDED_JURISDICTIONS, ...(await this.store.remoteOnlyCodes())];
    await this.load(codes.filter((j) => isJurisdictionEnabled(j, sel)));
    if (this.applied?.sessionOverlay) {
      await this.queue.run(() => this.restoreSessionOverlay());
      this.persistLater();
    }
    this.others = codes.filter((j) => !isJurisdictionEnabled(j, sel));
  }

  private others: string[] = [];
  /** The feeds of jurisdictions that are off: explained, counted, not enforced. */
  async loadOthers(): Promise<void> {
    const codes = this.others;
    this.others = [];
    await this.load(codes);
  }

  private async load(codes: readonly string[]): Promise<void> {
    // Storing a newly embedded feed waits until the rules are in: protection first. A crash in
    // between loads the embedded feed again at the next start.
    const toStore: Record<string, unknown> = {};
    const releaseKeyIds = new Set(this.settings.releaseKeyIds);
    for (const j of codes) {
      if (isEmbedded(j)) await this.store.loadStoredOrEmbedded(j, toStore, releaseKeyIds);
      else await this.store.loadStoredOnly(j);
    }
    await this.enforceTrust();
    await this.queue.run(() => this.reconcileNow(false));
    if (Object.keys(toStore).length > 0) await idbPutAll(toStore);
  }

  get settings(): EffectiveSettings {
    return this.state.effective;
  }

  /** Codes whose stored list could not be read at start (an index of another layout, damaged). */
  get unreadableLists(): ReadonlySet<string> {
    return this.store.unreadable;
  }

  installed(jurisdiction: string): Installed | undefined {
    return this.feeds.get(jurisdiction);
  }

  /** The installed feed's serial, URL and signing key: what decides whether a new one must be newer. */
  origin(jurisdiction: string): FeedOrigin | null {
    return this.store.origin(jurisdiction);
  }

  private enforceTrust(): Promise<void> {
    return this.store.enforceTrust(new Set(this.settings.allTrustedKeys.map((k) => k.keyId)));
  }

  /** What the rules depend on: the enabled jurisdictions' feeds, the selection, the layout. */
  private fingerprint(feeds: ReadonlyMap<string, Installed>): string {
    return fingerprintOf(feeds.values(), selectionOf(this.settings), blockPageUrl(), this.settings.blockSubresources);
  }

  /** Compiles the rules for `feeds` and applies the difference in one atomic update. */
  private async applyRules(feeds: ReadonlyMap<string, Installed>): Promise<Applied> {
    const t = stopwatch();
    const sel = selectionOf(this.settings);
    const wanted = wantedSet([...feeds.values()], sel);
    const wantedMs = t();
    // The base rules are known from the feeds they were compiled from, when those are at hand; else read back.
    const shape = baseShape(blockPageUrl(), this.settings.blockSubresources);
    const ids = this.ruleIds;
    const base = ids ? await knownBase(this.applied?.base, shape, ids.filter(isBaseId), [...this.feeds.values(), ...feeds.values(), ...this.pendingBase.values()]) : null;
    // The overlay rules: the copy kept with the last update, or else read back (in Chromium, reading any rule costs a read of them all).
    const copy = base && ids && this.applied ? await keptOverlayCopy(this.applied.appliedAt) : null;
    const known = base && ids ? { base, overlay: copy?.rules ?? (await installedRules(ids.filter((id) => !isBaseId(id)))) } : null;
    const installed = known ?? (await installedRules(ids));
    const readRulesMs = t();
    const opts = { blockPageUrl: blockPageUrl(), blockSubresources: this.settings.blockSubresources, limits: dnr.limits() };
    // A delta's feed on a record of the feeds and settings in force: compiled from the delta's hosts alone.
    const current = this.applied?.fingerprint === this.fingerprint(this.feeds) ? this.applied : null;
    const fromChange = known && current ? await compileFromChange({ applied: current, current: this.feeds, next: feeds, selection: sel, wanted, ...known, hosts: copy?.hosts ?? null }, opts) : null;
    const result = fromChange ?? compile(wanted, installed, opts);
    const compileMs = t();
    const overlay = result.rules.filter((r) => !isBaseId(r.id));
    // The session rules may hold an overlay: one on record, or an update's that has no record (a crash).
    const sessionHeld = this.applied === null || this.applied.sessionOverlay === true;
    this.ruleIds = null;
    await storage.local.set({ applied: null });
    let sessionOverlay = false;
    if (result.mode === 'overlay') {
      await putInSession(overlay);
      sessionOverlay = true;
    } else if (result.mode === 'unchanged' && base && sessionHeld) {
      // Compiled against the overlay in the session rules, which stays in force as it is.
      sessionOverlay = true;
    } else {
      // Compiled against a known base and the session's overlay, the update also replaces whichever
      // overlay the dynamic rules hold; read back, it was compiled against those.
      const update = base && sessionHeld ? replacingOverlay(result.update, overlay) : result.update;
      if (update.addRules.length > 0 || update.removeRuleIds.length > 0) await dnr.updateDynamicRules(update.removeRuleIds, update.addRules);
      if (sessionHeld) await clearSession();
    }
    this.lastApply = { wantedMs, readRulesMs, compileMs, writeRulesMs: t(), storeMs: 0, baseKnown: base !== null, fromChange: fromChange !== null };
    const record: AppliedRecord = {
      fingerprint: this.fingerprint(feeds),
      appliedAt: new Date().toISOString(),
      ruleCount: result.ruleCount,
      blockedHosts: wanted.size,
      mode: result.mode,
      domainsWritten: result.stats.domainsWritten,
      errors: result.errors,
      limitations: result.limitations,
      ruleOrders: result.ruleOrders,
      sessionOverlay,
      // A full compile makes a new base; otherwise the base stays what it was.
      base: result.mode !== 'full' ? (this.applied?.base ?? null) : result.ruleCount > 0 ? baseRecordOf(feeds.values(), sel, shape, result.stats.buckets) : null,
    };
    return { record, overlay, hosts: result.overlayHosts, nested: result.nested };
  }

  /** Writes the overlay in force from the session rules to the dynamic rules, then empties the session rules. */
  private async persistOverlay(): Promise<void> {
    const a = this.applied;
    if (!a?.sessionOverlay) return;
    const overlay = await keptOverlay(a.appliedAt);
    if (!overlay) return this.reconcileUnknown();
    const t = stopwatch();
    const { removeRuleIds, addRules } = overlayWrite(overlay);
    await dnr.updateDynamicRules(removeRuleIds, addRules);
    await clearSession();
    this.applied = { ...a, sessionOverlay: false };
    await storage.local.set({ applied: this.applied });
    this.lastPersistMs = t();
  }

  /** At start: an overlay not yet written to the dynamic rules is put back in the session rules (a browser restart empties them). */
  private async restoreSessionOverlay(): Promise<void> {
    const a = this.applied;
    if (!a?.sessionOverlay) return;
    const overlay = await keptOverlay(a.appliedAt);
    if (overlay) await putInSession(overlay);
    else await this.reconcileUnknown();
  }

  /** An update failed part way: the rules are reconciled with the feeds kept, then the failure goes on. */
  private async realign(e: unknown): Promise<never> {
    await this.reconcileUnknown().catch((r: unknown) => console.warn('the rules could not be brought back in line with the lists', r));
    throw e;
  }

  /** The overlay on record is lost: the rules are reconciled with what the browser holds, read back. */
  private async reconcileUnknown(): Promise<void> {
    this.applied = null;
    this.ruleIds = null;
    await storage.local.set({ applied: null });
    await this.reconcileNow(true);
  }

  /** Queues the write of an overlay in the session rules to the dynamic rules; a failure is retried at the next update or start. */
  private persistLater(): void {
    this.queue.later('the overlay rules stay in the session rules for now', () => this.persistOverlay());
  }

  /** Replaced feeds of the base until their copy is written (`keepBase`): at hand for the base meanwhile. */
  private readonly pendingBase = new Map<string, Installed>();
  /** Writes the copy of a replaced feed the base still stands on; none when a new base came meanwhile. */
  private async keepBase(jurisdiction: string, previous: Installed): Promise<void> {
    if (this.pendingBase.get(jurisdiction) !== previous) return;
    await idbPutAll(keepForBase(this.applied?.base, previous));
    this.pendingBase.delete(jurisdiction);
  }

  /** Resolves once every queued update, and the writes that follow one, are done. */
  settled(): Promise<void> {
    return this.queue.settled();
  }

  private async recordApplied({ record, overlay, hosts, nested }: Applied): Promise<void> {
    const before = this.applied?.base;
    // Unknown until written: a record left in memory from before would describe other rules.
    this.applied = null;
    this.ruleIds = null;
    // The copies of the overlay rules and of a new base's nested hosts first: the record that vouches for them follows.
    await idbPutAll({ ...overlayCopy(record.appliedAt, overlay, hosts), ...(nested && record.base ? nestedCopy(record.base, nested) : {}) });
    this.applied = record;
    this.ruleIds = Object.keys(record.ruleOrders).map(Number);
    await storage.local.set({ applied: record });
    // A new base: the copies kept for the one before are not needed any more. Without a base before
    // (a first run, a record of an earlier build) there is nothing to drop, and a first start writes
    // nothing more; a copy left by a crash is never mistaken for another feed, and the next new base drops it.
    if (before && record.base !== before) await idbPutAll(dropCopies([...this.feeds.keys(), ...before.feeds.map((f) => f.jurisdiction)]));
    if (record.sessionOverlay) this.persistLater();
  }

  private async reconcileNow(force: boolean): Promise<void> {
    if (!force && this.applied?.fingerprint === this.fingerprint(this.feeds)) return;
    await this.recordApplied(await this.applyRules(this.feeds));
  }

  /** Brings the rules in line with the feeds and settings; cheap when nothing changed. */
  reconcile(force: boolean): Promise<void> {
    return this.queue.run(() => this.reconcileNow(force));
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
    return this.queue.run(async () => {
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
  updateSettings(patch: unknown): Promise<{ ok: true; syncDue: boolean } | Refusal> {
    return this.queue.run(async () => {
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

  /**
   * Installs a verified feed: rules first, then the stored feed (see the order of writes above).
   * `stillWanted` runs when the work's turn comes and throws if the feed may no longer be installed
   * (its key no longer trusted, its address changed, another list installed while it waited).
   */
  installFeed(feed: Feed, source: Source, provenance: FeedProvenance = {}, stillWanted?: () => void): Promise<FeedChange> {
    return this.queue.run(async () => {
      stillWanted?.();
      const loaded: Installed = { ...loadFeed(feed), source, keyId: provenance.keyId ?? null, url: provenance.url ?? null };
      const previous = this.feeds.get(feed.jurisdiction);
      const next = new Map(this.feeds);
      next.set(feed.jurisdiction, loaded);
      const store = storeBeside(loaded);
      const applied = await this.applyRules(next).catch((e: unknown) => store.undo().then(() => this.realign(e)));
      const { record } = applied;
      const t = stopwatch();
      await store.written.catch((e: unknown) => this.realign(e));
      if (this.lastApply) this.lastApply.storeMs = t();
      this.store.feeds.set(feed.jurisdiction, loaded);
      this.store.setAside.delete(feed.jurisdiction);
      // A feed the base was compiled from stays in the database while the base stands: kept in memory
      // until its copy is written after the pause (a second 24 MB write at a million hosts).
      if (previous && Object.keys(keepForBase(record.base, previous)).length > 0) {
        this.pendingBase.set(feed.jurisdiction, previous);
        this.queue.later('the replaced list is kept in memory only for now', () => this.keepBase(feed.jurisdiction, previous));
      }
      // The list is in force: a record that cannot be written makes the next update read the rules back.
      await this.recordApplied(applied).catch((e: unknown) => console.warn('the record of the new rules could not be written', e));
      return describeChange(previous, loaded);
    });
  }

  lookup(input: string): Explanation {
    return explain(input, [...this.feeds.values()], selectionOf(this.settings), { now: Date.now(), maxAgeMonths: this.settings.dataMaxAgeMonths });
  }

  settingsView(): SettingsView {
    return settingsViewOf(this.state, this.feeds.values());
  }

  /** The status pages show; the sync states are the syncer's, passed in. */
  status(sync: Readonly<Record<string, SyncState>>): Omit<Status, 'hostAccess'> {
    return statusOf({ feeds: this.feeds.values(), settings: this.settings, setAside: this.store.setAside, applied: this.applied }, sync);
  }
}
