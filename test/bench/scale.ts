// Real-browser rows of `npm run bench` at scale: the embedded Italian feed plus N generated hosts
// (1,000,000 by default, BENCH_SCALE_HOSTS) as one signed feed served by a local server, installed by
// the extension's own sync in Chromium and Firefox ESR. Each row has a baseline from the same
// browser and run:
// - install: feed fetched, verified, parsed, indexed, rules applied, explanations answering;
//   baseline one raw updateDynamicRules call with the same domains in a single rule.
// - install against the browser's cost of the same rules: the extension's dynamic rules, once installed,
//   removed and written again raw in one call (what the layout costs, apart from the extension's work).
// - 1% delta: the same, for a signed delta changing 1% of the hosts; baseline the full install.
//   Bytes: the delta's size against the full feed's.
// - cold explanation: background stopped, a listed host visited, time from the block page's
//   DOM being ready to its explanation shown; baseline the same with the background running.
// - background memory at rest after the install (Chromium: JS heap of the service worker after a
//   GC; Firefox: about:memory's report for the event page after memory was minimised); baseline
//   the same background before the install (embedded list only).
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Page } from 'puppeteer-core';
import { parseFeed, serializeFeed, type Feed } from '../../src/core/feed.ts';
import type { FeedStatus, Status } from '../../src/core/messages.ts';
import { generateKeyPair, serializeSignature, sign, encodeUtf8, type PrivateKeyFile } from '../../src/core/signature.ts';
import { makeDelta } from '../../src/core/sync.ts';
import { distFor, evaluateInBackground, launchExtension, openExtensionPage, startServer, visit, type BrowserName, type Extension } from '../e2e/harness.ts';
import { scaleHosts } from './scale-hosts.ts';
import { rawInstallInPage, rewriteRulesInPage } from './raw-install.ts';

export interface ScaleRow {
  readonly name: string;
  readonly ours: number;
  readonly baseline: number;
  readonly unit: string;
  /** The target: a ratio (`ratio`) or an absolute value in `unit` (`max`). */
  readonly target: { readonly ratio: number } | { readonly max: number };
}

const ORDER = 'bench-scale';

function embeddedFeed(browser: BrowserName): Feed {
  const r = parseFeed(new Uint8Array(readFileSync(join(distFor(browser), 'feeds/IT.json'))));
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.feed;
}

/** The embedded feed at `serial` plus `hosts` under one test order. */
function withHosts(base: Feed, serial: number, hosts: string[]): Feed {
  const edition = Object.keys(base.editions)[0] as string;
  return {
    ...base,
    serial,
    orders: { ...base.orders, [ORDER]: { authority: Object.keys(base.authorities)[0] as string, category: 'other', act: { kind: 'register' }, sources: [{ url: 'https://example.org/bench' }] } },
    entries: [...base.entries, { listings: [{ order: ORDER, edition }], hosts: [...hosts].sort() }],
  };
}

async function signed(body: string, key: PrivateKeyFile): Promise<{ body: Buffer; sig: string }> {
  const bytes = encodeUtf8(body);
  return { body: Buffer.from(bytes), sig: serializeSignature(await sign(bytes, key)) };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function ask<T>(page: Page, msg: object): Promise<T> {
  return page.evaluate((m) => chrome.runtime.sendMessage(m), msg) as Promise<T>;
}

async function itStatus(page: Page): Promise<FeedStatus> {
  const it = (await ask<Status>(page, { type: 'status' })).feeds.find((f) => f.jurisdiction === 'IT');
  if (!it) throw new Error('no IT feed');
  return it;
}

/** Sync now, then wait until `serial` is installed and `host` is explained; returns ms from the call. */
async function installTimed(page: Page, serial: number, host: string): Promise<number> {
  const t = Date.now();
  // The sync's answer is the status after it: polled again only while the serial is not in yet.
  let status = await ask<Status>(page, { type: 'syncNow' });
  for (;;) {
    const s = status.feeds.find((f) => f.jurisdiction === 'IT');
    if (!s) throw new Error('no IT feed');
    if (s.sync?.lastError) throw new Error(`sync failed: ${s.sync.lastError.message}`);
    if (s.serial === serial) {
      const ex = await ask<{ matches: unknown[] }>(page, { type: 'lookup', input: host });
      if (ex.matches.length > 0) return Date.now() - t;
    }
    if (Date.now() - t > 240_000) throw new Error(`serial ${serial} not installed within 240 s`);
    await new Promise((r) => setTimeout(r, 50));
    status = await ask<Status>(page, { type: 'status' });
  }
}

/** One raw updateDynamicRules with `hosts` in one rule (fetched by the extension page from the server), then removed. */
async function rawInstallMs(page: Page, url: string): Promise<number> {
  return (await page.evaluate(rawInstallInPage, url, 990_002)).ms;
}

/** Ms from the block page's DOM ready to its explanation shown (the page marks it). */
async function explanationDelay(ext: Extension, host: string): Promise<number> {
  const page = await ext.browser.newPage();
  try {
    const v = await visit(page, `http://${host}/`);
    if (v.outcome !== 'blocked') throw new Error(`${host}: ${v.outcome}`);
    const r = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      const mark = performance.getEntriesByName('ordinanza-explained')[0];
      if (!nav || !mark) throw new Error('no timing marks');
      const marks = performance.getEntriesByType('mark').map((m) => `${m.name.replace('ordinanza-', '')} ${Math.round(m.startTime - nav.domInteractive)}`);
      return { ms: mark.startTime - nav.domInteractive, marks };
    });
    // BENCH_DEBUG=1: the page's own marks, in ms from its DOM being ready.
    if (process.env['BENCH_DEBUG']) console.log(`${ext.name} ${host}: ${Math.round(r.ms)} ms; ${r.marks.join(', ')}`);
    return r.ms;
  } finally {
    await page.close();
  }
}

