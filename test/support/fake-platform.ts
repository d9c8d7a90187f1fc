// An in-memory stand-in for src/platform (browser.ts and idb.ts), so the background's logic runs in
// vitest in milliseconds: storage (local and a managed area that answers when the test says), DNR
// with the browsers' limits and atomic updates, IndexedDB, the extension's own files, and a log of
// every write in order. It proves logic, never enforcement: that is what test/e2e does.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { vi } from 'vitest';
import type { DnrRule, RuleLimits } from '../../src/core/compiler.ts';
import { applyUpdate, dnrBlocks } from './dnr-model.ts';
import { REPO_ROOT } from './paths.ts';

export const ORIGIN = 'chrome-extension://ordinanza-test/';

type Listener = (changes: Record<string, { oldValue?: unknown; newValue?: unknown }>, area: string) => void;

export class FakePlatform {
  local = new Map<string, unknown>();
  idb = new Map<string, unknown>();
  rules: DnrRule[] = [];
  /** The session rules: matched with the dynamic ones, gone at a browser restart (`restartBrowser`). */
  sessionRules: DnrRule[] = [];
  /** Chromium's dynamic limits by default; Firefox has 5,000 in all. */
  limits: RuleLimits = { maxDynamicRules: 30_000, maxUnsafeRules: 5_000, maxRegexRules: 1_000 };
  /** Every read of the rules: the ids asked for, or null for all of them. */
  ruleReads: (readonly number[] | null)[] = [];
  /** Every write, in order: `local:<key>`, `dnr`, `session`, `idb:<key>`. */
  writes: string[] = [];
  /** The next rule update (dynamic or session) fails with this message (the browser refusing the rules). */
  failNextDnr: string | null = null;
  /** The next updateDynamicRules call fails with this message (the worker stopped before the overlay is written there). */
  failNextDynamic: string | null = null;
  /** The next IndexedDB write fails with this message (the worker killed before the feed is stored). */
  failNextIdb: string | null = null;
  /** The next IndexedDB write of a key starting with this fails (a full disk when that copy is written). */
  failIdbKey: string | null = null;
  /** The next rule update (dynamic or session) never completes: the worker killed while it waits. */
  stallNextDnr = false;
  hostAccess = true;
  version = '0.1.0';
  private listeners: Listener[] = [];
  private managedValue: unknown = {};
  private managedWaiters: ((v: unknown) => void)[] = [];
  /** false: managed storage does not answer (a busy Chromium) until `answerManaged`. */
  managedAnswers = true;

  /** Sets the policy; with `managedAnswers` false it is held back until `answerManaged()`. */
  setPolicy(value: unknown): void {
    this.managedValue = value;
    if (this.managedAnswers) this.emit({ policy: { newValue: value } }, 'managed');
  }

  answerManaged(): void {
    this.managedAnswers = true;
    for (const w of this.managedWaiters.splice(0)) w(structuredClone(this.managedValue));
  }

  blocks(host: string, type = 'main_frame'): boolean {
    return dnrBlocks([...this.rules, ...this.sessionRules], host, type);
  }

  private async refuseIfTold(): Promise<void> {
    if (this.stallNextDnr) {
      this.stallNextDnr = false;
      await new Promise(() => undefined);
    }
    const m = this.failNextDnr;
    this.failNextDnr = null;
    if (m) throw new Error(m);
  }

  /** What a browser restart does to the rules: the session rules are gone, the dynamic ones stay. */
  restartBrowser(): void {
    this.sessionRules = [];
  }

