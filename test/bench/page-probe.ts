// The block page's cold explanation, sample by sample: the background stopped, a host of the embedded
// Italian list visited, the page's own marks read (ms from navigation start, and from DOM ready as
// `npm run bench` counts them). Compares builds side by side (after `npm run build`, copy dist/ aside):
//   npx tsx test/bench/page-probe.ts chromium|firefox [samples=10] [extension dir=dist/<browser>]…
// Several directories are sampled in turns (A B A B …), so that a busy moment of the shared machine
// falls on every build alike.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseFeed } from '../../src/core/feed.ts';
import { distFor, launchExtension, startServer, visit, type BrowserName, type Extension } from '../e2e/harness.ts';

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
const hosts = parsed.feed.entries.flatMap((g) => g.hosts);

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
const exts: Extension[] = [];
try {
  for (const dir of dirs) exts.push(await launchExtension(browser, { server, extensionDir: dir, firefoxPrefs: { 'extensions.background.idle.timeout': 1000 } }));
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
  }
} finally {
  for (const e of exts) await e.close();
  await server.close();
}
