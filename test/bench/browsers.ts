// `npm run bench`, real-browser part: rows measured in Debian's Chromium and Firefox ESR with the built
// extension (`npm run bench` builds it first). Each row prints its baseline from the same browser and
// run, the ratio, the target, and MISSED where the target is missed (exit code 1).
// BENCH_BROWSERS=chromium,firefox, BENCH_SCALE_HOSTS=1000000, BENCH_RUNS=2 (first-rules runs),
// BENCH_ROWS=first,scale,real (which groups of rows run; all by default).
import { existsSync } from 'node:fs';
import { distFor, type BrowserName } from '../e2e/harness.ts';
import { firstRulesRows, FIRST_RULES_TARGET_MS } from './first-rules.ts';
import { realUnion } from './real-union.ts';
import { scaleRows, type ScaleRow } from './scale.ts';

const browsers: BrowserName[] = (process.env['BENCH_BROWSERS'] ?? 'chromium,firefox').split(',').filter((b): b is BrowserName => b === 'chromium' || b === 'firefox');
for (const b of browsers) if (!existsSync(`${distFor(b)}/manifest.json`)) throw new Error(`no ${b} build: run npm run build`);
const scale = Number(process.env['BENCH_SCALE_HOSTS'] ?? 1_000_000);

const groups = new Set((process.env['BENCH_ROWS'] ?? 'first,scale,real').split(','));

const rows: ScaleRow[] = [];
if (groups.has('first')) for (const r of await firstRulesRows(browsers)) rows.push({ ...r, unit: 'ms', target: { max: FIRST_RULES_TARGET_MS } });
if (groups.has('scale')) for (const b of browsers) rows.push(...(await scaleRows(b, scale)));
// The real union of lists: the embedded feeds, and shared/'s real lists when a copy is beside the clone.
const real = realUnion();
if (groups.has('real')) for (const b of browsers) rows.push(...(await scaleRows(b, real.hosts.length, real)));

const fmt = (x: number, unit: string): string => (unit === 'MB' ? x.toFixed(1) : x.toFixed(0));
console.log(
  `\nOrdinanza benchmarks in the browsers — first rules: embedded Italian list, fresh profile (median); scale: + ${scale.toLocaleString('en')} generated hosts, then the real union of lists (${real.hosts.length.toLocaleString('en')} hosts: ${real.from})\n`,
);
console.log(['benchmark'.padEnd(56), 'ours'.padStart(11), 'baseline'.padStart(11), 'ratio'.padStart(7), 'target'.padStart(10), ''].join(' '));
let missed = 0;
for (const r of rows) {
  const ratio = r.ours / r.baseline;
  const ok = 'ratio' in r.target ? ratio <= r.target.ratio : r.ours <= r.target.max;
  if (!ok) missed++;
  const target = 'ratio' in r.target ? `≤ ${r.target.ratio}×` : `≤ ${r.target.max} ${r.unit}`;
  console.log([r.name.padEnd(56), fmt(r.ours, r.unit).padStart(11), fmt(r.baseline, r.unit).padStart(11), ratio.toFixed(2).padStart(7), target.padStart(10), ok ? 'ok' : 'MISSED'].join(' '));
}
console.log(`
baselines: first rules and install (both layouts) — one raw updateDynamicRules call with the same domains in one rule; install vs its own rules — those rules removed and written again raw;
memory — the same background before the install (Chromium: worker heap; Firefox: about:memory); cold explanation — the same with the background running;
1% delta — the full install (time) and the full feed (bytes). Targets: docs/performance.md.`);
process.exitCode = missed === 0 ? 0 : 1;
