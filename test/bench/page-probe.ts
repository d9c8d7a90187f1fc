// The block page's cold explanation, sample by sample: the background stopped, a host of the embedded
// Italian list visited, the page's own marks read (ms from navigation start, and from DOM ready as
// `npm run bench` counts them). Compares builds side by side (after `npm run build`, copy dist/ aside):
//   npx tsx test/bench/page-probe.ts chromium|firefox [samples=10] [extension dir=dist/<browser>]…
// Several directories are sampled in turns (A B A B …), so that a busy moment of the shared machine
// falls on every build alike. PROBE_HOSTS=1000000 first installs the embedded list plus that many
// generated hosts in every build (by its own sync, as `npm run bench` does) and visits those hosts:
// the page then reads a large index by byte ranges, as at the bench's scale.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'puppeteer-core';
import { parseFeed, serializeFeed, type Feed } from '../../src/core/feed.ts';
import type { Status } from '../../src/core/messages.ts';
import { encodeUtf8, generateKeyPair, serializeSignature, sign } from '../../src/core/signature.ts';
import { distFor, launchExtension, openExtensionPage, startServer, visit, type BrowserName, type Extension } from '../e2e/harness.ts';
import { scaleHosts } from './scale-hosts.ts';

const browser = process.argv[2] as BrowserName;
if (browser !== 'chromium' && browser !== 'firefox') throw new Error('usage: page-probe.ts chromium|firefox [samples] [dir…]');
const samples = Number(process.argv[3] ?? 10);
const dirs = process.argv.length > 4 ? process.argv.slice(4).map((d) => resolve(d)) : [distFor(browser)];

const MARKS = ['script', 'local-start', 'local-settings', 'local-feeds', 'explained'] as const;
interface Sample {
  readonly domInteractive: number;
  readonly domContentLoaded: number;
  readonly marks: Record<string, number>;
}

const parsed = parseFeed(new Uint8Array(readFileSync(join(distFor(browser), 'feeds/IT.json'))));
if (!parsed.ok) throw new Error(parsed.errors.join('; '));
const embedded = parsed.feed;
const extra = Number(process.env['PROBE_HOSTS'] ?? 0);
const generated = extra > 0 ? scaleHosts(extra, new Set(embedded.entries.flatMap((g) => g.hosts))) : [];
const hosts = extra > 0 ? generated : embedded.entries.flatMap((g) => g.hosts);

/** The embedded feed plus the generated hosts under one order, as the next serial, signed. */
async function largeFeed(): Promise<{ serial: number; body: Buffer; sig: string; key: Awaited<ReturnType<typeof generateKeyPair>>['publicKey'] }> {
  const key = await generateKeyPair();
  const edition = Object.keys(embedded.editions)[0] as string;
  const feed: Feed = {
    ...embedded,
    serial: embedded.serial + 1,
    orders: {
      ...embedded.orders,
      'probe-scale': { authority: Object.keys(embedded.authorities)[0] as string, category: 'other', act: { kind: 'register' }, sources: [{ url: 'https://example.org/probe' }] },
    },
    entries: [...embedded.entries, { listings: [{ order: 'probe-scale', edition }], hosts: [...generated].sort() }],
  };
  const bytes = encodeUtf8(serializeFeed(feed));
  return { serial: feed.serial, body: Buffer.from(bytes), sig: serializeSignature(await sign(bytes, key.privateKey)), key: key.publicKey };
}

async function ask<T>(page: Page, msg: object): Promise<T> {
  return page.evaluate((m) => chrome.runtime.sendMessage(m), msg) as Promise<T>;
}

