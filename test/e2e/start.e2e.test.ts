// `npm start` without a display: prints the three explanations of the 2022 Milan order, exits 0.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from './harness.ts';

// Chromium only: `npm start` runs Chromium.
describe('[chromium] npm start (no display)', () => {
  it('visits the three Milan 2022 domains, prints what the block page says, exits 0', () => {
    const env = { ...process.env };
    delete env['DISPLAY'];
    delete env['WAYLAND_DISPLAY'];
    // The build is already done by `npm test`; run the launcher itself.
    const r = spawnSync('npx', ['tsx', 'scripts/start.ts'], { cwd: ROOT, env, encoding: 'utf8', timeout: 90_000 });
    expect(r.status, r.stderr).toBe(0);
    for (const host of ['kickasstorrents.to', 'limetorrents.pro', 'ilcorsaronero.pro']) {
      expect(r.stdout).toContain(`=== http://${host}/ → BLOCKED`);
    }
    expect(r.stdout.match(/Authority: Tribunale di Milano/g)).toHaveLength(3);
    expect(r.stdout).toContain('All three addresses are blocked and explained.');
  });
});
