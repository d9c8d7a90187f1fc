// Manifest + source files → feed. Deterministic: no clock, sorted hosts, stable group order,
// so the same inputs always give the same bytes.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { FEED_FORMAT, serializeFeed, validateFeed, type Authority, type Citation, type Edition, type EntryGroup, type Feed, type Order } from '../core/feed.ts';
import { ImportError, importSource, type ImportStats, type Rejection, type SourceOptions } from './importers/index.ts';
import { parseManifest, type ImportSpec, type Manifest, type ManifestOrder } from './manifest.ts';
import { cellValue, parseReferences, textStatesDate, type ReferenceRow } from './references.ts';

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
  /** Hosts left out because the source marks them removed. */
  readonly removed: number;
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
  return Object.fromEntries(Object.keys(rec).sort().map((k) => [k, rec[k] as T]));
}

function citation(row: ReferenceRow): Citation {
  const c: Citation = { id: row.ref_id, url: row.source_url };
  const kind = cellValue(row.source_kind);
  const date = cellValue(row.event_date_as_reported);
  const quote = cellValue(row.quote_excerpt);
  if (kind) c.kind = kind;
  if (date) c.dateAsReported = date;
  if (quote) c.quote = quote;
  return c;
}

/** Builds one order from its manifest entry and the rows it cites; every check names the order. */
function buildOrder(id: string, o: ManifestOrder, refs: ReadonlyMap<string, ReferenceRow>, refsFile: string): Order {
  const fail = (msg: string): never => {
    throw new BuildError(`order ${id}: ${msg}`);
  };
  const rows = o.refs.map((r) => refs.get(r) ?? fail(`ref ${r} is not in ${refsFile}`));
  const row = (ref: string, field: string): ReferenceRow => {
    if (!o.refs.includes(ref)) fail(`${field} ${ref} is not one of its refs`);
    return refs.get(ref) ?? fail(`ref ${ref} is not in ${refsFile}`);
  };

  for (const [lang, title] of Object.entries(o.title)) {
    if (!rows.some((r) => r.list_or_case === title)) fail(`title.${lang} "${title}" is not the list_or_case of any cited row`);
  }
  if (Object.keys(o.title).length === 0) fail('title needs at least one language');
  if (o.reference && !rows.some((r) => Object.values(r).some((cell) => typeof cell === 'string' && cell.includes(o.reference ?? '')))) {
    fail(`reference "${o.reference}" does not appear in any cited row`);
  }
  if (o.requestedBy && !rows.some((r) => r.authority.includes(o.requestedBy ?? ''))) {
    fail(`requestedBy "${o.requestedBy}" does not appear in the authority cell of any cited row`);
  }
  const basisRow = row(o.legalBasisFrom ?? o.refs[0] ?? '', 'legalBasisFrom');
  const legalBasis = cellValue(basisRow.legal_basis_as_quoted);
  let dateAsReported: string | undefined;
  if (o.dateFrom) dateAsReported = cellValue(row(o.dateFrom, 'dateFrom').event_date_as_reported);
  if (o.date) {
    if (!o.dateFrom) fail('date needs dateFrom: the cited row that states it');
    if (!dateAsReported || !textStatesDate(dateAsReported, o.date)) fail(`date ${o.date} is not stated by row ${o.dateFrom} ("${dateAsReported ?? ''}")`);
  }

  const order: Order = { authority: o.authority, title: o.title, category: o.category, status: o.status ?? 'active', sources: rows.map(citation) };
  // Key order is part of the bytes: build the object in the schema's order.
  return {
    authority: order.authority,
    title: order.title,
    ...(o.reference ? { reference: o.reference } : {}),
    ...(o.date ? { date: o.date } : {}),
    ...(dateAsReported ? { dateAsReported } : {}),
    ...(legalBasis ? { legalBasis } : {}),
    category: order.category,
    ...(o.requestedBy ? { requestedBy: o.requestedBy } : {}),
    status: order.status,
    sources: order.sources,
  };
}