  /** The platform module as src/platform/browser.ts exports it, backed by this fake. */
  browserModule(): Record<string, unknown> {
    const area = (name: 'local', store: () => Map<string, unknown>) => ({
      get: async (keys?: string | string[]) => {
        const list = keys === undefined ? [...store().keys()] : typeof keys === 'string' ? [keys] : keys;
        return Object.fromEntries(list.filter((k) => store().has(k)).map((k) => [k, structuredClone(store().get(k))]));
      },
      set: async (items: Record<string, unknown>) => {
        const changes: Record<string, { newValue: unknown }> = {};
        for (const [k, v] of Object.entries(items)) {
          store().set(k, structuredClone(v));
          this.writes.push(`${name}:${k}`);
          changes[k] = { newValue: v };
        }
        this.emit(changes, name);
      },
    });
    const local = area('local', () => this.local);
    return {
      storage: {
        local,
        managed: {
          get: () => (this.managedAnswers ? Promise.resolve(structuredClone(this.managedValue)) : new Promise((r) => this.managedWaiters.push(r))),
        },
        onChanged: (l: Listener) => this.listeners.push(l),
      },
      runtime: {
        version: () => this.version,
        onInstalled: () => undefined,
        onStartup: () => undefined,
        onMessage: () => undefined,
        isOwnPage: () => true,
        sendMessage: async () => undefined,
        openOptionsPage: async () => undefined,
      },
      alarms: { create: async () => undefined, clear: async () => true, get: async () => undefined, onAlarm: () => undefined },
      activeTabUrl: async () => undefined,
      dnr: {
        getDynamicRules: async (ruleIds?: readonly number[]) => {
          this.ruleReads.push(ruleIds ?? null);
          return structuredClone(ruleIds ? this.rules.filter((r) => ruleIds.includes(r.id)) : this.rules);
        },
        updateDynamicRules: async (removeRuleIds: number[], addRules: DnrRule[]) => {
          await this.refuseIfTold();
          const stop = this.failNextDynamic;
          this.failNextDynamic = null;
          if (stop) throw new Error(stop);
          const next = applyUpdate(this.rules, removeRuleIds, structuredClone(addRules));
          if (next.length > this.limits.maxDynamicRules) throw new Error('Dynamic rule count exceeded.');
          this.rules = next;
          this.writes.push('dnr');
        },
        updateSessionRules: async (removeRuleIds: readonly number[], addRules: readonly DnrRule[]) => {
          await this.refuseIfTold();
          this.sessionRules = applyUpdate(this.sessionRules, removeRuleIds, structuredClone(addRules));
          this.writes.push('session');
        },
        getSessionRules: async () => structuredClone(this.sessionRules),
        limits: () => this.limits,
      },
      extensionUrl: (p: string) => `${ORIGIN}${p}`,
      message: (key: string) => key,
      hostAccess: { has: async () => this.hostAccess, request: async () => true, onChange: () => undefined },
      setActionWarning: async () => undefined,
    };
  }

  idbModule(): Record<string, unknown> {
    return {
      idbGet: async (key: string) => structuredClone(this.idb.get(key)),
      idbPutAll: async (entries: Record<string, unknown>) => {
        const fail = this.failNextIdb;
        this.failNextIdb = null;
        if (fail) throw new Error(fail);
        const prefix = this.failIdbKey;
        if (prefix !== null && Object.keys(entries).some((k) => k.startsWith(prefix))) {
          this.failIdbKey = null;
          throw new Error(`QuotaExceededError writing ${prefix}`);
        }
        for (const [k, v] of Object.entries(entries)) {
          if (v === undefined) this.idb.delete(k);
          else this.idb.set(k, structuredClone(v));
          this.writes.push(`idb:${k}`);
        }
      },
    };
  }

  /** `fetch` for the extension's own files (the embedded feeds), read from extension/. */
  stubFetch(): void {
    vi.stubGlobal('fetch', async (input: string) => {
      if (!input.startsWith(ORIGIN)) return new Response('not found', { status: 404 });
      try {
        return new Response(readFileSync(join(REPO_ROOT, 'extension', input.slice(ORIGIN.length))), { status: 200 });
      } catch {
        return new Response('not found', { status: 404 });
      }
    });
  }

  private emit(changes: Record<string, { oldValue?: unknown; newValue?: unknown }>, area: string): void {
    for (const l of this.listeners) l(changes, area);
  }
}

/** One fake per test file: `vi.mock` factories (hoisted) read it through this holder. */
export const platform = { current: new FakePlatform() };
