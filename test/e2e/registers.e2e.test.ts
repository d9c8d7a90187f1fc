// A sampled host of each Italian register ends on that register's explanation, and the block page
// speaks the browser's language, in a real browser (ORDINANZA_BROWSER: Chromium or Firefox ESR).
// Firefox takes its UI language from `intl.locale.requested` (the harness sets it from `lang`), which
// only takes effect with that language pack installed: Debian's firefox-esr-l10n-it and -fr.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFeed, type Feed } from '../../src/core/feed.ts';
import { currentBrowser, distFor, launchExtension, screenshot, startServer, visit, type Extension, type TestServer } from './harness.ts';

const B = currentBrowser();
/** Screenshot names: Chromium's as before, Firefox's marked. */
const shot = (name: string): string => (B === 'chromium' ? name : `${name}-${B}`);

let server: TestServer;
let ext: Extension;
const parsed = parseFeed(readFileSync(join(distFor(B), 'feeds/IT.json')));
if (!parsed.ok) throw new Error(parsed.errors.join('; '));
const feed: Feed = parsed.feed;

/** A host listed only under `orderId`, from the middle of its group. */
function sample(orderId: string): string {
  const group = feed.entries.find((g) => g.listings.length === 1 && g.listings[0]?.order === orderId);
  if (!group || group.hosts.length === 0) throw new Error(`no hosts for ${orderId}`);
  return group.hosts[Math.floor(group.hosts.length / 2)] as string;
}

beforeAll(async () => {
  server = await startServer();
  ext = await launchExtension(B, { server });
});

afterAll(async () => {
  await ext?.close();
  await server?.close();
});

describe(`[${B}] each register explains its own entries`, () => {
  const registers = Object.entries(feed.orders).filter(([id]) => feed.entries.some((g) => g.listings.length === 1 && g.listings[0]?.order === id));
  it('covers ADM (gambling, tobacco), AGCOM and CONSOB', () => {
    const authorities = new Set(registers.map(([, o]) => feed.authorities[o.authority]?.short));
    for (const a of ['ADM', 'AGCOM', 'CONSOB']) expect(authorities).toContain(a);
  });
  for (const [id, order] of registers) {
    const host = sample(id);
    it(`${host} (${id}) → ${feed.authorities[order.authority]?.short ?? order.authority}`, async () => {
      const page = await ext.browser.newPage();
      const v = await visit(page, `http://${host}/`);
      expect(v.outcome).toBe('blocked');
      const card = await page.$eval(`article[data-order="${id}"]`, (el) => (el as HTMLElement).innerText);
      expect(card).toContain(feed.authorities[order.authority]?.name.it ?? '');
      if (order.legalBasis) expect(card).toContain(order.legalBasis.text);
      expect(await page.$$eval('article.order', (els) => els.length)).toBe(1);
      await screenshot(page, shot(`blocked-${id}-en`));
      await page.close();
    });
  }
});

describe(`[${B}] the block page speaks the browser language`, () => {
  for (const [lang, title, category] of [
    ['it', 'Questo sito è bloccato', "Diritto d'autore"],
    ['fr', 'Ce site est bloqué', "Droit d'auteur"],
  ] as const) {
    it(`${lang}: kickasstorrents.to`, async () => {
      const local = await launchExtension(B, { server, lang });
      try {
        const page = await local.browser.newPage();
        const v = await visit(page, 'http://kickasstorrents.to/');
        expect(v.outcome).toBe('blocked');
        // Firefox shows a language only with its language pack (Debian: firefox-esr-l10n-<lang>).
        expect(v.text, B === 'firefox' ? `needs the language pack: apt-get install -y firefox-esr-l10n-${lang}` : undefined).toContain(title);
        expect(v.text).toContain(category);
        expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
        await page.$$eval('details', (ds) => {
          for (const d of ds) d.setAttribute('open', '');
        });
        await screenshot(page, shot(`blocked-kickasstorrents.to-${lang}`));
      } finally {
        await local.close();
      }
    });
  }
});