function importOptions(spec: ImportSpec): SourceOptions {
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
  const refsPath = resolve(baseDir, m.references);
  let refs: Map<string, ReferenceRow>;
  try {
    refs = parseReferences(readBytes(refsPath, 'citation table'), show(refsPath));
  } catch (e) {
    if (e instanceof BuildError) throw e;
    throw new BuildError((e as Error).message);
  }
  const refText = [...refs.values()].flatMap((r) => Object.values(r).filter((c): c is string => typeof c === 'string'));

  const authorities: Record<string, Authority> = {};
  for (const [id, a] of Object.entries(m.authorities)) {
    for (const name of [...Object.values(a.name), ...(a.short ? [a.short] : [])]) {
      if (!refText.some((cell) => cell.includes(name))) throw new BuildError(`authority ${id}: "${name}" does not appear in ${show(refsPath)}`);
    }
    authorities[id] = { name: a.name, ...(a.short ? { short: a.short } : {}), ...(a.kind ? { kind: a.kind } : {}) };
  }
  const orders: Record<string, Order> = {};
  for (const [id, o] of Object.entries(m.orders)) {
    if (!(o.authority in m.authorities)) throw new BuildError(`order ${id}: unknown authority ${o.authority}`);
    orders[id] = buildOrder(id, o, refs, show(refsPath));
  }
  const editions: Record<string, Edition> = {};
  for (const [id, e] of Object.entries(m.editions)) {
    editions[id] = {
      ...(e.title ? { title: e.title } : {}),
      ...(e.date ? { date: e.date } : {}),
      source: e.source,
      ...(e.url ? { url: e.url } : {}),
      ...(e.commit ? { commit: e.commit } : {}),
      ...(e.licence ? { licence: e.licence } : {}),
    };
  }

  const hostOrders = new Map<string, Set<string>>();
  const hostEdition = new Map<string, string>();
  const reports: ListReport[] = [];
  for (const [i, list] of m.lists.entries()) {
    const where = `lists[${i}] (${list.file})`;
    for (const o of list.orders) if (!(o in orders)) throw new BuildError(`${where}: unknown order ${o}`);
    if (!(list.edition in editions)) throw new BuildError(`${where}: unknown edition ${list.edition}`);
    if (list.import.format === 'references') {
      const ref = list.import.ref;
      if (!refs.has(ref)) throw new BuildError(`${where}: ref ${ref} is not in ${show(refsPath)}`);
      if (!list.orders.some((o) => m.orders[o]?.refs.includes(ref))) throw new BuildError(`${where}: none of its orders cites ref ${ref}`);
    }
    const path = resolve(baseDir, list.file);
    const bytes = readBytes(path, 'source');
    if (list.sha256 && sha256(bytes) !== list.sha256) {
      throw new BuildError(`${show(path)}: content changed (sha256 ${sha256(bytes)}, manifest says ${list.sha256}); review the new file and update the manifest`);
    }
    let result;
    try {
      result = importSource(bytes, importOptions(list.import));
    } catch (e) {
      if (e instanceof ImportError) throw new BuildError(`${show(path)}: ${e.message}`);
      throw e;
    }
    let removed = 0;
    let alsoEarlier = 0;
    for (const entry of result.entries) {
      if (entry.removed !== undefined && (list.dropRemoved ?? true)) {
        removed++;
        continue;
      }
      const set = hostOrders.get(entry.host);
      if (set) {
        alsoEarlier++;
        for (const o of list.orders) set.add(o);
      } else {
        hostOrders.set(entry.host, new Set(list.orders));
        hostEdition.set(entry.host, list.edition);
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
      alsoEarlier,
    });
  }

  const groups = new Map<string, EntryGroup>();
  for (const [host, set] of hostOrders) {
    const ordersOf = [...set].sort();
    const edition = hostEdition.get(host) ?? '';
    const key = `${ordersOf.join(',')}\u0000${edition}`;
    let g = groups.get(key);
    if (!g) {
      g = { orders: ordersOf, edition, hosts: [] };
      groups.set(key, g);
    }
    g.hosts.push(host);
  }
  const entries = [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, g]) => ({ ...g, hosts: g.hosts.sort() }));

  const used = new Set(entries.flatMap((g) => g.orders));
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
