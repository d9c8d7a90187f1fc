// Canonical hostnames: the one form used by the feed, the index and the DNR rules.
// Lower case, IDN as punycode A-labels, no trailing dot, no port; IPv4 as a dotted quad.
// IDNA processing is the WHATWG URL host parser, which Node and both browsers ship.
import { FNV_OFFSET, FNV_PRIME } from './host-set.ts';

export type CanonicalResult = { readonly ok: true; readonly host: string } | { readonly ok: false; readonly reason: string };

const MAX_HOST_LENGTH = 253;
const LABEL = /^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)$/;
const DOTTED_QUAD = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
// Spaces the registers use by accident: NBSP, zero-width, BOM, ideographic space.
const EDGE_SPACE = /^[\s\u00a0\u200b-\u200d\u2060\ufeff\u3000]+|[\s\u00a0\u200b-\u200d\u2060\ufeff\u3000]+$/g;
const INNER_SPACE = /[\s\u00a0\u200b-\u200d\u2060\ufeff\u3000]/;

export function isIPv4(host: string): boolean {
  return DOTTED_QUAD.test(host);
}

/** Canonicalises a bare host (optionally with a port or a trailing dot). Never throws. */
export function canonicalHost(input: string): CanonicalResult {
  const trimmed = input.replace(EDGE_SPACE, '');
  if (trimmed === '') return { ok: false, reason: 'empty' };
  if (INNER_SPACE.test(trimmed)) return { ok: false, reason: 'contains white space' };
  if (/^[\d.]+\/\d{1,2}$/.test(trimmed)) return { ok: false, reason: 'CIDR ranges are not supported (list single addresses)' };
  if (/[/?#@\\]/.test(trimmed)) return { ok: false, reason: 'not a bare hostname (has a path, query, credentials or scheme)' };
  if (trimmed.startsWith('[') || trimmed.split(':').length > 2) return { ok: false, reason: 'IPv6 addresses are not supported' };
  if (trimmed.startsWith('*')) return { ok: false, reason: 'wildcards are not supported (a host already covers its subdomains)' };

  let parsed: string;
  try {
    parsed = new URL(`http://${trimmed}/`).hostname;
  } catch {
    return { ok: false, reason: 'not a valid hostname' };
  }
  const host = parsed.replace(/\.+$/, '');
  if (host === '') return { ok: false, reason: 'empty' };
  if (host.length > MAX_HOST_LENGTH) return { ok: false, reason: `longer than ${MAX_HOST_LENGTH} characters` };

  const bare = trimmed.replace(/:\d*$/, '').replace(/\.+$/, '');
  if (isIPv4(host)) {
    // The URL parser also reads "0x7f.1" or "2130706433" as IPv4: too ambiguous for a legal list.
    if (bare !== host) return { ok: false, reason: 'IPv4 address not in dotted-quad form' };
    return { ok: true, host };
  }
  const labels = host.split('.');
  if (labels.length < 2) return { ok: false, reason: 'not a hostname (no dot)' };
  for (const label of labels) {
    if (!LABEL.test(label)) return { ok: false, reason: `invalid label "${label}"` };
  }
  const tld = labels[labels.length - 1] ?? '';
  if (/^\d+$/.test(tld)) return { ok: false, reason: 'numeric top-level label' };
  return { ok: true, host };
}

/** What canonicalHostHash returns for a host that is not canonical: no 32-bit hash is this number. */
export const NOT_CANONICAL = 2 ** 32;

/**
 * True when `host` is already canonical: the same decision as `canonicalHost(host)` returning
 * `host` itself. See canonicalHostHash.
 */
export function isCanonicalHost(host: string): boolean {
  return canonicalHostHash(host) !== NOT_CANONICAL;
}

// Character classes of a canonical host, read with one table lookup per character.
const LETTER = 1; // and "_"
const HYPHEN = 2;
const OTHER = 4; // not allowed; digits and "." are class 0
const CHAR_CLASS = new Uint8Array(128).fill(OTHER);
for (let c = 0x61; c <= 0x7a; c++) CHAR_CLASS[c] = LETTER;
for (let c = 0x30; c <= 0x39; c++) CHAR_CLASS[c] = 0;
CHAR_CLASS[0x5f] = LETTER;
CHAR_CLASS[0x2d] = HYPHEN;
CHAR_CLASS[0x2e] = 0;

/**
 * `hostHash(host) | 0` when `host` is already canonical (as isCanonicalHost decides), else
 * NOT_CANONICAL: one pass over the characters (right to left, as the hash reads them) and one over
 * the labels, so that a feed's million hosts are checked and hashed (for its duplicate check) at
 * once. The hash is signed because V8 keeps a 32-bit signed result unboxed (an unsigned one above
 * 2^31 allocates). Only a label in punycode ("xn--") needs the URL parser, which checks that it
 * decodes to a valid name.
 */
export function canonicalHostHash(host: string): number {
  const n = host.length;
  if (n === 0 || n > MAX_HOST_LENGTH) return NOT_CANONICAL;
  let hash = FNV_OFFSET | 0;
  let classes = 0;
  let wide = 0;
  for (let i = n - 1; i >= 0; i--) {
    const c = host.charCodeAt(i);
    classes |= CHAR_CLASS[c & 0x7f] as number;
    wide |= c >>> 7;
    hash = Math.imul(hash ^ c, FNV_PRIME);
  }
  if (wide !== 0 || (classes & OTHER) !== 0) return NOT_CANONICAL;
  let labels = 0;
  let start = 0;
  let punycode = false;
  for (;;) {
    const dot = host.indexOf('.', start);
    const end = dot === -1 ? n : dot;
    // 1-63 characters, no hyphen at either end.
    if (end === start || end - start > 63 || host.charCodeAt(start) === 0x2d || host.charCodeAt(end - 1) === 0x2d) return NOT_CANONICAL;
    if (end - start >= 4 && host.startsWith('xn--', start)) punycode = true;
    labels++;
    if (dot === -1) break;
    start = dot + 1;
  }
  if ((classes & (LETTER | HYPHEN)) === 0) return isIPv4(host) ? hash : NOT_CANONICAL;
  if (labels < 2) return NOT_CANONICAL;
  // The URL parser reads a host whose last label is a number (decimal, or hex after "0x") as IPv4.
  if (isNumericLabel(host, start)) return NOT_CANONICAL;
  if (punycode && !urlParserKeeps(host)) return NOT_CANONICAL;
  return hash;
}

/** `host.slice(start)` is digits, or "0x" and hex digits: a number to the URL parser. */
function isNumericLabel(host: string, start: number): boolean {
  const n = host.length;
  let i = start;
  let hex = false;
  if (n - start >= 2 && host.charCodeAt(start) === 0x30 && host.charCodeAt(start + 1) === 0x78) {
    hex = true;
    i += 2;
  }
  for (; i < n; i++) {
    const c = host.charCodeAt(i);
    if ((c < 0x30 || c > 0x39) && !(hex && c >= 0x61 && c <= 0x66)) return false;
  }
  return true;
}

/** One URL whose host is set to each punycode host checked: a new URL per host allocates ~4 times more. */
const hostParser = new URL('http://canonical.invalid/');

/**
 * For a host whose characters and labels already passed isCanonicalHost's pass, canonicalHost's
 * other steps cannot fail: what is left of its decision is whether the URL host parser returns the
 * host unchanged (a punycode label must decode to a valid name). A host it refuses leaves the
 * previous one in place, which differs from this host (or was this very host, accepted).
 */
function urlParserKeeps(host: string): boolean {
  try {
    hostParser.hostname = host;
    return hostParser.hostname === host;
  } catch {
    return false;
  }
}

/** The reference decision: canonicalise and compare. */
export function isCanonicalBySlowPath(host: string): boolean {
  const r = canonicalHost(host);
  return r.ok && r.host === host;
}

/**
 * The host itself and every parent domain, most specific first: exactly the names a DNR
 * `requestDomains` entry can be for this host to match. An IPv4 address has only itself.
 */
export function matchCandidates(host: string): string[] {
  if (isIPv4(host)) return [host];
  const out: string[] = [host];
  let i = host.indexOf('.');
  while (i !== -1) {
    out.push(host.slice(i + 1));
    i = host.indexOf('.', i + 1);
  }
  return out;
}

/** Host of a URL string, canonical, or null for non-network URLs and garbage. */
export function hostOfUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:' && parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') return null;
  const r = canonicalHost(parsed.hostname);
  return r.ok ? r.host : null;
}
