// Sync: fetch a jurisdiction's signed feed (or a delta from the installed serial), verify it, and
// hand it to the engine. Any failure leaves the installed list enforced and is recorded with its
// reason; retries back off exponentially up to the sync interval.
import { feedUrlProblem, type EffectiveSettings } from '../core/config.ts';
import { parseFeed, type Feed } from '../core/feed.ts';
import type { SyncState } from '../core/messages.ts';
import { verify } from '../core/signature.ts';
import { stopwatch } from '../core/stopwatch.ts';
import { applyDeltaToIndex, backoffMinutes, checkCandidate, deltaUrl, MAX_FEED_BYTES, sameFeedUrl, signatureUrl } from '../core/sync.ts';
import { alarms, storage } from '../platform/browser.ts';
import type { Engine } from './engine.ts';
import { fetchCapped, SyncError } from './fetch-capped.ts';

/** What the syncer needs of the engine: four settings, the installed feeds, and installing one. */
export interface SyncTarget extends Pick<Engine, 'installed' | 'origin' | 'installFeed'> {
  readonly settings: Pick<EffectiveSettings, 'syncIntervalMinutes' | 'fetchTimeoutSeconds' | 'feedUrls' | 'allTrustedKeys' | 'releaseKeyIds'>;
}

export const SYNC_ALARM = 'ordinanza-sync';
export const RETRY_ALARM = 'ordinanza-sync-retry';
/**
 * Ticks every 20 s while a sync runs. Firefox suspends an event page after 30 s without events,
 * even in the middle of a fetch, and API calls do not count there; an alarm event does. Chromium's
 * worker is kept alive by the fetch itself; the tick does no harm there (Chromium rounds it up to
 * 30 s). Firefox's timeout: the `extensions.background.idle.timeout` preference, 30 s by default
 * (https://searchfox.org/mozilla-central/source/toolkit/components/extensions/parent/ext-backgroundPage.js);
 * background lifetime across browsers: https://github.com/w3c/webextensions/issues/1016.
 */
export const KEEPALIVE_ALARM = 'ordinanza-sync-keepalive';

/** What an attempt noticed on the way, kept whether it succeeds or fails. */
interface Notes {
  deltaFallback: SyncState['deltaFallback'];
}

/** The state of a jurisdiction never synced (or synced from another address). */
export const NO_SYNC_YET: SyncState = {
  url: null,
  lastAttempt: null,
  lastSuccess: null,
  lastOutcome: null,
  lastError: null,
  failures: 0,
  nextSync: null,
  etag: null,
  lastModified: null,
  lastChange: null,
  deltaFallback: null,
};

/**
 * Owns the sync state of every jurisdiction: restored at start from the stored records, written
 * back to storage.local after each run, read by the engine's status through `states`.
 */
export class Syncer {
  private running: Promise<void> | null = null;
  /** The feed addresses the running sync read, and the run queued after it for others. */
  private runningUrls = '';
  private again: Promise<void> | null = null;
  private byCode: Record<string, SyncState> = {};
  /** Diagnostics (`npm run bench`): ms of each step of the last delta installed, and of the last full feed (its fetch after any delta tried). */
  lastDeltaSteps: Record<'fetchMs' | 'signatureMs' | 'parseMs' | 'applyMs' | 'installMs', number> | null = null;
  lastFullSteps: Record<'fetchMs' | 'signatureMs' | 'parseMs' | 'installMs', number> | null = null;

  constructor(
    private readonly engine: SyncTarget,
    private readonly limits = { maxBytes: MAX_FEED_BYTES },
  ) {}

  /** The states stored by an earlier run (validated and migrated by core/stored.ts). */
  restore(states: Readonly<Record<string, SyncState>>): void {
    this.byCode = { ...states };
  }

  get states(): Readonly<Record<string, SyncState>> {
    return this.byCode;
  }

