// The background's state: the installed feeds (head + compact index), the settings, and the DNR
// rules reconciled with them. Browser I/O goes through src/platform; the logic is in src/core.
import { compile } from '../core/compiler.ts';
import { explain, type Explanation } from '../core/explain.ts';
import { parseFeed } from '../core/feed.ts';
import type { Status } from '../core/messages.ts';
import { OrderIndex } from '../core/order-index.ts';
import { isJurisdictionEnabled, loadFeed, wantedHosts, type FeedHead, type LoadedFeed } from '../core/selection.ts';
import { browser, dnr, extensionUrl } from '../platform/browser.ts';
import { idbGet, idbPutAll } from '../platform/idb.ts';
import { loadSettings, selectionOf, type Settings } from './settings.ts';

/** Bumped when the rule layout changes, so an update rebuilds the rules. */
const RULES_VERSION = 1;
const EMBEDDED = ['IT'] as const;

interface StoredFeed {
  readonly head: FeedHead;
  readonly index: ArrayBuffer;
  readonly source: 'embedded' | 'remote';
}

interface AppliedRecord {
  readonly fingerprint: string;
  readonly appliedAt: string;
  readonly ruleCount: number;
  readonly blockedHosts: number;
  readonly mode: string;
  readonly errors: string[];
  readonly limitations: string[];
  readonly ruleOrders: Record<number, string[]>;
}

export class Engine {
  private feeds = new Map<string, LoadedFeed & { source: 'embedded' | 'remote' }>();
  private settings!: Settings;
  private applied: AppliedRecord | null = null;

  async init(): Promise<void> {
    this.settings = await loadSettings();
    for (const j of EMBEDDED) await this.loadStoredOrEmbedded(j);
    this.applied = ((await browser.storage.local.get('applied'))['applied'] as AppliedRecord | null | undefined) ?? null;
    await this.reconcile(false);
  }

  private async loadStoredOrEmbedded(jurisdiction: string): Promise<void> {
    const stored = await idbGet<StoredFeed>(`feed:${jurisdiction}`);
    const version = browser.runtime.getManifest().version;
    const embeddedSeen = await idbGet<string>(`embedded-version:${jurisdiction}`);
    if (stored && embeddedSeen === version) {
      try {
        this.feeds.set(jurisdiction, { head: stored.head, index: OrderIndex.load(stored.index), source: stored.source });
        return;
      } catch (e) {
        console.warn(`stored ${jurisdiction} index unreadable, reloading the embedded feed`, e);
      }
    }
    // First run, or a new extension version: take the embedded feed unless the stored one is newer.
    const embedded = await this.readEmbedded(jurisdiction);
    if (stored && stored.head.serial >= embedded.head.serial) {
      this.feeds.set(jurisdiction, { head: stored.head, index: OrderIndex.load(stored.index), source: stored.source });
    } else {
      this.feeds.set(jurisdiction, { ...embedded, source: 'embedded' });
      await idbPutAll({ [`feed:${jurisdiction}`]: { head: embedded.head, index: embedded.index.buffer, source: 'embedded' } satisfies StoredFeed });
    }
    await idbPutAll({ [`embedded-version:${jurisdiction}`]: version });
  }

  private async readEmbedded(jurisdiction: string): Promise<LoadedFeed> {
    const res = await fetch(extensionUrl(`feeds/${jurisdiction}.json`));
    const parsed = parseFeed(new Uint8Array(await res.arrayBuffer()));
    if (!parsed.ok) throw new Error(`embedded ${jurisdiction} feed is invalid: ${parsed.errors.join('; ')}`);
    return loadFeed(parsed.feed);
  }

  private fingerprint(): string {
    const feeds = [...this.feeds.values()].map((f) => `${f.head.jurisdiction}@${f.head.serial}`).sort();
    return JSON.stringify([RULES_VERSION, extensionUrl('src/pages/blocked.html'), feeds, selectionOf(this.settings), this.settings.blockSubresources]);
  }

  /**
   * Brings the dynamic rules in line with the feeds and settings. Cheap when nothing changed (the
   * fingerprint matches); otherwise one diff against getDynamicRules() and one atomic update.
   */
  async reconcile(force: boolean): Promise<void> {
    const fingerprint = this.fingerprint();
    if (!force && this.applied?.fingerprint === fingerprint) return;
    const loaded = [...this.feeds.values()];
    const wanted = wantedHosts(loaded, selectionOf(this.settings));
    const installed = await dnr.getDynamicRules();
    const result = compile(wanted, installed, {
      blockPageUrl: extensionUrl('src/pages/blocked.html'),
      blockSubresources: this.settings.blockSubresources,
      limits: dnr.limits(),
    });
    // Mark the rules as changing first: a crash mid-way then forces a full reconcile at next start.
    await browser.storage.local.set({ applied: null });
    if (result.update.addRules.length > 0 || result.update.removeRuleIds.length > 0) {
      await dnr.updateDynamicRules(result.update.removeRuleIds, result.update.addRules);
    }
    this.applied = {
      fingerprint,
      appliedAt: new Date().toISOString(),
      ruleCount: result.rules.length,
      blockedHosts: wanted.length,
      mode: result.mode,
      errors: result.errors,
      limitations: result.limitations,
      ruleOrders: result.ruleOrders,
    };
    await browser.storage.local.set({ applied: this.applied });
  }

  lookup(input: string): Explanation {
    return explain(input, [...this.feeds.values()], selectionOf(this.settings));
  }

  status(): Status {
    const sel = selectionOf(this.settings);
    const now = Date.now();
    return {
      feeds: [...this.feeds.values()].map(({ head, source }) => ({
        jurisdiction: head.jurisdiction,
        serial: head.serial,
        generated: head.generated,
        expires: head.expires,
        source,
        hostCount: head.hostCount,
        enabled: isJurisdictionEnabled(head.jurisdiction, sel),
        stale: Date.parse(head.expires) < now,
      })),
      rules: {
        ruleCount: this.applied?.ruleCount ?? 0,
        blockedHosts: this.applied?.blockedHosts ?? 0,
        mode: this.applied?.mode ?? 'none',
        appliedAt: this.applied?.appliedAt ?? null,
        errors: this.applied?.errors ?? [],
        limitations: this.applied?.limitations ?? [],
      },
    };
  }
}
