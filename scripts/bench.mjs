// `npm run bench`: the Node benchmarks (index, compiler) then the real-browser ones (built extension).
// Both always run; the exit code is 1 when either missed a target.
import { spawnSync } from 'node:child_process';

const runs = [
  ['node', ['--expose-gc', '--import', 'tsx', 'test/bench/bench.ts']],
  ['npx', ['vite', 'build', '--mode', 'chrome', '--logLevel', 'warn']],
  ['npx', ['vite', 'build', '--mode', 'firefox', '--logLevel', 'warn']],
  ['node', ['--import', 'tsx', 'test/bench/browsers.ts']],
];
let failed = false;
for (const [cmd, args] of runs) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
