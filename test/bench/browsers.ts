// `npm run bench`, real-browser part: rows measured in Debian's Chromium and Firefox ESR with the built
// extension (run `npm run build` first; `npm run bench` does). Each row prints its baseline from the
// same browser and run, the ratio, the target, and MISSED where the target is missed (exit code 1).
import { existsSync } from 'node:fs';
import { CHROME_DIST, FIREFOX_DIST, type BrowserName } from '../e2e/harness.ts';
import { FIRST_RULES_TARGET, firstRulesRows } from './first-rules.ts';

const browsers: BrowserName[] = (process.env['BENCH_BROWSERS'] ?? 'chromium,firefox').split(',').filter((b): b is BrowserName => b === 'chromium' || b === 'firefox');
for (const b of browsers) if (!existsSync(`${b === 'chromium' ? CHROME_DIST : FIREFOX_DIST}/manifest.json`)) throw new Error(`no ${b} build: run npm run build`);

const rows = await firstRulesRows(browsers);
console.log('\nOrdinanza benchmarks in the browsers — embedded Italian list, fresh profile each run (median)\n');
console.log(['benchmark'.padEnd(58), 'ours'.padStart(10), 'baseline'.padStart(10), 'ratio'.padStart(7), 'target'.padStart(12), ''].join(' '));
for (const r of rows) {
  console.log([r.name.padEnd(58), r.ours.toFixed(0).padStart(10), r.baseline.toFixed(0).padStart(10), (r.ours / r.baseline).toFixed(2).padStart(7), FIRST_RULES_TARGET.padStart(12), r.ok ? 'ok' : 'MISSED'].join(' '));
}
console.log('\nbaseline: one raw updateDynamicRules call with the same domains in a single rule, in the same browser');
process.exitCode = rows.every((r) => r.ok) ? 0 : 1;
