// One host per line (`#` comments), and hosts files (`ADDRESS host [host…]`).
import { isIPv4 } from '../../core/hostname.ts';
import { open } from './collect.ts';
import type { Encoding } from './text.ts';
import type { ImportResult } from './types.ts';
import { readHost, type HostKind } from './values.ts';

export interface LinesOptions {
  readonly encoding?: Encoding;
  /** `host` (default), `url`, or `auto` (a URL when it has a scheme). */
  readonly kind?: HostKind;
  /** Take the one hostname out of a line of free text (e.g. `sito internet www.x.com`). */
  readonly extract?: boolean;
  /** Lines starting with one of these are skipped as preamble (kept in stats). */
  readonly skipPrefixes?: readonly string[];
}

const COMMENT = /(?:^|[\s\u00a0])#.*$/;

function preamble(line: string, prefixes: readonly string[] | undefined): boolean {
  return prefixes?.some((p) => line.startsWith(p)) ?? false;
}

/** A list with one host per line. A `#` starts a comment (at line start or after a space). */
export function importLines(bytes: Uint8Array, options: LinesOptions = {}): ImportResult {
  const { lines, collector } = open(bytes, options.encoding);
  lines.forEach((line, i) => {
    const n = i + 1;
    if (preamble(line, options.skipPrefixes)) {
      collector.skip();
      collector.stats.preamble.push(line);
      return;
    }
    const body = line.replace(COMMENT, '');
    if (body.replace(/[\s\u00a0\ufeff]/g, '') === '') {
      collector.skip();
      return;
    }
    collector.add(n, line, readHost(body, options.kind ?? 'host', options.extract ?? false));
  });
  return collector.result();
}

export interface HostsOptions {
  readonly encoding?: Encoding;
  /** When set, every line's address must be one of these (e.g. the authority's stop-page IP). */
  readonly addresses?: readonly string[];
}

/** A hosts file: `ADDRESS NAME [NAME…]`, `#` comments. Only the names are entries. */
export function importHosts(bytes: Uint8Array, options: HostsOptions = {}): ImportResult {
  const { lines, collector } = open(bytes, options.encoding);
  lines.forEach((line, i) => {
    const n = i + 1;
    const body = line.replace(/#.*$/, '');
    const fields = body.split(/[ \t\u00a0]+/).filter((f) => f !== '');
    if (fields.length === 0) {
      collector.skip();
      return;
    }
    const [address, ...names] = fields;
    if (address === undefined || !(isIPv4(address) || address.includes(':'))) {
      collector.reject(n, line, 'hosts line does not start with an address');
      return;
    }
    if (options.addresses && !options.addresses.includes(address)) {
      collector.reject(n, line, `unexpected address ${address}`);
      return;
    }
    if (names.length === 0) {
      collector.reject(n, line, 'hosts line has an address but no name');
      return;
    }
    for (const name of names) collector.add(n, name, readHost(name, 'host', false));
  });
  return collector.result();
}
