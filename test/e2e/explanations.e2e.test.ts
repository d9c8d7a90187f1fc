// Truthful explanations on the block page (issue 10), in a real browser and in it and en: each card
// says only what a source says for that host and order. ORDINANZA_BROWSER: Chromium or Firefox ESR.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFeed, type Feed } from '../../src/core/feed.ts';
import { currentBrowser, distFor, launchExtension, screenshot, startServer, visit, type Extension, type TestServer } from './harness.ts';

const B = currentBrowser();
const shot = (name: string): string => (B === 'chromium' ? name : `${name}-${B}`);
const parsed = parseFeed(readFileSync(join(distFor(B), 'feeds/IT.json')));
if (!parsed.ok) throw new Error(parsed.errors.join('; '));
const feed: Feed = parsed.feed;

/** A host listed only under `orderId`. */
function sample(orderId: string): string {
  const group = feed.entries.find((g) => g.listings.length === 1 && g.listings[0]?.order === orderId);
  if (!group || group.hosts.length === 0) throw new Error(`no hosts for ${orderId}`);
  return group.hosts[Math.floor(group.hosts.length / 2)] as string;
}

const WORDS = {
  en: {
    court: ['Tribunale di Milano ordered Cloudflare to block kickasstorrents.to on its DNS resolver.', 'July 2022', 'Press report, punto-informatico.it'],
    applies: 'Ordinanza applies these orders in this browser.',
    legalBasis: 'Legal basis',
    reference: 'Reference',
    inForce: /In force|En vigueur/,
    // The data naming the site (about September 25, 2023), not the list's newest (CONSOB, February 2, 2024).
    data: 'The list for Italy names this site in data of about September 25, 2023',
    outOfDate: 'This block may be out of date: the data naming this site is more than 12 months old.',
    newest: 'Newest data in the list for Italy: February 2, 2024',
    listed: 'as of about September 25, 2023',
    act: 'Act',
    agcomHeading: 'AGCOM · Copyright',
    contestUnknown: 'The published sources do not say how this order can be contested.',
    remedyKind: 'About this source: statute text on a secondary site; general rule, not an AGCOM-specific notice',
    warns: 'The source warns',
  },
  it: {
    court: ['Tribunale di Milano ha ordinato a Cloudflare di bloccare kickasstorrents.to sul suo resolver DNS.', 'luglio 2022', 'Press report, punto-informatico.it'],
    applies: 'Ordinanza applica questi ordini in questo browser.',
    legalBasis: 'Base giuridica',
    reference: 'Riferimento',
    inForce: /In vigore/,
    data: 'La lista (Italia) elenca questo sito nei dati del 25 settembre 2023 circa',
    outOfDate: 'Questo blocco potrebbe non essere aggiornato',
    newest: 'Dati più recenti della lista (Italia): 2 febbraio 2024',
    listed: 'alla data 25 settembre 2023 circa',
    act: 'Atto',
    agcomHeading: "AGCOM · Diritto d'autore",
    contestUnknown: 'Le fonti pubblicate non indicano come contestare questo ordine.',
    remedyKind: 'Sulla fonte: statute text on a secondary site; general rule, not an AGCOM-specific notice',
    warns: 'La fonte avverte',
  },
} as const;

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

