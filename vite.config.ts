import { defineConfig } from 'vite';
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

// One source manifest, built per browser: `vite build --mode chrome` → dist/chrome,
// `vite build --mode firefox` → dist/firefox.
type Manifest = Record<string, unknown> & { background: { service_worker: string; type?: string } };

function manifestFor(browser: 'chrome' | 'firefox'): ManifestV3Export {
  const source = JSON.parse(readFileSync(resolve(import.meta.dirname, 'manifest.json'), 'utf8')) as Manifest;
  const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, 'package.json'), 'utf8')) as { version: string };
  source.version = pkg.version;
  if (browser === 'chrome') return source as unknown as ManifestV3Export;
  // Firefox runs the background as an event page: it ignores `service_worker` and needs `scripts`.
  const { minimum_chrome_version: _min, background, ...rest } = source;
  return {
    ...rest,
    background: { scripts: [background.service_worker], type: 'module' },
    browser_specific_settings: {
      gecko: {
        id: 'ordinanza@ordinanza.eu',
        strict_min_version: '142.0',
        data_collection_permissions: { required: ['none'] },
      },
    },
  } as unknown as ManifestV3Export;
}

/**
 * Build-time default feed URLs, from ORDINANZA_FEED_URL_<JURISDICTION> (e.g. ORDINANZA_FEED_URL_IT).
 * None by default: the embedded list is enforced until a policy or the user sets a feed.
 */
function defaultFeedUrls(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    const m = /^ORDINANZA_FEED_URL_([A-Z]{2})$/.exec(k);
    if (m && v) {
      if (!v.startsWith('https://')) throw new Error(`${k} must be an https URL`);
      out[m[1] as string] = v;
    }
  }
  return out;
}

/** webextension-polyfill and the one module that imports it. */
const isPolyfilled = (id: string): boolean => /[\\/]node_modules[\\/]webextension-polyfill[\\/]|[\\/]src[\\/]platform[\\/]browser\.ts$/.test(id);

export default defineConfig(({ mode }) => {
  const browser = mode === 'firefox' ? 'firefox' : 'chrome';
  return {
    define: { __ORDINANZA_DEFAULT_FEED_URLS__: JSON.stringify(defaultFeedUrls()) },
    // extension/ holds what ships as is: _locales, icons, the managed-storage schema, the embedded feed.
    publicDir: 'extension',
    plugins: [crx({ manifest: manifestFor(browser), browser })],
    build: {
      outDir: `dist/${browser}`,
      emptyOutDir: true,
      target: 'es2022',
      minify: false,
      // Both browsers preload modules themselves (Chromium 66+, Firefox 115+): the polyfill would only
      // add a module to the pages' shared chunk whose first DOM calls the block page pays before it starts.
      modulePreload: { polyfill: false },
      sourcemap: false,
      // crxjs builds only the pages the manifest names; the block page is web-accessible only.
      rollupOptions: {
        input: { blocked: resolve(import.meta.dirname, 'src/pages/blocked.html') },
        // webextension-polyfill and platform/browser.ts in a chunk of their own, which the block page
        // does not load: the page reaches the extension through platform/extension-api.ts, and the
        // polyfill costs it a copy of every API namespace at load (extension-api.ts). Neither module
        // does anything at load but define its exports, so neither is loaded where none of them is
        // used (the shared pages import browser.ts for what it takes from extension-api.ts). Their
        // dependencies stay with the code that shares them.
        preserveEntrySignatures: 'allow-extension',
        treeshake: { moduleSideEffects: (id: string) => !isPolyfilled(id) },
        output: { codeSplitting: { groups: [{ name: 'browser', includeDependenciesRecursively: false, test: isPolyfilled }] } },
      },
    },
    server: { cors: { origin: [/chrome-extension:\/\//] } },
  };
});
