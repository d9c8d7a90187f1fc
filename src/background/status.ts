// What the popup and options page show: each feed's state, the rules' last update, the settings.
import { selectionOf, type EffectiveSettings } from '../core/config.ts';
import { isOutOfDate, newestDataDate } from '../core/data-age.ts';
import { countFeed } from '../core/feed-stats.ts';
import type { FeedStatus, SettingsView, Status, SyncState } from '../core/messages.ts';
import { isJurisdictionEnabled } from '../core/selection.ts';
import type { AppliedRecord } from '../core/stored.ts';
import type { Installed, SetAside } from './feeds.ts';
import type { SettingsState } from './settings.ts';

export interface EngineView {
  readonly feeds: Iterable<Installed>;
  readonly settings: EffectiveSettings;
  readonly setAside: ReadonlyMap<string, SetAside>;
  readonly applied: AppliedRecord | null;
}

export function statusOf({ feeds: installed, settings, setAside, applied }: EngineView, sync: Readonly<Record<string, SyncState>>): Omit<Status, 'hostAccess'> {
  const sel = selectionOf(settings);
  const now = Date.now();
  const feeds: FeedStatus[] = [...installed].map(({ head, source, index }) => {
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
      stale: Date.parse(head.expires) < now || sync[head.jurisdiction]?.lastError?.reason === 'expired',
      data,
      dataOutOfDate: isOutOfDate(data, now, settings.dataMaxAgeMonths),
      dataMaxAgeMonths: settings.dataMaxAgeMonths,
      authorities: head.authorities,
      byAuthority: counts.byAuthority,
      byCategory: counts.byCategory,
      feedUrl: settings.feedUrls[head.jurisdiction] ?? null,
      sync: sync[head.jurisdiction] ?? null,
      setAside: setAside.get(head.jurisdiction) ?? null,
    };
  });
  const installedCodes = new Set(feeds.map((f) => f.jurisdiction));
  const awaiting = [...new Set([...Object.keys(settings.feedUrls), ...setAside.keys()])]
    .filter((j) => !installedCodes.has(j))
    .map((jurisdiction) => ({ jurisdiction, feedUrl: settings.feedUrls[jurisdiction] ?? null, sync: sync[jurisdiction] ?? null, setAside: setAside.get(jurisdiction) ?? null }));
  return {
    feeds,
    awaiting,
    rules: {
      ruleCount: applied?.ruleCount ?? 0,
      blockedHosts: applied?.blockedHosts ?? 0,
      mode: applied?.mode ?? 'none',
      appliedAt: applied?.appliedAt ?? null,
      domainsWritten: applied?.domainsWritten ?? 0,
      errors: applied?.errors ?? [],
      limitations: applied?.limitations ?? [],
      sessionOverlay: applied?.sessionOverlay ?? false,
    },
    locked: settings.locked,
  };
}

export function settingsViewOf(state: SettingsState, installed: Iterable<Installed>): SettingsView {
  return {
    effective: state.effective,
    user: state.user,
    policy: state.policy,
    policyErrors: state.policyErrors,
    jurisdictions: [...installed].map(({ head }) => ({
      jurisdiction: head.jurisdiction,
      categories: [...new Set(Object.values(head.orders).map((o) => o.category))].sort(),
    })),
  };
}
