// A pure model of what declarativeNetRequest does with dynamic rules, for logic tests only: real
// enforcement is proven in the browsers (test/e2e). Encodes what the browsers were measured to do.
import type { DnrRule } from '../../src/core/compiler.ts';
import { matchCandidates } from '../../src/core/hostname.ts';

/** Whether a request of `type` to `host` ends blocked or redirected under `rules`. */
export function dnrBlocks(rules: readonly DnrRule[], host: string, type = 'main_frame'): boolean {
  const cands = new Set(matchCandidates(host));
  const hit = (ds?: string[]) => (ds ?? []).some((d) => cands.has(d));
  let best: DnrRule | undefined;
  for (const r of rules) {
    const { resourceTypes, excludedResourceTypes } = r.condition;
    // As DNR: a rule that names no resource types matches every type except main_frame.
    if (resourceTypes ? !resourceTypes.includes(type) : excludedResourceTypes ? excludedResourceTypes.includes(type) : type === 'main_frame') continue;
    if (!hit(r.condition.requestDomains) || hit(r.condition.excludedRequestDomains)) continue;
    if (!best || r.priority > best.priority) best = r;
  }
  return best !== undefined && best.action.type !== 'allow';
}

/** Applies an update to an installed rule list, as updateDynamicRules does (atomic, by id). */
export function applyUpdate(installed: readonly DnrRule[], removeRuleIds: readonly number[], addRules: readonly DnrRule[]): DnrRule[] {
  const removed = new Set(removeRuleIds);
  const kept = installed.filter((r) => !removed.has(r.id));
  const ids = new Set(kept.map((r) => r.id));
  for (const r of addRules) {
    if (ids.has(r.id)) throw new Error(`Rule with id ${r.id} does not have a unique ID.`);
    ids.add(r.id);
  }
  return [...kept, ...addRules].sort((a, b) => a.id - b.id);
}

/** `dnrBlocks` for many queries over large rules: each rule's domains in a Set, built once. */
export function dnrModel(rules: readonly DnrRule[]): (host: string, type?: string) => boolean {
  const indexed = rules.map((r) => ({
    rule: r,
    domains: new Set(r.condition.requestDomains ?? []),
    excluded: new Set(r.condition.excludedRequestDomains ?? []),
  }));
  return (host, type = 'main_frame') => {
    const cands = matchCandidates(host);
    let best: DnrRule | undefined;
    for (const { rule, domains, excluded } of indexed) {
      const { resourceTypes, excludedResourceTypes } = rule.condition;
      if (resourceTypes ? !resourceTypes.includes(type) : excludedResourceTypes ? excludedResourceTypes.includes(type) : type === 'main_frame') continue;
      if (!cands.some((c) => domains.has(c)) || cands.some((c) => excluded.has(c))) continue;
      if (!best || rule.priority > best.priority) best = rule;
    }
    return best !== undefined && best.action.type !== 'allow';
  };
}
