// `npm start`: the built extension in Chromium with a fresh profile, on the embedded list.
// With a display, a browser window opens at a blocked address. Without one (a server, CI), it runs
// headless, visits the three domains of the 2022 Milan order through a local host mapping, prints
// what the block page says, and exits 0 when all three are blocked and explained.
import { launchChromium, startServer, visit } from '../test/e2e/harness.ts';
import { existsSync, mkdtempSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROME_DIST, CHROMIUM } from '../test/e2e/harness.ts';

const MILAN_2022 = ['http://kickasstorrents.to/', 'http://limetorrents.pro/', 'http://ilcorsaronero.pro/'];

async function headless(): Promise<number> {
  const server = await startServer();
  const ext = await launchChromium({ server });
  let failures = 0;
  try {
    const page = await ext.browser.newPage();
    for (const url of MILAN_2022) {
      const v = await visit(page, url);
      const orders =
        v.outcome === 'blocked'
          ? await page.$$eval('#orders article', (cards) =>
              cards
                .map((card) => {
                  const title = card.querySelector('h2')?.textContent ?? '';
                  // innerText keeps the line breaks of a value (each remedy on its own lines).
                  const rows = [...card.querySelectorAll('dt')].map((dt) => {
                    const value = (dt.nextElementSibling as HTMLElement | null)?.innerText.trim() ?? '';
                    return `  ${dt.textContent}: ${value.replace(/\n+/g, '\n      ')}`;
                  });
                  return [title, ...rows].join('\n');
                })
                .join('\n\n'),
            )
          : v.text;
      const lead = v.outcome === 'blocked' ? await page.$eval('#lead', (el) => (el as HTMLElement).innerText.trim().replace(/\n+/g, '\n')) : '';
      console.log(`\n=== ${url} → ${v.outcome.toUpperCase()}`);
      if (lead) console.log(lead);
      console.log(orders.replace(/^/gm, '  '));
      if (v.outcome !== 'blocked') failures++;
    }
  } finally {
    await ext.close();
    await server.close();
  }
  console.log(failures === 0 ? '\nAll three addresses are blocked and explained.' : `\n${failures} address(es) not blocked.`);
  return failures === 0 ? 0 : 1;
}

function windowed(): Promise<number> {
  const profile = mkdtempSync(join(tmpdir(), 'ordinanza-start-'));
  const child = spawn(
    CHROMIUM,
    [
      `--user-data-dir=${profile}`,
      // Chromium refuses to start as root with its sandbox on (containers, CI boxes with a display).
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      '--no-first-run',
      '--no-default-browser-check',
      `--disable-extensions-except=${CHROME_DIST}`,
      `--load-extension=${CHROME_DIST}`,
      'http://kickasstorrents.to/',
    ],
    { stdio: 'inherit' },
  );
  console.log(`Chromium is running with Ordinanza loaded (profile ${profile}). Close the window to stop.`);
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 0)));
}

if (!existsSync(join(CHROME_DIST, 'manifest.json'))) {
  console.error('No build in dist/chrome: run `npm run build` first.');
  process.exit(1);
}
process.exitCode = await (process.env['DISPLAY'] || process.env['WAYLAND_DISPLAY'] ? windowed() : headless());