  /** Whether `jurisdiction`, with a feed at `url`, may be synced now: never tried there, or its next try is due. */
  due(jurisdiction: string, url: string | undefined): boolean {
    if (url === undefined) return false;
    const s = this.byCode[jurisdiction];
    return s?.url !== url || s.nextSync === null || Date.parse(s.nextSync) <= Date.now();
  }

  /** Keeps the periodic alarm at the configured interval. */
  async schedule(): Promise<void> {
    const minutes = this.engine.settings.syncIntervalMinutes;
    const existing = await alarms.get(SYNC_ALARM);
    if (!existing || existing.periodInMinutes !== minutes) {
      await alarms.create(SYNC_ALARM, { periodInMinutes: minutes, delayInMinutes: minutes });
    }
  }

  /**
   * Syncs every jurisdiction that has a feed URL; concurrent calls share one run. A call made while a
   * run is under way with other feed addresses than the run read (a policy or the options page
   * changed them) runs once more after it: the new addresses are fetched now, not at the next alarm.
   */
  syncAll(): Promise<void> {
    const urls = JSON.stringify(this.engine.settings.feedUrls);
    if (this.running && this.runningUrls !== urls) {
      // After the running one however it ends (a failed run must not leave this chain rejected).
      this.again ??= this.running
        .catch(() => undefined)
        .then(() => {
          this.again = null;
          return this.syncAll();
        });
      return this.again;
    }
    this.runningUrls = urls;
    this.running ??= this.withKeepAlive(() => this.runAll()).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async withKeepAlive(fn: () => Promise<void>): Promise<void> {
    // Set beside the work, not before it (its first beat is 20 s away). Without it a long sync may be
    // cut short when the worker stops, and the next alarm syncs again.
    const alarm = alarms.create(KEEPALIVE_ALARM, { periodInMinutes: 1 / 3, delayInMinutes: 1 / 3 }).catch((e: unknown) => console.warn('the keep-alive alarm could not be set', e));
    try {
      await fn();
    } finally {
      await alarm;
      await alarms.clear(KEEPALIVE_ALARM);
    }
  }

  private async runAll(): Promise<void> {
    const urls = this.engine.settings.feedUrls;
    let retryIn: number | null = null;
    const codes = Object.entries(urls);
    for (const [i, [jurisdiction, url]] of codes.entries()) {
      const failures = await this.syncOne(jurisdiction, url);
      if (failures > 0) {
        const m = backoffMinutes(failures, this.engine.settings.syncIntervalMinutes);
        retryIn = retryIn === null ? m : Math.min(retryIn, m);
      }
      // Stored as each list is done: a worker stopped during the next download keeps this one's state.
      if (i < codes.length - 1) await storage.local.set({ sync: this.byCode });
    }
    const retry = retryIn !== null ? alarms.create(RETRY_ALARM, { delayInMinutes: retryIn }) : alarms.clear(RETRY_ALARM);
    await Promise.all([retry, storage.local.set({ sync: this.byCode })]);
  }

  /** One jurisdiction; returns the consecutive failure count after this attempt. */
  private async syncOne(jurisdiction: string, url: string): Promise<number> {
    const now = new Date();
    const prev = this.byCode[jurisdiction] ?? NO_SYNC_YET;
    // A new URL starts afresh: its validators and failures belong to the old one.
    const base: SyncState = prev.url === url ? prev : { ...NO_SYNC_YET, url, lastChange: prev.lastChange };
    const interval = this.engine.settings.syncIntervalMinutes;
    const notes: Notes = { deltaFallback: null };
    try {
      const outcome = await this.fetchAndInstall(jurisdiction, url, base, notes);
      this.byCode[jurisdiction] = {
        ...base,
        ...outcome.validators,
        url,
        lastAttempt: now.toISOString(),
        lastSuccess: new Date().toISOString(),
        lastOutcome: outcome.kind,
        lastError: null,
        failures: 0,
        nextSync: new Date(now.getTime() + interval * 60_000).toISOString(),
        lastChange: outcome.change ?? base.lastChange,
        deltaFallback: notes.deltaFallback,
      };
      return 0;
    } catch (e) {
      const err = e instanceof SyncError ? e : new SyncError('apply-failed', (e as Error).message ?? String(e));
      const failures = base.failures + 1;
      this.byCode[jurisdiction] = {
        ...base,
        url,
        lastAttempt: now.toISOString(),
        lastError: { at: now.toISOString(), reason: err.reason, message: err.message },
        failures,
        nextSync: new Date(now.getTime() + backoffMinutes(failures, interval) * 60_000).toISOString(),
        deltaFallback: notes.deltaFallback,
      };
      return failures;
    }
  }

  /** Checks the detached signature beside `url`; returns the id of the trusted key that signed `bytes`. */
  private async verified(url: string, bytes: Uint8Array): Promise<string> {
    const at = signatureUrl(url);
    const sig = await fetchCapped(at, { timeoutMs: this.timeoutMs(), maxBytes: 64 * 1024 });
    if (sig.status !== 200) throw new SyncError('malformed-signature', `no signature at ${at} (HTTP ${sig.status})`);
    const r = await verify(bytes, new TextDecoder().decode(sig.bytes), this.engine.settings.allTrustedKeys);
    if (!r.ok) throw new SyncError(r.reason, r.message);
    return r.keyId;
  }

  /** Whether `feed`, fetched from `url` and signed by `keyId`, may replace the installed feed now. */
  private refusal(jurisdiction: string, feed: Feed, url: string, keyId: string): ReturnType<typeof checkCandidate> {
    return checkCandidate(feed, {
      jurisdiction,
      installed: this.engine.origin(jurisdiction),
      candidate: { url, keyId },
      trustedKeyIds: new Set(this.engine.settings.allTrustedKeys.map((k) => k.keyId)),
      releaseKeyIds: new Set(this.engine.settings.releaseKeyIds),
      now: Date.now(),
    });
  }

  private timeoutMs(): number {
    return this.engine.settings.fetchTimeoutSeconds * 1000;
  }

  private async fetchAndInstall(
    jurisdiction: string,
    url: string,
    state: SyncState,
    notes: Notes,
  ): Promise<{ kind: NonNullable<SyncState['lastOutcome']>; validators: Pick<SyncState, 'etag' | 'lastModified'>; change?: SyncState['lastChange'] }> {
    const problem = feedUrlProblem(url);
    if (problem) throw new SyncError('bad-url', `${url}: ${problem}`);
    const installed = this.engine.installed(jurisdiction);
    const opts = { timeoutMs: this.timeoutMs(), maxBytes: this.limits.maxBytes };
    const t = stopwatch();

    // A delta from the installed serial, when the publisher has one: kilobytes instead of the list. Anything wrong with it (none for
    // this serial, no signature, a bad one, not JSON, not rebuilding the published feed, not acceptable) leaves it to the full feed, now.
    if (installed) {
      try {
        const installedDelta = await this.tryDelta(jurisdiction, url, installed, opts);
        if (installedDelta) return installedDelta;
      } catch (e) {
        // Only a list that cannot be installed now ends the attempt; the full feed has its own checks and cap.
        if (e instanceof SyncError && (e.reason === 'apply-failed' || e.reason === 'superseded')) throw e;
        const err = e instanceof SyncError ? e : new SyncError('invalid-feed', `delta: ${e instanceof Error ? e.message : String(e)}`);
        notes.deltaFallback = { reason: err.reason, message: err.message };
      }
    }

    // Validators only describe the feed installed from this very URL: without it (none installed
    // for this code, or the embedded one) a 304 would leave the code without the feed.
    const headers: Record<string, string> = {};
    const conditional = installed?.source === 'remote' && installed.url === url;
    if (conditional && state.etag) headers['if-none-match'] = state.etag;
    if (conditional && state.lastModified) headers['if-modified-since'] = state.lastModified;
    const full = await fetchCapped(url, { ...opts, headers });
    if (full.status === 304) return { kind: 'not-modified', validators: { etag: state.etag, lastModified: state.lastModified } };
    if (full.status !== 200) throw new SyncError('http-status', `${url} answered HTTP ${full.status}`);
    const fetchMs = t();
    const keyId = await this.verified(url, full.bytes);
    const signatureMs = t();
    const parsed = parseFeed(full.bytes);
    if (!parsed.ok) throw new SyncError('invalid-feed', parsed.errors.join('; '));
    const validators = { etag: full.etag, lastModified: full.lastModified };
    const refusal = this.refusal(jurisdiction, parsed.feed, url, keyId);
    if (refusal?.reason === 'same-serial') return { kind: 'up-to-date', validators };
    if (refusal) throw new SyncError(refusal.reason, refusal.message);
    const parseMs = t();
    const change = await this.install(jurisdiction, parsed.feed, full.bytes.length, url, keyId);
    this.lastFullSteps = { fetchMs, signatureMs, parseMs, installMs: t() };
    return { kind: 'installed', validators, change };
  }

  /** Installs the delta from the installed serial; null when the publisher has none (HTTP 404 and the like). */
  private async tryDelta(
    jurisdiction: string,
    url: string,
    installed: NonNullable<ReturnType<SyncTarget['installed']>>,
    opts: { timeoutMs: number; maxBytes: number },
  ): Promise<{ kind: 'installed-delta'; validators: Pick<SyncState, 'etag' | 'lastModified'>; change: SyncState['lastChange'] }> {
    const t = stopwatch();
    const at = deltaUrl(url, installed.head.serial);
    const d = await fetchCapped(at, opts);
    if (d.status !== 200) throw new SyncError('http-status', `no delta at ${at} (HTTP ${d.status})`);
    const fetchMs = t();
    const keyId = await this.verified(at, d.bytes);
    const signatureMs = t();
    let value: unknown;
    try {
      value = JSON.parse(new TextDecoder().decode(d.bytes));
    } catch {
      throw new SyncError('invalid-feed', 'delta is not valid JSON (truncated or corrupt)');
    }
    const parseMs = t();
    // Applied to the installed index itself: no host list of the installed feed is rebuilt for it.
    const applied = await applyDeltaToIndex(installed, value);
    if (!applied.ok) throw new SyncError('invalid-feed', applied.message);
    const refusal = this.refusal(jurisdiction, applied.feed, url, keyId);
    if (refusal) throw new SyncError(refusal.reason === 'same-serial' ? 'rollback' : refusal.reason, `delta: ${refusal.message}`);
    const applyMs = t();
    const change = await this.install(jurisdiction, applied.feed, d.bytes.length, url, keyId);
    this.lastDeltaSteps = { fetchMs, signatureMs, parseMs, applyMs, installMs: t() };
    // The full feed was published with the delta: its Last-Modified is no later than the delta's.
    return { kind: 'installed-delta', validators: { etag: null, lastModified: d.lastModified }, change };
  }

  private async install(jurisdiction: string, feed: Feed, bytes: number, url: string, keyId: string): Promise<NonNullable<SyncState['lastChange']>> {
    // Checked when the engine's turn comes: settings or another install may have changed since the download.
    const stillWanted = (): void => {
      const current = this.engine.settings.feedUrls[jurisdiction];
      if (current === undefined || !sameFeedUrl(current, url)) throw new SyncError('superseded', `${url} is no longer the address of the ${jurisdiction} list`);
      if (!this.engine.settings.allTrustedKeys.some((k) => k.keyId === keyId)) throw new SyncError('superseded', `key ${keyId} is no longer trusted`);
      const refusal = this.refusal(jurisdiction, feed, url, keyId);
      if (refusal) throw new SyncError(refusal.reason === 'same-serial' ? 'rollback' : refusal.reason, refusal.message);
    };
    try {
      const change = await this.engine.installFeed(feed, 'remote', { keyId, url }, stillWanted);
      return { ...change, at: new Date().toISOString(), bytes };
    } catch (e) {
      if (e instanceof SyncError) throw e;
      throw new SyncError('apply-failed', `the new list could not be installed (its rules or its storage failed): ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
