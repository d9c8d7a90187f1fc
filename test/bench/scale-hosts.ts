// Host names for the scale benchmarks: the seeded generator of the tests (TLD mix, subdomains), plus
// internationalised names and upper-case noise in the raw input, all canonicalised as the feed tool
// does (lower case, IDN as punycode). Same arguments, same list.
import { canonicalHost } from '../../src/core/hostname.ts';
import { generatedHosts } from '../support/generated-hosts.ts';

const IDN_STEMS = ['кино', 'казино', 'ставка', 'café', 'straße', 'jeu', 'über', 'fußball', 'film', 'größe'];
const IDN_TLDS = ['рф', 'com', 'it', 'de', 'xn--p1ai', 'net'];

/** `n` distinct canonical hosts not in `avoid`; ~3% internationalised, ~10% written with upper case. */
export function scaleHosts(n: number, avoid: ReadonlySet<string>, seed = 1): string[] {
  const idn = Math.floor(n * 0.03);
  const plain = generatedHosts(n - idn, { seed, avoid, ipv4Share: 0 });
  const out = new Set<string>();
  for (const [i, h] of plain.entries()) {
    const raw = i % 10 === 0 ? h.toUpperCase() : h;
    const c = canonicalHost(raw);
    if (c.ok) out.add(c.host);
  }
  for (let i = 0; out.size < n; i++) {
    const raw = `${IDN_STEMS[i % IDN_STEMS.length] as string}${seed}-${i}.${IDN_TLDS[i % IDN_TLDS.length] as string}`;
    const c = canonicalHost(i % 7 === 0 ? raw.toUpperCase() : raw);
    if (c.ok && !avoid.has(c.host)) out.add(c.host);
  }
  return [...out];
}