/** Has the extension sync the large feed from the server, and waits until it is installed. */
async function install(ext: Extension, origin: string, large: Awaited<ReturnType<typeof largeFeed>>): Promise<void> {
  const page = await openExtensionPage(ext, '/src/pages/options.html');
  try {
    await ask(page, { type: 'setSettings', patch: { trustedKeys: [large.key], fetchTimeoutSeconds: 300 } });
    await ask(page, { type: 'setSettings', patch: { feedUrls: { IT: `${origin}/IT.json` } } });
    await ask(page, { type: 'syncNow' });
    for (const t = Date.now(); ; ) {
      const it = (await ask<Status>(page, { type: 'status' })).feeds.find((f) => f.jurisdiction === 'IT');
      if (it?.sync?.lastError) throw new Error(`sync failed: ${it.sync.lastError.message}`);
      if (it?.serial === large.serial) break;
      if (Date.now() - t > 240_000) throw new Error('the large feed was not installed within 240 s');
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await page.close();
  }
}

async function sample(ext: Extension, host: string): Promise<Sample> {
  if (!(await ext.stopBackground(60_000))) throw new Error('the background did not stop');
  const page = await ext.browser.newPage();
  try {
    const v = await visit(page, `http://${host}/`);
    if (v.outcome !== 'blocked') throw new Error(`${host}: ${v.outcome}`);
    return await page.evaluate((names) => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const marks: Record<string, number> = {};
      for (const n of names) {
        const m = performance.getEntriesByName(`ordinanza-${n}`)[0];
        if (m) marks[n] = m.startTime;
      }
      return { domInteractive: nav.domInteractive, domContentLoaded: nav.domContentLoadedEventEnd, marks };
    }, MARKS);
  } finally {
    await page.close();
  }
}

const fmt = (xs: number[]): string => {
  const s = [...xs].sort((a, b) => a - b);
  return `${Math.round(s[Math.floor(s.length / 2)] as number)} [${Math.round(s[0] as number)}–${Math.round(s.at(-1) as number)}]`;
};

const server = await startServer();
const large = extra > 0 ? await largeFeed() : null;
if (large) {
  server.handler = (req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'unknown'}`);
    const body = url.hostname !== '127.0.0.1' ? undefined : url.pathname === '/IT.json' ? large.body : url.pathname === '/IT.json.sig' ? large.sig : undefined;
    if (body === undefined) return false;
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(body);
    return true;
  };
}
const exts: Extension[] = [];
try {
  for (const dir of dirs) {
    const ext = await launchExtension(browser, { server, extensionDir: dir, firefoxPrefs: { 'extensions.background.idle.timeout': 1000 } });
    exts.push(ext);
    if (large) await install(ext, server.origin, large);
  }
  const results: Sample[][] = dirs.map(() => []);
  for (let i = 0; i < samples; i++) {
    for (const [k, ext] of exts.entries()) {
      const s = await sample(ext, hosts[(i * 7 + k) % hosts.length] as string);
      (results[k] as Sample[]).push(s);
      if (process.env['PROBE_DEBUG']) console.log(k, JSON.stringify(s));
    }
  }
  for (const [k, dir] of dirs.entries()) {
    const rs = results[k] as Sample[];
    console.log(`\n${browser} ${dir}: ${rs.length} samples, median [range] in ms`);
    console.log(`  domInteractive from navigation start   ${fmt(rs.map((r) => r.domInteractive))}`);
    console.log(`  DOMContentLoaded end                    ${fmt(rs.map((r) => r.domContentLoaded))}`);
    for (const m of MARKS) {
      const xs = rs.filter((r) => m in r.marks).map((r) => r.marks[m] as number);
      if (xs.length === 0) continue;
      const fromDom = rs.filter((r) => m in r.marks).map((r) => (r.marks[m] as number) - r.domInteractive);
      console.log(`  ${m.padEnd(15)} from start ${fmt(xs).padEnd(16)} from DOM ready ${fmt(fromDom)}${xs.length < rs.length ? ` (${xs.length} samples)` : ''}`);
    }
    // Each step on its own, sample by sample: a busy moment moves every later mark, not these.
    const steps = rs.filter((r) => MARKS.every((m) => m in r.marks)).map((r) => r.marks as Record<(typeof MARKS)[number], number>);
    if (steps.length > 0) {
      console.log(`  steps: reads (start to both read) ${fmt(steps.map((m) => Math.max(m['local-settings'], m['local-feeds']) - m['local-start']))}`);
      console.log(`         lookup and paint (both read to explained) ${fmt(steps.map((m) => m.explained - Math.max(m['local-settings'], m['local-feeds'])))}`);
    }
  }
} finally {
  for (const e of exts) await e.close();
  await server.close();
}
