// Deterministic host names shaped like the real block lists (registrable names over common and
// country TLDs, many with `www.`, some deeper subdomains, a few IPv4 addresses), for tests and the
// bench that need more hosts than the repository's own lists hold. Same seed, same list, everywhere.
import { canonicalHost } from '../../src/core/hostname.ts';

/** mulberry32: a small seeded PRNG, returns floats in [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const TLDS = [
  'com',
  'com',
  'com',
  'net',
  'org',
  'ru',
  'ru',
  'it',
  'info',
  'xyz',
  'top',
  'online',
  'site',
  'io',
  'me',
  'tv',
  'cc',
  'biz',
  'pro',
  'live',
  'club',
  'co.uk',
  'com.ua',
  'su',
  'de',
  'to',
  'ws',
  'bet',
  'casino',
  'xn--p1ai',
];
const SYLLABLES = [
  'ka',
  'bet',
  'sino',
  'tor',
  'rent',
  'film',
  'stream',
  'play',
  'win',
  'fx',
  'trade',
  'coin',
  'max',
  'pro',
  'lux',
  'vip',
  'mega',
  'top',
  'go',
  'zona',
  'kino',
  'tv',
  'sport',
  'live',
  'loto',
  'spin',
  'star',
  'gold',
  'red',
  'nova',
  'invest',
  'capital',
  'shop',
  'pharm',
  'diplom',
  'serie',
  'hd',
  'online',
  'free',
  'lucky',
];
const SUBDOMAINS = ['m', 'cdn', 'mirror', 'app', 'new', 'en', 'it', 'ru', 'stream', 'play', 'api', 'static'];

export interface GenerateOptions {
  /** PRNG seed (default 1). */
  readonly seed?: number;
  /** Names never to produce (e.g. hosts the caller already has). */
  readonly avoid?: ReadonlySet<string>;
  /** Share of IPv4 addresses among the hosts (default 0.01; 0 for hosts a browser will navigate to). */
  readonly ipv4Share?: number;
}

/**
 * `n` distinct canonical host names, none of them in `avoid`. The same arguments give the same list,
 * in the same order.
 */
export function generatedHosts(n: number, opts: GenerateOptions = {}): string[] {
  const rnd = prng(opts.seed ?? 1);
  const avoid = opts.avoid ?? new Set<string>();
  const ipv4Share = opts.ipv4Share ?? 0.01;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const seen = new Set<string>();
  const out: string[] = [];
  while (out.length < n) {
    const r = rnd();
    let host: string;
    if (r < ipv4Share) {
      host = [1 + Math.floor(rnd() * 222), Math.floor(rnd() * 256), Math.floor(rnd() * 256), 1 + Math.floor(rnd() * 254)].join('.');
    } else {
      let label = '';
      const parts = 1 + Math.floor(rnd() * 3);
      for (let i = 0; i < parts; i++) label += pick(SYLLABLES);
      const tail = rnd();
      if (tail < 0.5) label += String(Math.floor(rnd() * 1000));
      else if (tail < 0.6) label += `-${pick(SYLLABLES)}`;
      const domain = `${label}.${pick(TLDS)}`;
      const sub = rnd();
      host = sub < 0.35 ? `www.${domain}` : sub < 0.5 ? `${pick(SUBDOMAINS)}${rnd() < 0.5 ? Math.floor(rnd() * 20) : ''}.${domain}` : domain;
    }
    if (seen.has(host) || avoid.has(host)) continue;
    const c = canonicalHost(host);
    if (!c.ok || c.host !== host) throw new Error(`generated host not canonical: ${host}`);
    seen.add(host);
    out.push(host);
  }
  return out;
}
