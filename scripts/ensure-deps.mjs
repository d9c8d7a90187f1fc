// Runs before `npm start` and `npm test`: installs the locked dependencies on a fresh checkout, and
// says plainly which browser is missing (they come from Debian, not from npm).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

if (!existsSync('node_modules/.package-lock.json')) {
  console.log('Installing dependencies (npm ci)…');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const need = process.argv.slice(2);
const browsers = { chromium: '/usr/lib/chromium/chromium', firefox: '/usr/bin/firefox-esr' };
const missing = need.filter((b) => !existsSync(process.env[`${b.toUpperCase()}_BIN`] ?? browsers[b]));
if (missing.length > 0) {
  const pkgs = missing.map((b) => (b === 'firefox' ? 'firefox-esr' : b)).join(' ');
  console.error(`Missing browser(s): ${missing.join(', ')}. Install them with: sudo apt-get install -y ${pkgs}`);
  process.exit(1);
}
