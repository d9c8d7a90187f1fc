// The store packages themselves (`npm run package`), loaded into their browser: unzipped and loaded
// unpacked in Chromium; in Firefox the zip is the XPI, installed as a permanent (unsigned) add-on.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBuild, packagePath, version, type Target } from '../../scripts/package.ts';
import { currentBrowser, launchExtension, screenshot, startServer, visit, type Extension, type TestServer } from './harness.ts';

const B = currentBrowser();
const target: Target = B === 'firefox' ? 'firefox' : 'chrome';
const zip = packagePath(target);
let server: TestServer;
let ext: Extension;
let unpacked: string;

beforeAll(async () => {
  if (!existsSync(zip)) throw new Error(`no ${zip}: run npm run package`);
  unpacked = mkdtempSync(join(tmpdir(), 'ordinanza-package-'));
  for (const [name, bytes] of Object.entries(unzipSync(new Uint8Array(readFileSync(zip))))) {
    mkdirSync(join(unpacked, dirname(name)), { recursive: true });
    writeFileSync(join(unpacked, name), bytes);
  }
  server = await startServer();
  ext = await launchExtension(B, B === 'firefox' ? { server, extensionDir: zip, firefoxInstall: 'profile' } : { server, extensionDir: unpacked });
});

afterAll(async () => {
  await ext?.close();
  await server?.close();
  if (unpacked) rmSync(unpacked, { recursive: true, force: true });
});

describe(`[${B}] the packaged ${basename(zip)}`, () => {
  it('holds a production build of this version, fit to ship', () => {
    expect(checkBuild(unpacked, target)).toEqual([]);
  });

  it('the same check refuses a dev-server build', () => {
    const dev = mkdtempSync(join(tmpdir(), 'ordinanza-devbuild-'));
    try {
      cpSync(unpacked, dev, { recursive: true });
      const manifest = JSON.parse(readFileSync(join(dev, 'manifest.json'), 'utf8')) as {
        web_accessible_resources: { resources: string[]; use_dynamic_url?: boolean }[];
      };
      manifest.web_accessible_resources = [{ resources: ['**/*', '*'], use_dynamic_url: true }];
      writeFileSync(join(dev, 'manifest.json'), JSON.stringify(manifest));
      writeFileSync(join(dev, 'service-worker-loader.js'), `import 'http://localhost:5173/@vite/env';\n`);
      const problems = checkBuild(dev, target);
      expect(problems.some((p) => p.includes('web-accessible resources'))).toBe(true);
      expect(problems.some((p) => p.includes('use_dynamic_url'))).toBe(true);
      expect(problems).toContain('service-worker-loader.js: refers to a dev server');
    } finally {
      rmSync(dev, { recursive: true, force: true });
    }
  });

  it('is the extension that runs, at this version', async () => {
    const running = await ext.evaluateInExtension(() => chrome.runtime.getManifest().version);
    expect(running).toBe(version());
  });

  it('blocks kickasstorrents.to and explains the Milan order', async () => {
    const page = await ext.browser.newPage();
    const v = await visit(page, 'http://kickasstorrents.to/');
    expect(v.outcome).toBe('blocked');
    expect(v.finalUrl).toBe(`${ext.origin}/src/pages/blocked.html#http://kickasstorrents.to/`);
    expect(v.text).toContain('Tribunale di Milano');
    await screenshot(page, `package-${target}-kickasstorrents.to`);
    await page.close();
  });
});
