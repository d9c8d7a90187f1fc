// Manifest + source files → feed. Deterministic: no clock, sorted hosts, stable group order,
// so the same inputs always give the same bytes.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { FEED_FORMAT, serializeFeed, validateFeed, type Authority, type Edition, type EntryGroup, type Feed, type Listing, type Order } from '../core/feed.ts';
import { ImportError, importSource, type ImportStats, type Rejection, type SourceOptions } from './importers/index.ts';
import { decodeSource } from './importers/index.ts';
import { parseManifest, type ImportSpec, type Manifest } from './manifest.ts';
import { buildOrder, OrderError } from './orders.ts';
import { parseReferences, parseRemedies, type ReferenceRow, type RemedyRow } from './references.ts';

export class BuildError extends Error {
  override readonly name = 'BuildError';
}

export interface ListReport {
  /** The source path as shown in reports (relative to the working directory). */
  readonly file: string;
  readonly orders: readonly string[];
  readonly edition: string;
  readonly stats: ImportStats;
  readonly rejected: readonly Rejection[];
  /** Hosts taken out of free text, with their lines, so a reviewer can check them. */
  readonly extracted: readonly { line: number; host: string }[];
  /** Hosts the source marks removed: left out, or kept as removed when `dropRemoved: false`. */
  readonly removed: number;
  /** Of those, hosts kept as removed (`dropRemoved: false`). */
  readonly removedKept: number;
  /** Hosts of the superseded edition this file no longer names: kept as removed, not enforced. */
  readonly dropped: number;
  /** Kept hosts already named by an earlier list (they gain this list's orders). */
  readonly alsoEarlier: number;
}

export interface BuildResult {
  readonly feed: Feed;
  /** The exact feed bytes, as text. */
  readonly text: string;
  readonly lists: readonly ListReport[];
  readonly warnings: readonly string[];
}

