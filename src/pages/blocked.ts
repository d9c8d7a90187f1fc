// The block page. The blocked URL arrives in the hash (DNR regexSubstitution) and is untrusted:
// it is only ever shown as text, and only an http(s) URL becomes a link.
import type { Explanation } from '../core/explain.ts';
import { hostOfInput } from '../core/explain.ts';
import { h, safeLink } from './dom.ts';
import { renderLead, renderOrders } from './explanation.ts';
import { formatDate, localizeDocument, t } from './i18n.ts';
import { jurisdictionName, renderHostDataAge } from './ui.ts';
import { explainFromStorage } from './local-explanation.ts';
import { ask } from './messaging.ts';

function blockedUrl(): string {
  return location.hash.slice(1);
}

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing`);
  return el;
}

/** How long the background's answer waits for the page's own (ms); typically it takes 30–80. */
const LOCAL_WAIT_MS = 400;

/** Each render (a new hash starts one) owns the page until the next begins. */
let generation = 0;

async function render(): Promise<void> {
  const mine = ++generation;
  const url = blockedUrl();
  // Two answers: first the page's own reading of the stored lists (a few small reads, without the
  // background), then the background's, which is authoritative and replaces the first where it
  // differs. It is asked second so that a background starting up does not slow the first answer,
  // but never waits long for it: a read that stalls must not keep the background's answer away.
  // The reads start before the page fills in its texts, which they do not need.
  const local = explainFromStorage(url).catch((e: unknown) => {
    console.warn('Ordinanza: no explanation from storage', e);
    return null;
  });
  localizeDocument();
  byId('url').textContent = url || t('noAddress');
  const host = url ? hostOfInput(url) : null;
  byId('lead').replaceChildren();
  if (host) document.title = `${t('blockedTitle')}: ${host}`;
  let shown: string | null = null;
  const show = (ex: Explanation): void => {
    const key = JSON.stringify(ex);
    if (mine !== generation || key === shown) return;
    paint(ex, url);
    shown = key;
  };
  // A stored answer that finds no order in force is not shown first: the rules blocked the page, so
  // the lists stored lag behind the ones in force (a new list is stored a moment after its rules);
  // the background's answer says it. Only if the background cannot answer is it shown as it is.
  const wait = <T>(p: Promise<T>): Promise<T | null> => Promise.race([p, new Promise<null>((r) => setTimeout(() => r(null), LOCAL_WAIT_MS))]);
  const found = local.then((ex) => (ex?.blocked ? ex : null));
  const early = await wait(found);
  if (early) show(early);
  else void found.then((ex) => ex && shown === null && show(ex));
  try {
    show(await ask({ type: 'lookup', input: url }));
  } catch {
    const stored = await wait(local);
    if (shown !== null || mine !== generation) return;
    if (stored) show(stored);
    else {
      byId('orders').replaceChildren(h('p', { class: 'error' }, t('unavailable')));
      document.body.dataset['state'] = 'unavailable';
    }
  }
}

function paint(ex: Explanation, url: string): void {
  const orders = byId('orders');
  const cards = renderOrders(ex.matches);
  // Who was ordered to block this site, as the sources say; then that Ordinanza applies it here.
  byId('lead').replaceChildren(...renderLead(ex));
  if (cards.length === 0) {
    // The rules and the lists disagree only between a list change and the next page load.
    orders.replaceChildren(h('p', {}, t('notBlocked')), h('p', {}, safeLink(url, t('tryAgain'))));
  } else {
    orders.replaceChildren(...cards);
  }
  // The age of the data, not of the file; the file's serial and date are diagnostics.
  byId('footer').replaceChildren(
    ...renderHostDataAge(ex, true),
    h(
      'details',
      { class: 'tech' },
      h('summary', {}, t('technicalDetails')),
      ...ex.feeds.map((f) => h('p', {}, t('listInfo', [jurisdictionName(f.jurisdiction), String(f.serial), formatDate(f.generated.slice(0, 10))]))),
    ),
  );
  document.body.dataset['state'] = cards.length > 0 ? 'explained' : 'not-blocked';
  // For `npm run bench` (cold explanation): when the first explanation was on screen.
  if (performance.getEntriesByName('ordinanza-explained').length === 0) performance.mark('ordinanza-explained');
}

// For `npm run bench` (BENCH_DEBUG=1): when the page's modules had loaded.
performance.mark('ordinanza-script');
window.addEventListener('hashchange', () => void render());
void render();
