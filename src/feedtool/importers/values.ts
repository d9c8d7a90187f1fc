// From one field of a source to one canonical host: bare hosts, URLs and free text.
import { canonicalHost } from '../../core/hostname.ts';

export const HOST_KINDS = ['host', 'url', 'auto'] as const;
export type HostKind = (typeof HOST_KINDS)[number];

export type HostValue = { readonly ok: true; readonly host: string; readonly via?: 'url' | 'text' } | { readonly ok: false; readonly reason: string };

// White space the registers use inside free text: ASCII, NBSP, zero-width, ideographic.
const SPACES = /[\s\u00a0\u200b-\u200d\u2060\ufeff\u3000]+/;
const EDGE_PUNCT = /^[("'«“‘<[]+|[)"'»”’>\],;:.!?]+$/g;

function hostOfUrlValue(value: string): HostValue {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, reason: 'not a valid URL' };
  }
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) return { ok: false, reason: `not a web URL (${url.protocol})` };
  const r = canonicalHost(url.hostname);
  return r.ok ? { ok: true, host: r.host, via: 'url' } : { ok: false, reason: `URL host: ${r.reason}` };
}

/** A token counts as host-like when it has a dot and canonicalises; an IPv4 literal counts too. */
function hostLike(token: string): string | null {
  const t = token.replace(EDGE_PUNCT, '');
  if (!t.includes('.')) return null;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t)) {
    const u = hostOfUrlValue(t);
    return u.ok ? u.host : null;
  }
  const r = canonicalHost(t);
  return r.ok ? r.host : null;
}

/**
 * Free text such as `sito internet www.example.com`: the host when exactly one token is
 * host-like, else a rejection that says how many were found.
 */
export function hostFromFreeText(text: string): HostValue {
  const hosts = new Set<string>();
  for (const token of text.split(SPACES)) {
    const h = hostLike(token);
    if (h !== null) hosts.add(h);
  }
  if (hosts.size === 1) {
    const [host] = [...hosts];
    if (host !== undefined) return { ok: true, host, via: 'text' };
  }
  return { ok: false, reason: hosts.size === 0 ? 'free text with no hostname in it' : `free text with ${hosts.size} hostnames (ambiguous)` };
}

/** Reads one field. `extract` allows the free-text fallback when the field is not a bare host. */
export function readHost(raw: string, kind: HostKind, extract: boolean): HostValue {
  const value = raw.replace(/^[\s\u00a0\ufeff]+|[\s\u00a0\ufeff]+$/g, '');
  if (value === '') return { ok: false, reason: 'empty' };
  const looksUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
  let first: HostValue;
  if (kind === 'url' || (kind === 'auto' && looksUrl)) {
    first = hostOfUrlValue(value);
  } else {
    const r = canonicalHost(value);
    first = r.ok ? { ok: true, host: r.host } : { ok: false, reason: r.reason };
  }
  if (first.ok || !extract || !SPACES.test(value)) return first;
  return hostFromFreeText(value);
}