function readBytes(path: string, what: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new BuildError(`${what} ${path}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

function sortedRecord<T>(rec: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(
    Object.keys(rec)
      .sort()
      .map((k) => [k, rec[k] as T]),
  );
}

/** The importer options a manifest's import spec stands for. */
export function importOptions(spec: ImportSpec): SourceOptions {
  if (spec.format !== 'references') return spec;
  return { format: 'csv', header: true, where: { column: 'ref_id', equals: spec.ref }, hosts: [{ column: 'domains_named', split: ';' }] };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Builds from an already parsed manifest; `baseDir` resolves its paths, `cwd` shapes report paths. */
export function buildFromManifest(m: Manifest, baseDir: string, cwd: string = process.cwd()): BuildResult {
  const warnings: string[] = [];
  const show = (p: string) => relative(cwd, p) || p;
  const refsPaths = (typeof m.references === 'string' ? [m.references] : m.references).map((r) => resolve(baseDir, r));
  const refsName = refsPaths.map(show).join(' or ');
  const refs = new Map<string, ReferenceRow>();
  for (const refsPath of refsPaths) {
    let table: Map<string, ReferenceRow>;
    try {
      table = parseReferences(readBytes(refsPath, 'citation table'), show(refsPath));
    } catch (e) {
      if (e instanceof BuildError) throw e;
      throw new BuildError((e as Error).message);
    }
    for (const [id, row] of table) {
      if (refs.has(id)) throw new BuildError(`${show(refsPath)}:${row.line}: ref_id ${id} is also in another citation table`);
      refs.set(id, row);
    }
  }
  let remedies = new Map<string, RemedyRow>();
  const remediesPath = m.remedies ? resolve(baseDir, m.remedies) : undefined;
  if (remediesPath) {
    try {
      remedies = parseRemedies(readBytes(remediesPath, 'remedies table'), show(remediesPath));
    } catch (e) {
      if (e instanceof BuildError) throw e;
      throw new BuildError((e as Error).message);
    }
  }
  const refText = [...refs.values()].flatMap((r) => Object.values(r).filter((c): c is string => typeof c === 'string'));

  const authorities: Record<string, Authority> = {};
  for (const [id, a] of Object.entries(m.authorities)) {
    // Pages name an authority by its name: without one they could only show the manifest's id.
    if (Object.keys(a.name).length === 0) throw new BuildError(`authority ${id}: name needs at least one language (it, en or fr)`);
    for (const name of [...Object.values(a.name), ...(a.short ? [a.short] : [])]) {
      if (!refText.some((cell) => cell.includes(name))) throw new BuildError(`authority ${id}: "${name}" does not appear in ${refsName}`);
    }
    authorities[id] = { name: a.name, ...(a.short ? { short: a.short } : {}), ...(a.kind ? { kind: a.kind } : {}) };
  }
  const orders: Record<string, Order> = {};
  for (const [id, o] of Object.entries(m.orders)) {
    if (!(o.authority in m.authorities)) throw new BuildError(`order ${id}: unknown authority ${o.authority}`);
    try {
      orders[id] = buildOrder(id, o, { refs, refsFile: refsName, remedies, remediesFile: remediesPath && show(remediesPath), jurisdiction: m.jurisdiction });
    } catch (e) {
      if (e instanceof OrderError) throw new BuildError(e.message);
      throw e;
    }
  }
  const editions: Record<string, Edition> = {};
  for (const [id, e] of Object.entries(m.editions)) {
    editions[id] = {
      ...(e.title ? { title: e.title } : {}),
      ...(e.date ? { date: e.date } : {}),
      ...(e.approximate ? { approximate: e.approximate } : {}),
      source: e.source,
      ...(e.url ? { url: e.url } : {}),
      ...(e.commit ? { commit: e.commit } : {}),
      ...(e.licence ? { licence: e.licence } : {}),
      ...(e.caveat ? { caveat: e.caveat } : {}),
      ...(e.leaked ? { leaked: e.leaked } : {}),
    };
  }
  // A caveat is the source's own words: each part must be in a file of that edition, or in the
  // file the manifest names for it (a pinned copy of where the source says it).
  const caveatSeen = new Map<string, Set<string>>();
  for (const [id, e] of Object.entries(m.editions)) {
    if (!e.caveatFile) continue;
    if (!e.caveat) throw new BuildError(`edition ${id}: caveatFile without a caveat`);
    const path = resolve(baseDir, e.caveatFile.file);
    const bytes = readBytes(path, 'caveat file');
    const hash = sha256(bytes);
    if (hash !== e.caveatFile.sha256) throw new BuildError(`${show(path)}: content changed (sha256 ${hash}, manifest says ${e.caveatFile.sha256}); review the new file and update the manifest`);
    const text = decodeSource(bytes).text;
    caveatSeen.set(id, new Set(e.caveat.split(' / ').filter((part) => text.includes(part))));
  }

  // host → order → the edition that names it for that order (and the newer one that dropped it).
  const listingsOf = new Map<string, Map<string, Listing>>();
  const reports: ListReport[] = [];
  for (const [i, list] of m.lists.entries()) {
    const where = `lists[${i}] (${list.file})`;
    for (const o of list.orders) if (!(o in orders)) throw new BuildError(`${where}: unknown order ${o}`);
    if (!(list.edition in editions)) throw new BuildError(`${where}: unknown edition ${list.edition}`);
    if (list.import.format === 'references') {
      const ref = list.import.ref;
      if (!refs.has(ref)) throw new BuildError(`${where}: ref ${ref} is not in ${refsName}`);
      if (!list.orders.some((o) => m.orders[o]?.refs.includes(ref))) throw new BuildError(`${where}: none of its orders cites ref ${ref}`);
    }
    const path = resolve(baseDir, list.file);
    const bytes = readBytes(path, 'source');
    if (list.sha256 && sha256(bytes) !== list.sha256) {
      throw new BuildError(`${show(path)}: content changed (sha256 ${sha256(bytes)}, manifest says ${list.sha256}); review the new file and update the manifest`);
    }
    let result: ReturnType<typeof importSource>;
    try {
      result = importSource(bytes, importOptions(list.import));
    } catch (e) {
      if (e instanceof ImportError) throw new BuildError(`${show(path)}: ${e.message}`);
      throw e;
    }
    const caveat = editions[list.edition]?.caveat;
    if (caveat) {
      const text = decodeSource(bytes).text;
      const seen = caveatSeen.get(list.edition) ?? new Set<string>();
      for (const part of caveat.split(' / ')) if (text.includes(part)) seen.add(part);
      caveatSeen.set(list.edition, seen);
    }
    const superseded = list.supersedes;
    if (superseded !== undefined) {
      if (!(superseded in editions)) throw new BuildError(`${where}: supersedes unknown edition ${superseded}`);
      if (!m.lists.slice(0, i).some((l) => l.edition === superseded && list.orders.every((o) => l.orders.includes(o)))) {
        throw new BuildError(`${where}: supersedes ${superseded}, but no earlier list of that edition has its orders`);
      }
    }
    // Per-host dates: the source's own date column, else the `dates` file of this list.
    const datesOf = new Map<string, string>();
    if (list.dates) {
      const datesPath = resolve(baseDir, list.dates.file);
      const dateBytes = readBytes(datesPath, 'dates file');
      if (list.dates.sha256 && sha256(dateBytes) !== list.dates.sha256) {
        throw new BuildError(`${show(datesPath)}: content changed (sha256 ${sha256(dateBytes)}, manifest says ${list.dates.sha256}); review the new file and update the manifest`);
      }
      let dated: ReturnType<typeof importSource>;
      try {
        dated = importSource(dateBytes, list.dates.import);
      } catch (e) {
        if (e instanceof ImportError) throw new BuildError(`${show(datesPath)}: ${e.message}`);
        throw e;
      }
      if (dated.rejected.length > 0) throw new BuildError(`${show(datesPath)}:${dated.rejected[0]?.line}: ${dated.rejected[0]?.reason}`);
      for (const d of dated.entries) if (d.listed) datesOf.set(d.host, d.listed);
    }
    const dateOrders = list.orders.filter((o) => m.orders[o]?.act.listingDate !== undefined);
    let removed = 0;
    let alsoEarlier = 0;
    const named = new Set<string>();
    for (const entry of result.entries) {
      const keepRemoved = !(list.dropRemoved ?? true);
      if (entry.removed !== undefined && !keepRemoved) {
        removed++;
        continue;
      }
      if (entry.removed !== undefined) removed++;
      const date = entry.listed ?? datesOf.get(entry.host);
      if (dateOrders.length > 0 && date === undefined) throw new BuildError(`${where}: ${entry.host} (line ${entry.line}) has no date, but its order's act takes the date of each listing`);
      named.add(entry.host);
      let byOrder = listingsOf.get(entry.host);
      if (byOrder) alsoEarlier++;
      else {
        byOrder = new Map();
        listingsOf.set(entry.host, byOrder);
      }
      for (const o of list.orders) {
        const prev = byOrder.get(o);
        // The first list that names a host for an order wins, unless this one is its newer edition.
        if (!prev || (superseded !== undefined && prev.edition === superseded)) {
          // Every entry of a dated order has its date (checked above): a newer edition's date replaces the older one's.
          const dated = dateOrders.includes(o) ? date : undefined;
          byOrder.set(o, {
            order: o,
            edition: list.edition,
            ...(dated !== undefined ? { date: dated } : {}),
            ...(entry.removed !== undefined ? { removed: entry.removed } : {}),
          });
        }
      }
    }
    let dropped = 0;
    if (superseded !== undefined) {
      for (const [host, byOrder] of listingsOf) {
        if (named.has(host)) continue;
        let hit = false;
        for (const o of list.orders) {
          const l = byOrder.get(o);
          if (l && l.edition === superseded && l.removedIn === undefined) {
            byOrder.set(o, { ...l, removedIn: list.edition });
            hit = true;
          }
        }
        if (hit) dropped++;
      }
    }
    reports.push({
      file: show(path),
      orders: list.orders,
      edition: list.edition,
      stats: result.stats,
      rejected: result.rejected,
      extracted: result.entries.filter((e) => e.via === 'text').map((e) => ({ line: e.line, host: e.host })),
      removed,
      removedKept: list.dropRemoved === false ? removed : 0,
      dropped,
      alsoEarlier,
    });
  }
  for (const [id, e] of Object.entries(editions)) {
    if (!e.caveat) continue;
    const missing = e.caveat.split(' / ').filter((part) => !caveatSeen.get(id)?.has(part));
    if (missing.length > 0) throw new BuildError(`edition ${id}: caveat "${missing[0]}" does not appear in ${m.editions[id]?.caveatFile?.file ?? 'any file of that edition'}`);
  }

  const groups = new Map<string, EntryGroup>();
  for (const [host, byOrder] of listingsOf) {
    const listings = [...byOrder.values()].sort((x, y) => (x.order < y.order ? -1 : x.order > y.order ? 1 : 0));
    const key = JSON.stringify(listings);
    let g = groups.get(key);
    if (!g) {
      g = { listings, hosts: [] };
      groups.set(key, g);
    }
    g.hosts.push(host);
  }
  const entries = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => ({ ...g, hosts: g.hosts.sort() }));

  const used = new Set(entries.flatMap((g) => g.listings.map((l) => l.order)));
  for (const id of Object.keys(orders)) if (!used.has(id)) warnings.push(`order ${id} has no entries`);
  // An edition may own no group when every host it names was named by an earlier list; it stays
  // in the feed because its list still added orders to those hosts.

  const candidate = {
    format: FEED_FORMAT,
    jurisdiction: m.jurisdiction,
    serial: m.serial,
    generated: m.generated,
    expires: m.expires,
    authorities: sortedRecord(authorities),
    orders: sortedRecord(orders),
    editions: sortedRecord(editions),
    entries,
  };
  const checked = validateFeed(candidate);
  if (!checked.ok) throw new BuildError(`the built feed is invalid: ${checked.errors.join('; ')}`);
  return { feed: checked.feed, text: serializeFeed(checked.feed), lists: reports, warnings };
}

/** Reads, validates and builds a manifest file. */
export function buildFeed(manifestPath: string, cwd: string = process.cwd()): BuildResult {
  const path = resolve(cwd, manifestPath);
  const text = new TextDecoder().decode(readBytes(path, 'manifest'));
  return buildFromManifest(parseManifest(text, relative(cwd, path) || path), dirname(path), cwd);
}