/** BENCH_DEBUG=1: the background's own timings of the last rule update (engine.ts `lastApply`) and of its start (main.ts). */
async function debugSteps(ext: Extension, what: string, ms: number): Promise<void> {
  if (!process.env['BENCH_DEBUG']) return;
  const steps = await evaluateInBackground(ext, (bg) => {
    const o = (bg as unknown as { ordinanza?: { engine: { lastApply: unknown; applied?: { mode: string } }; syncer: { lastDeltaSteps: unknown; lastFullSteps: unknown }; timings: unknown } })
      .ordinanza;
    // The background's start marks too (ms from its own start): a step that woke it waited for them.
    return o ? { ...(o.engine.lastApply ?? {}), mode: o.engine.applied?.mode, delta: o.syncer.lastDeltaSteps, full: o.syncer.lastFullSteps, start: o.timings } : null;
  }).catch(String);
  console.log(`${ext.name} ${what} ${ms} ms: ${JSON.stringify(steps)}`);
}

/** BENCH_DEBUG=1: when the delta's overlay, in force from the session rules, was written to the dynamic rules. */
async function debugWritten(ext: Extension, page: Page, since: number): Promise<void> {
  if (!process.env['BENCH_DEBUG']) return;
  for (;;) {
    const s = await ask<Status>(page, { type: 'status' });
    if (!s.rules.sessionOverlay) break;
    if (Date.now() - since > 120_000) throw new Error('the overlay was not written to the dynamic rules within 120 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  const ms = await evaluateInBackground(ext, (bg) => (bg as unknown as { ordinanza?: { engine: { lastPersistMs: number | null } } }).ordinanza?.engine.lastPersistMs ?? null).catch(String);
  console.log(`${ext.name} delta's overlay in the dynamic rules ${Date.now() - since} ms after the delta was in force (the write itself: ${ms} ms)`);
}

/** Chromium: the service worker's JS heap after a GC, in MB. */
async function workerHeapMb(ext: Extension): Promise<number | null> {
  if (ext.name !== 'chromium') return null;
  const target = await ext.browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(ext.origin));
  const session = await target.createCDPSession();
  try {
    await session.send('HeapProfiler.collectGarbage');
    // The JS heap plus the ArrayBuffers' backing stores (where the order index lives).
    const usage = (await session.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number };
    return (usage.usedSize + (usage.backingStorageSize ?? 0)) / 2 ** 20;
  } finally {
    await session.detach();
  }
}

/**
 * Firefox: what its own memory tool, about:memory, reports for the extension's background page
 * (every `explicit/window-objects/top(<background page>)` report: its JS realm and zone, the
 * ArrayBuffers where the order index lives, DOM), in MB, after Firefox minimised its memory use
 * (GC and CC in every process). WebDriver BiDi has no memory API and may not open about:memory, so
 * the report is asked as Firefox's tools do on Linux: SIGRTMIN+1 to the browser makes it minimise,
 * then write every process's reports to `unified-memory-report-*-<pid>.json.gz` in its temporary
 * directory, which this reads and deletes.
 */
async function firefoxBackgroundMb(ext: Extension): Promise<number | null> {
  const pid = ext.browser.process()?.pid;
  if (ext.name !== 'firefox' || pid === undefined) return null;
  const dir = process.env['TMPDIR'] || tmpdir();
  const name = new RegExp(`^unified-memory-report-.*-${pid}\\.json(?:-\\d+)?\\.gz$`);
  const before = new Set(readdirSync(dir).filter((f) => name.test(f)));
  // SIGRTMIN+1 (glibc's SIGRTMIN is 34; Node names no real-time signals).
  process.kill(pid, 35);
  let file: string | undefined;
  for (const since = Date.now(); !file && Date.now() - since < 60_000; ) {
    await new Promise((r) => setTimeout(r, 250));
    file = readdirSync(dir).find((f) => name.test(f) && !before.has(f));
  }
  if (!file) throw new Error('Firefox wrote no memory report within 60 s');
  const path = join(dir, file);
  const report = JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as { reports: { path: string; units: number; amount: number }[] };
  rmSync(path);
  const top = `explicit/window-objects/top(moz-extension:\\\\${ext.origin.slice('moz-extension://'.length)}\\_generated_background_page.html, id=`;
  let bytes = 0;
  let found = false;
  for (const r of report.reports) {
    // units 0: bytes. Entries under explicit/ do not overlap, so their sum is the window's total.
    if (r.units === 0 && r.path.startsWith(top)) {
      bytes += r.amount;
      found = true;
    }
  }
  if (!found) throw new Error("Firefox's memory report names no background page of the extension");
  return bytes / 2 ** 20;
}

/**
 * The rows for `n` generated hosts, or, with `real`, for the real union of lists (real-union.ts):
 * the same steps, the rows named after it.
 */
export async function scaleRows(browser: BrowserName, n: number, real?: { hosts: readonly string[]; from: string }): Promise<ScaleRow[]> {
  const key = await generateKeyPair();
  const base = embeddedFeed(browser);
  const baseHosts = new Set(base.entries.flatMap((g) => g.hosts));
  const hosts = real ? real.hosts.filter((h) => !baseHosts.has(h)) : scaleHosts(n, baseHosts);
  const who = real ? `${browser}, real lists` : browser;
  const size = real ? `${(hosts.length + baseHosts.size).toLocaleString('en')} real` : n.toLocaleString('en');
  const s1 = base.serial + 1;
  const full = withHosts(base, s1, hosts);
  // 1%: half removed, half new.
  const k = Math.floor(n / 200);
  const changed = [...hosts.slice(k), ...scaleHosts(k, new Set(hosts), 7)];
  const next = withHosts(base, s1 + 1, changed);
  const fullFile = await signed(serializeFeed(full), key.privateKey);
  const nextFile = await signed(serializeFeed(next), key.privateKey);
  const deltaFile = await signed(JSON.stringify(await makeDelta(full, next)), key.privateKey);
  const embeddedOnlyFile = await signed(serializeFeed({ ...base, serial: s1 + 2 }), key.privateKey);
  const pagesOnlyFile = await signed(serializeFeed(withHosts(base, s1 + 3, hosts)), key.privateKey);
  const domainsJson = JSON.stringify([...base.entries.flatMap((g) => g.hosts), ...hosts]);

  const routes = new Map<string, string | Buffer>();
  const server = await startServer();
  server.handler = (req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'unknown'}`);
    if (url.hostname !== '127.0.0.1') return false;
    const body = routes.get(url.pathname);
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(body ?? '');
    return true;
  };
  const rows: ScaleRow[] = [];
  const ext = await launchExtension(browser, { server });
  try {
    const page = await openExtensionPage(ext, '/src/pages/options.html');
    const heapBefore = await workerHeapMb(ext);
    routes.set('/domains.json', domainsJson);
    const raw = await rawInstallMs(page, `${server.origin}/domains.json`);
    const memoryBefore = await firefoxBackgroundMb(ext);
    routes.delete('/domains.json');

    routes.set('/IT.json', fullFile.body);
    routes.set('/IT.json.sig', fullFile.sig);
    const sample = hosts[Math.floor(hosts.length / 3)] as string;
    await ask(page, { type: 'setSettings', patch: { trustedKeys: [key.publicKey], fetchTimeoutSeconds: 300 } });
    await ask(page, { type: 'setSettings', patch: { feedUrls: { IT: `${server.origin}/IT.json` } } });
    const install = await installTimed(page, s1, sample);
    await debugSteps(ext, 'install', install);
    rows.push({ name: `${who}: install ${size} hosts (ms)`, ours: install, baseline: raw, unit: 'ms', target: { ratio: 1.25 } });

    const heapAfter = await workerHeapMb(ext);
    if (heapAfter !== null && heapBefore !== null) rows.push({ name: `${who}: background heap at rest after install (MB)`, ours: heapAfter, baseline: heapBefore, unit: 'MB', target: { max: 30 } });
    const memoryAfter = memoryBefore === null ? null : await firefoxBackgroundMb(ext);
    if (memoryAfter !== null && memoryBefore !== null)
      rows.push({ name: `${who}: background memory at rest after install (about:memory, MB)`, ours: memoryAfter, baseline: memoryBefore, unit: 'MB', target: { max: 30 } });

    const warm = median([await explanationDelay(ext, sample), await explanationDelay(ext, hosts[7] as string), await explanationDelay(ext, hosts[11] as string)]);
    const cold: number[] = [];
    // Firefox suspends an idle event page only after 30 s: one cold sample there keeps the bench short.
    const coldHosts = (browser === 'firefox' ? [hosts[13]] : [hosts[13], hosts[17], hosts[19]]) as string[];
    for (const h of coldHosts) {
      if (!(await ext.stopBackground(60_000))) throw new Error('the background did not stop');
      cold.push(await explanationDelay(ext, h));
      if (process.env['BENCH_DEBUG'])
        console.log(
          'cold',
          cold.at(-1),
          JSON.stringify(await evaluateInBackground(ext, (bg) => (bg as unknown as { ordinanza?: { timings: unknown } }).ordinanza?.timings ?? 'still starting').catch(String)),
        );
    }
    rows.push({ name: `${who}: cold explanation after the block page (ms)`, ours: median(cold), baseline: warm, unit: 'ms', target: { max: 150 } });

    // With the background stopped (the cold samples left it so): nothing else writes rules meanwhile.
    const own = await page.evaluate(rewriteRulesInPage);
    if (process.env['BENCH_DEBUG']) console.log(`${who}: its ${own.rules} dynamic rules written again raw in ${Math.round(own.ms)} ms`);
    rows.push({ name: `${who}: install vs the raw write of its own rules (ms)`, ours: install, baseline: own.ms, unit: 'ms', target: { ratio: 1.25 } });

    routes.set('/IT.json', nextFile.body);
    routes.set('/IT.json.sig', nextFile.sig);
    routes.set(`/IT.delta-${s1}.json`, deltaFile.body);
    routes.set(`/IT.delta-${s1}.json.sig`, deltaFile.sig);
    const addedHost = changed[changed.length - 1] as string;
    // From a running background, as the full install was timed: the cold samples stopped it, and the
    // block page explains without it, so the delta's request would otherwise start it (its start is
    // the first-rules row's, not the delta's).
    await ask(page, { type: 'status' });
    const delta = await installTimed(page, s1 + 1, addedHost);
    const deltaDone = Date.now();
    await debugSteps(ext, 'delta', delta);
    const st = await itStatus(page);
    if (st.sync?.lastOutcome !== 'installed-delta') throw new Error(`the 1% change was not applied as a delta: ${st.sync?.lastOutcome}`);
    // Enforced, not only explained: an added host is blocked (its rule in the session rules until the
    // overlay is written to the dynamic rules, src/background/session-overlay.ts).
    const check = await ext.browser.newPage();
    const outcome = (await visit(check, `http://${addedHost}/`)).outcome;
    await check.close();
    if (outcome !== 'blocked') throw new Error(`${addedHost}, added by the delta: ${outcome}`);
    await debugWritten(ext, page, deltaDone);
    rows.push({ name: `${who}: 1% delta applied (ms)`, ours: delta, baseline: install, unit: 'ms', target: { ratio: 0.15 } });
    rows.push({ name: `${who}: 1% delta bytes`, ours: deltaFile.body.length, baseline: fullFile.body.length, unit: 'B', target: { ratio: 0.05 } });

    // The same list installed with subresources left alone (blockSubresources off): one redirect rule per
    // bucket instead of a redirect and a block rule, so each domain is written once, as in the baseline's rule.
    // The embedded list alone first, so that the list's install is a full compile and write, not an overlay on the one before.
    await ask(page, { type: 'setSettings', patch: { blockSubresources: false } });
    routes.clear();
    routes.set('/IT.json', embeddedOnlyFile.body);
    routes.set('/IT.json.sig', embeddedOnlyFile.sig);
    await installTimed(page, s1 + 2, base.entries[0]?.hosts[0] as string);
    routes.set('/IT.json', pagesOnlyFile.body);
    routes.set('/IT.json.sig', pagesOnlyFile.sig);
    const pagesOnly = await installTimed(page, s1 + 3, sample);
    await debugSteps(ext, 'install, pages only', pagesOnly);
    rows.push({ name: `${who}: install, subresources not blocked (ms)`, ours: pagesOnly, baseline: raw, unit: 'ms', target: { ratio: 1.25 } });
  } finally {
    await ext.close();
    await server.close();
  }
  return rows;
}
