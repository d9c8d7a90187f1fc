// An update that installs a delta's feed, compiled from the delta's hosts alone (core/change-overlay.ts)
// when everything else it needs is known: the base, the installed overlay's hosts, the base's nested
// hosts, and a record that describes the feeds and settings in force. Anything missing: null, and
// `compile` walks the base and the wanted hosts as before.
import { compileChange, keepsEnforcement, takeChangedHosts } from '../core/change-overlay.ts';
import type { CompileOptions, CompileResult, DnrRule, KnownBase, OverlayHosts } from '../core/compiler.ts';
import type { Selection } from '../core/selection.ts';
import type { AppliedRecord } from '../core/stored.ts';
import type { WantedSet } from '../core/wanted.ts';
import type { Installed } from './feeds.ts';
import { keptNested } from './rule-base.ts';

export interface ChangeContext {
  /** The last update's record, describing `current` under the settings in force. */
  readonly applied: AppliedRecord;
  readonly current: ReadonlyMap<string, Installed>;
  readonly next: ReadonlyMap<string, Installed>;
  readonly selection: Selection;
  /** The hosts `next` wants. */
  readonly wanted: WantedSet;
  readonly base: KnownBase;
  /** The installed overlay rules and the hosts they were compiled from. */
  readonly overlay: readonly DnrRule[];
  readonly hosts: OverlayHosts | null;
}

/** The update from the one feed a delta replaced, or null when it must be compiled by walking. */
export async function compileFromChange(c: ChangeContext, opts: CompileOptions): Promise<CompileResult | null> {
  if (!c.hosts || !c.applied.base || opts.rebuild) return null;
  const codes = [...new Set([...c.current.keys(), ...c.next.keys()])].filter((j) => c.current.get(j) !== c.next.get(j));
  const [code] = codes;
  const prev = code === undefined ? undefined : c.current.get(code);
  const next = code === undefined ? undefined : c.next.get(code);
  if (codes.length !== 1 || !prev || !next) return null;
  const changed = takeChangedHosts(prev.index, next.index);
  if (!changed || !keepsEnforcement(prev, next, c.selection)) return null;
  const nested = await keptNested(c.applied.base);
  if (!nested) return null;
  const base = { buckets: c.base.buckets, ruleIds: c.base.ruleIds, has: (h: string) => c.base.hosts.has(h), ruleOrders: c.applied.ruleOrders, nested };
  return compileChange({ wanted: c.wanted, base, overlay: c.overlay, hosts: c.hosts, changed }, opts);
}
