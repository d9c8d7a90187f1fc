// `npm run bench`, real-browser rows: time from the background's start to its first rules on a fresh
// profile, in Chromium and Firefox ESR, with the browser idle and with it loading a page every ~150 ms.
// Target: ≤ 2 s. Baseline, measured in the same browser and run: one raw `updateDynamicRules` call
// installing the same domains in a single rule (the browser's own floor for that many domains).
import { evaluateInBackground, launchExtension, startServer, visit, type BrowserName, type Extension } from '../e2e/harness.ts';
import { rawInstallInPage } from './raw-install.ts';

export const FIRST_RULES_TARGET_MS = 2000;
const RUNS = Number(process.env['BENCH_RUNS'] ?? 2);

interface Timings {
  firstRulesMs: number | null;
}

async function firstRulesMs(ext: Extension): Promise<number> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const t = await evaluateInBackground(ext, (bg) => (bg as unknown as { ordinanza?: { timings: Timings } }).ordinanza?.timings.firstRulesMs ?? null).catch(() => null);
    if (typeof t === 'number') return t;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no first rules within 60 s');
}

/** One raw updateDynamicRules with every installed domain in one rule, then removed again. */
function rawInstallMs(ext: Extension): Promise<{ ms: number; domains: number }> {
  return ext.evaluateInExtension(rawInstallInPage, null, 990_001);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

export interface Row {
  readonly name: string;
  readonly ours: number;
  readonly baseline: number;
  readonly ok: boolean;
}

export async function firstRulesRows(browsers: readonly BrowserName[]): Promise<Row[]> {
  const server = await startServer();
  const rows: Row[] = [];
  try {
    for (const name of browsers) {
      for (const busy of [false, true]) {
        const ours: number[] = [];
        const base: number[] = [];
        for (let run = 0; run < RUNS; run++) {
          const ext = await launchExtension(name, { server, waitForReady: false });
          let stop = false;
          const loading = busy
            ? (async () => {
                const page = await ext.browser.newPage();
                for (let i = 0; !stop; i++) {
                  await visit(page, `http://busy-${i}.example/`).catch(() => undefined);
                  await new Promise((r) => setTimeout(r, 150));
                }
              })()
            : Promise.resolve();
          try {
            ours.push(await firstRulesMs(ext));
            base.push((await rawInstallMs(ext)).ms);
          } finally {
            stop = true;
            await loading.catch(() => undefined);
            await ext.close();
          }
        }
        const m = median(ours);
        rows.push({ name: `${name}: first rules after start, ${busy ? 'loading pages' : 'idle'} (ms)`, ours: m, baseline: median(base), ok: m <= FIRST_RULES_TARGET_MS });
      }
    }
  } finally {
    await server.close();
  }
  return rows;
}
