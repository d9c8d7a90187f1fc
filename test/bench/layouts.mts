// Raw rule writes of one million generated domains in other rule layouts, from an extension page of the built
// extension: what the install's floor is, whatever the extension's own code does. Not part of `npm run bench`
// (each write takes 5-30 s); run after `npm run build`:
//
//   LAYOUT_BROWSER=firefox LAYOUT_PAIRS=0,64,256 node --import tsx test/bench/layouts.mts
//
// LAYOUT_PAIRS: 0 = one block rule with every domain, for main frames (the bench's baseline, raw-install.ts); K > 0 = K buckets, each a redirect
// rule for frames (regex substitution to the block page, as the extension writes) and a block rule for every
// other type with the same domains; -1 = one redirect rule for every type. LAYOUT_HOSTS sets the number of domains
// (1,000,000). LAYOUT_ORDER: the domains' order in the rules, comma-separated for several passes: feed (as generated),
// lex (sorted), length (longest first, then sorted).
import { type BrowserName, launchExtension, openExtensionPage, startServer } from '../e2e/harness.ts';
import { scaleHosts } from './scale-hosts.ts';

const browser = (process.env['LAYOUT_BROWSER'] ?? 'chromium') as BrowserName;
const count = Number(process.env['LAYOUT_HOSTS'] ?? 1_000_000);
const pairCounts = (process.env['LAYOUT_PAIRS'] ?? '0,64').split(',').map(Number);
const orders = (process.env['LAYOUT_ORDER'] ?? 'feed').split(',');
const body = JSON.stringify(scaleHosts(count, new Set()));

// Runs in the extension page: builds the layout, times one updateDynamicRules call, removes the rules again.
const writeLayout = `async ([url, pairs, origin, order]) => {
  const api = (globalThis.browser ?? chrome).declarativeNetRequest;
  const domains = await (await fetch(url)).json();
  if (order === 'lex') domains.sort();
  if (order === 'length') domains.sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
  const rules = [];
  if (pairs === -1) {
    const redirect = { regexSubstitution: origin + '/blocked.html#\\\\1' };
    rules.push({ id: 49998, priority: 1, action: { type: 'redirect', redirect }, condition: { regexFilter: '^(.*)$', requestDomains: domains } });
  } else if (pairs === 0) {
    rules.push({ id: 49999, priority: 1, action: { type: 'block' }, condition: { requestDomains: domains, resourceTypes: ['main_frame'] } });
  } else {
    const parts = Array.from({ length: pairs }, () => []);
    domains.forEach((d, i) => parts[i % pairs].push(d));
    parts.forEach((p, i) => {
      const redirect = { regexSubstitution: origin + '/blocked.html#\\\\1' };
      rules.push({ id: 50000 + 2 * i, priority: 1, action: { type: 'redirect', redirect }, condition: { regexFilter: '^(.*)$', requestDomains: p, resourceTypes: ['main_frame', 'sub_frame'] } });
      rules.push({ id: 50001 + 2 * i, priority: 1, action: { type: 'block' }, condition: { requestDomains: p, excludedResourceTypes: ['main_frame', 'sub_frame'] } });
    });
  }
  const t = performance.now();
  await api.updateDynamicRules({ addRules: rules });
  const ms = performance.now() - t;
  await api.updateDynamicRules({ removeRuleIds: rules.map((r) => r.id) });
  return ms;
}`;

const server = await startServer();
server.handler = (req, res) => {
  if (new URL(req.url ?? '/', 'http://localhost').pathname !== '/domains.json') return false;
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(body);
  return true;
};
const ext = await launchExtension(browser, { server });
try {
  const page = await openExtensionPage(ext, '/src/pages/options.html');
  for (const order of orders) {
    for (const pairs of pairCounts) {
      const args = JSON.stringify([`${server.origin}/domains.json`, pairs, ext.origin, order]);
      const ms = (await page.evaluate(`(${writeLayout})(${args})`)) as number;
      const layout = pairs === -1 ? 'one redirect rule for every type' : pairs === 0 ? 'one block rule' : `${pairs} redirect + block pairs`;
      console.log(`${browser}: ${count.toLocaleString('en')} domains (${order} order), ${layout}: ${Math.round(ms)} ms`);
    }
  }
} finally {
  await ext.close();
  await server.close();
}
