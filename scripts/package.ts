// `npm run package`: fresh production builds of both browsers, checked, then zipped reproducibly:
// dist/packages/ordinanza-chrome-<version>.zip (Chrome Web Store) and ordinanza-firefox-<version>.zip
// (addons.mozilla.org; the same file is the installable XPI).
//
// Reproducible: files in byte order of their paths, every entry dated 1980-01-01 00:00 with the same
// attributes, and fflate's pure-JavaScript deflate, whose output does not depend on the zlib that a
// given Node.js ships with. Two runs on the same sources give the same bytes (`--check-reproducible`
// packages twice and compares).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { zipSync, type Zippable } from 'fflate';

export const ROOT = resolve(import.meta.dirname, '..');
export const PACKAGES_DIR = join(ROOT, 'dist/packages');
export type Target = 'chrome' | 'firefox';
export const TARGETS: readonly Target[] = ['chrome', 'firefox'];

/** The zip epoch, in local time: fflate writes local-time DOS dates, so this is the same in every zone. */
const FIXED_DATE = new Date(1980, 0, 1, 0, 0, 0);

export function version(): string {
  return (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

export function packagePath(target: Target, v = version()): string {
  return join(PACKAGES_DIR, `ordinanza-${target}-${v}.zip`);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'));
}

/** The zip of every file under `dir`, the same bytes for the same files. */
export function zipDirectory(dir: string): Uint8Array {
  const files: Zippable = {};
  const names = filesUnder(dir).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    files[name] = [new Uint8Array(readFileSync(join(dir, name))), { level: 9, mtime: FIXED_DATE, os: 3, attrs: 0o100644 << 16 }];
  }
  return zipSync(files);
}

interface WebAccessible {
  resources: string[];
  matches?: string[];
  use_dynamic_url?: boolean;
}

/**
 * What makes a build fit to ship: a production build of this version, for this browser. A dev-server
 * build is refused: it loads code from localhost and makes every file web-accessible.
 */
export function checkBuild(dir: string, target: Target): string[] {
  const problems: string[] = [];
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  const source = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8')) as { web_accessible_resources: WebAccessible[] };
  if (manifest['version'] !== version()) problems.push(`manifest version ${String(manifest['version'])}, package.json ${version()}`);
  const war = (manifest['web_accessible_resources'] ?? []) as WebAccessible[];
  const shipped = war.flatMap((w) => w.resources).sort();
  const wanted = source.web_accessible_resources.flatMap((w) => w.resources).sort();
  if (JSON.stringify(shipped) !== JSON.stringify(wanted)) problems.push(`web-accessible resources ${JSON.stringify(shipped)}, source manifest ${JSON.stringify(wanted)}`);
  if (war.some((w) => w.use_dynamic_url === true)) problems.push('use_dynamic_url: true (a dev-server build)');
  const background = manifest['background'] as { service_worker?: string; scripts?: string[] } | undefined;
  const gecko = (manifest['browser_specific_settings'] as { gecko?: { id?: string } } | undefined)?.gecko;
  if (target === 'chrome' && !background?.service_worker) problems.push('no background.service_worker');
  if (target === 'firefox' && (!background?.scripts?.length || background.service_worker)) problems.push('Firefox needs background.scripts and no service_worker');
  if (target === 'firefox' && !gecko?.id) problems.push('no browser_specific_settings.gecko.id');
  if (target === 'chrome' && gecko) problems.push('browser_specific_settings in the Chrome build');
  for (const f of ['src/pages/blocked.html', 'feeds/IT.json', 'managed_schema.json', '_locales/en/messages.json', '_locales/it/messages.json', 'icons/128.png']) {
    if (!filesUnder(dir).includes(f)) problems.push(`missing ${f}`);
  }
  for (const f of filesUnder(dir).filter((x) => /\.(js|html|css|json)$/.test(x) && !x.startsWith('feeds/'))) {
    const text = readFileSync(join(dir, f), 'utf8');
    // A dev-server build loads its code from http://localhost:<port>/@vite/… and @crx/client.
    if (/(?:https?|wss?):\/\/(?:localhost|127\.0\.0\.1|\[::1\]):\d+|@vite\/(?:client|env)|@crx\/client|\/@fs\//.test(text)) problems.push(`${f}: refers to a dev server`);
    if (f.endsWith('.html') && /<script[^>]+src="[^"]+\.ts"/.test(text)) problems.push(`${f}: unbuilt TypeScript script`);
  }
  return problems;
}

function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

/** Builds both browsers for production and writes their zips; returns each zip's SHA-256. */
export function packageAll(): Map<Target, string> {
  const hashes = new Map<Target, string>();
  mkdirSync(PACKAGES_DIR, { recursive: true });
  for (const target of TARGETS) {
    const r = spawnSync('npx', ['vite', 'build', '--mode', target, '--logLevel', 'warn'], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    });
    if (r.status !== 0) throw new Error(`vite build --mode ${target} failed`);
    const dir = join(ROOT, 'dist', target);
    const problems = checkBuild(dir, target);
    if (problems.length > 0) throw new Error(`dist/${target} is not fit to ship:\n  ${problems.join('\n  ')}`);
    const zip = zipDirectory(dir);
    writeFileSync(packagePath(target), zip);
    hashes.set(target, sha256(zip));
    console.log(`${relative(ROOT, packagePath(target))}  ${zip.length} bytes  sha256 ${sha256(zip)}`);
  }
  return hashes;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    const first = packageAll();
    if (process.argv.includes('--check-reproducible')) {
      console.log('Packaging again from a fresh build to compare…');
      const second = packageAll();
      const differ = TARGETS.filter((t) => first.get(t) !== second.get(t));
      if (differ.length > 0) throw new Error(`not reproducible: ${differ.join(', ')} differ between two runs`);
      console.log('Both runs gave identical bytes.');
    }
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  }
}
