// `npm test`: every check, in order, each reported on its own; a failing step never hides the
// others' results. Needs nothing beside the clone. The tests that sweep the team's shared real data
// (../shared) are a separate command, `npm run test:corpus`, and the summary says so.
// Ends with one plain line: "tests: N passed, N failed".
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';

const out = 'test-artifacts/results';
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const steps = [
  { name: 'type check (tsc --noEmit, strict)', cmd: ['npx', 'tsc', '--noEmit'] },
  { name: 'format and lint (biome check)', cmd: ['npx', 'biome', 'check', '--error-on-warnings', '.'] },
  {
    name: 'unit tests',
    cmd: ['npx', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}/unit.json`],
    json: `${out}/unit.json`,
  },
  { name: 'build (Chromium)', cmd: ['npx', 'vite', 'build', '--mode', 'chrome', '--logLevel', 'warn'] },
  { name: 'build (Firefox)', cmd: ['npx', 'vite', 'build', '--mode', 'firefox', '--logLevel', 'warn'] },
  {
    name: 'web-ext lint (Firefox build: 0 errors, 0 warnings)',
    cmd: ['npx', 'web-ext', 'lint', '--source-dir', 'dist/firefox', '--warnings-as-errors', '--no-input', '--no-config-discovery'],
    needs: 'build (Firefox)',
  },
  {
    name: 'package (production builds, zipped twice: identical bytes)',
    cmd: ['npx', 'tsx', 'scripts/package.ts', '--check-reproducible'],
  },
  {
    name: 'real-browser tests (Chromium)',
    cmd: ['npx', 'vitest', 'run', '--config', 'vitest.e2e.config.ts', '--reporter=verbose', '--reporter=json', `--outputFile.json=${out}/e2e-chromium.json`],
    json: `${out}/e2e-chromium.json`,
    needs: 'build (Chromium)',
    env: { ORDINANZA_BROWSER: 'chromium' },
  },
  {
    name: 'real-browser tests (Firefox ESR)',
    cmd: ['npx', 'vitest', 'run', '--config', 'vitest.e2e.config.ts', '--reporter=verbose', '--reporter=json', `--outputFile.json=${out}/e2e-firefox.json`],
    json: `${out}/e2e-firefox.json`,
    needs: 'build (Firefox)',
    env: { ORDINANZA_BROWSER: 'firefox' },
  },
];

let passed = 0;
let failed = 0;
const summary = [];
const ok = new Set();
for (const step of steps) {
  const missing = [step.needs ?? []].flat().filter((n) => !ok.has(n));
  if (missing.length > 0) {
    summary.push(`SKIPPED ${step.name} (needs ${missing.join(', ')})`);
    failed++;
    continue;
  }
  console.log(`\n▶ ${step.name}`);
  const started = Date.now();
  const r = spawnSync(step.cmd[0], step.cmd.slice(1), { stdio: 'inherit', env: { ...process.env, ...step.env } });
  const took = `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const good = r.status === 0;
  if (good) ok.add(step.name);
  if (step.json) {
    try {
      const j = JSON.parse(readFileSync(step.json, 'utf8'));
      passed += j.numPassedTests;
      failed += j.numFailedTests;
      // A suite that failed to load has no failed test but must count.
      if (!good && j.numFailedTests === 0) failed++;
      summary.push(`${good ? 'ok     ' : 'FAILED '} ${step.name}: ${j.numPassedTests} passed, ${j.numFailedTests} failed of ${j.numTotalTests} (${took})`);
    } catch {
      failed++;
      summary.push(`FAILED  ${step.name}: no results (${took})`);
    }
  } else {
    if (good) passed++;
    else failed++;
    summary.push(`${good ? 'ok     ' : 'FAILED '} ${step.name} (${took})`);
  }
}
console.log(`\n${summary.join('\n')}`);
console.log('not part of npm test: the shared-corpus tests are a separate command, `npm run test:corpus` (needs a copy of shared/ beside the clone)');
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
