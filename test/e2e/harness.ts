// The real-browser test harness, one import for the suites (and the benchmarks, `npm start`):
// harness/server.ts   the local server every hostname is sent to
// harness/env.ts      paths, the browser of this run, the `Extension` handle
// harness/chromium.ts harness/firefox.ts   launching each browser with the built extension
// harness/visit.ts    what a person sees at an address; screenshots
// harness/extension-pages.ts   the extension's own pages and its background's globals
// harness/until.ts    the one polling helper: wait for a state, never time it
import { chromiumExtension, launchChromium } from './harness/chromium.ts';
import type { BrowserName, Extension, ExtensionLaunchOptions } from './harness/env.ts';
import { launchFirefox } from './harness/firefox.ts';

export * from './harness/chromium.ts';
export * from './harness/env.ts';
export * from './harness/extension-pages.ts';
export * from './harness/server.ts';
export * from './harness/until.ts';
export * from './harness/visit.ts';

/** Launches `name` with the built extension, all its traffic sent to `opts.server`. */
export async function launchExtension(name: BrowserName, opts: ExtensionLaunchOptions): Promise<Extension> {
  return name === 'firefox' ? launchFirefox(opts) : chromiumExtension(await launchChromium(opts));
}