for (const lang of ['en', 'it'] as const) {
  const w = WORDS[lang];
  describe(`[${B}] [${lang}] the block page says only what the sources say`, () => {
    let ext: Extension;
    beforeAll(async () => {
      ext = await launchExtension(B, { server, lang });
    });
    afterAll(async () => {
      await ext?.close();
    });

    const cardText = async (host: string, order: string) => {
      const page = await ext.browser.newPage();
      const v = await visit(page, `http://${host}/`);
      expect(v.outcome).toBe('blocked');
      const card = await page.$eval(`article[data-order="${order}"]`, (el) => (el as HTMLElement).innerText);
      const cards = await page.$$eval('article.order', (els) => els.map((el) => (el as HTMLElement).innerText));
      const lead = await page.$eval('#lead', (el) => (el as HTMLElement).innerText);
      const footer = await page.$eval('#footer', (el) => (el as HTMLElement).innerText);
      return { page, card, cards, lead, footer, text: v.text };
    };

    it('kickasstorrents.to: the court card cites the court’s source and July 2022, not an AGCOM edition', async () => {
      const r = await cardText('kickasstorrents.to', 'tribunale-milano-2022');
      expect(r.lead).toContain(w.court[0]);
      expect(r.lead).toContain(w.applies);
      expect(r.card).toContain(w.court[1]);
      expect(r.card).toContain(w.court[2]);
      expect(r.card).not.toMatch(/censura-it|agcom-2023-09-25|2023/);
      // Its cited row says the reclamo was rejected in November 2022: no remedy is offered.
      expect(r.card).toContain(w.contestUnknown);
      expect(r.card).not.toMatch(/reclamo|15 days/);
      // Internal ids stay in the collapsed Sources.
      expect(r.text).not.toContain('agcom-2023-09-25');
      expect(r.text).not.toContain('tribunale-milano-2022');
      await r.page.$$eval('details', (ds) => {
        for (const d of ds) d.setAttribute('open', '');
      });
      await screenshot(r.page, shot(`explain-kickasstorrents.to-${lang}`));
      await r.page.close();
    });

    it('an AGCOM host shows 680/13/CONS only as its legal basis, and the list copy it came from', async () => {
      const r = await cardText(sample('agcom-copyright'), 'agcom-copyright');
      const lines = r.card.split('\n');
      const basisAt = lines.findIndex((l) => l.trim() === w.legalBasis);
      expect(lines[basisAt + 1]).toMatch(/^Delibera n\. 680\/13\/CONS/);
      expect(lines.filter((l) => l.includes('680/13/CONS'))).toHaveLength(1);
      expect(lines.some((l) => l.trim() === w.reference)).toBe(false);
      expect(r.card).toContain('AGCOM blocks as compiled by an ISP operator (censura-it hosts/agcom)');
      expect(r.card).toContain(w.listed);
      // The list is an ISP's compilation: no "listing in the authority's list" act line.
      expect(lines.some((l) => l.trim() === w.act)).toBe(false);
      expect(lines[0]?.trim()).toBe(w.agcomHeading);
      // The copy's own repository warns about its lists; the remedies say what kind of source they rest on.
      expect(r.card).toContain(w.warns);
      expect(r.card).toContain('TUTTAVIA potrebbero esserci errori o entry mancanti');
      expect(r.card).toContain(w.remedyKind);
      await r.page.close();
    });

    it('no card says "in force"; the footer gives the data date and says it may be out of date', async () => {
      for (const [host, order] of [
        ['kickasstorrents.to', 'tribunale-milano-2022'],
        [sample('adm-giochi'), 'adm-giochi'],
        [sample('adm-tabacchi'), 'adm-tabacchi'],
      ] as const) {
        const r = await cardText(host, order);
        for (const c of r.cards) expect(c).not.toMatch(w.inForce);
        expect(r.footer).toContain(w.data);
        expect(r.footer).toContain(w.outOfDate);
        // The list's newest data (CONSOB, February 2024) is given too, apart.
        expect(r.footer).toContain(w.newest);
        await r.page.close();
      }
    });

    it('a CONSOB card shows the source’s own caveat', async () => {
      const r = await cardText(sample('consob'), 'consob');
      expect(r.card).toContain('LISTA DA CONTROLLARE, MODIFICARE E INTEGRARE / POTREBBE CONTENERE ERRORI');
      expect(r.footer).toContain(lang === 'en' ? 'names this site in data of February 2, 2024' : 'elenca questo sito nei dati del 2 febbraio 2024');
      // The same date as the list's newest: said once.
      expect(r.footer).not.toContain(w.newest);
      const adm = await cardText(sample('adm-giochi'), 'adm-giochi');
      expect(adm.card).toContain('TUTTAVIA potrebbero esserci errori o entry mancanti');
      expect(adm.card.split('\n').some((l) => l.trim() === w.act)).toBe(true);
      // Its sources include 2025 press reports about ADM's list: the Sources say they are about the order, the edition is this site's.
      const note = await adm.page.$eval('article[data-order="adm-giochi"] .sources-note', (el) => el.textContent);
      expect(note).toBe(
        lang === 'en'
          ? 'What the sources say about the order as a whole; the list edition, last, is where this site’s entry comes from.'
          : 'Cosa dicono le fonti sull’ordine nel suo insieme; l’edizione della lista, in fondo, è da dove viene la voce di questo sito.',
      );
      await adm.page.close();
      await screenshot(r.page, shot(`explain-consob-${lang}`));
      await r.page.close();
    });

    it('the tobacco card cites ADM’s tobacco page and keeps the honest sentence on contesting', async () => {
      const r = await cardText(sample('adm-tabacchi'), 'adm-tabacchi');
      const links = await r.page.$$eval('article[data-order="adm-tabacchi"] a', (as) => as.map((a) => (a as HTMLAnchorElement).href));
      expect(links).toContain('https://www.agenziadoganemonopoli.gov.it/portale/web/guest/siti-inibiti-tabacchi');
      expect(links.some((l) => /agimeg|dirittoaldigitale|giochi24|infogioco/.test(l))).toBe(false);
      expect(r.card).toContain(lang === 'en' ? 'The published sources do not say how this order can be contested.' : 'Le fonti pubblicate non indicano come contestare questo ordine.');
      await r.page.close();
    });
  });
}
