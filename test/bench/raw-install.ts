// The baseline of the install rows: one raw updateDynamicRules call with every domain in a single
// rule, timed in an extension page and removed again. Runs inside the browser (passed whole to
// evaluate), so it refers to nothing outside itself.

/** Domains from `url` (a JSON array), or, without it, every domain of the installed block rules. */
export async function rawInstallInPage(url: string | null, id: number): Promise<{ ms: number; domains: number }> {
  const api = chrome.declarativeNetRequest;
  const domains = url
    ? ((await (await fetch(url)).json()) as string[])
    : [...new Set((await api.getDynamicRules()).filter((r) => r.action.type !== 'allow').flatMap((r) => r.condition.requestDomains ?? []))];
  const t = performance.now();
  await api.updateDynamicRules({
    addRules: [
      {
        id,
        priority: 1,
        action: { type: 'block' as chrome.declarativeNetRequest.RuleActionType },
        condition: { requestDomains: domains, resourceTypes: ['main_frame' as chrome.declarativeNetRequest.ResourceType] },
      },
    ],
  });
  const ms = performance.now() - t;
  await api.updateDynamicRules({ removeRuleIds: [id] });
  return { ms, domains: domains.length };
}

/**
 * The extension's own dynamic rules written again raw: read, removed, then added back in one timed call (the
 * browser's cost of exactly the rules the install wrote, whatever their layout). They are the same rules
 * afterwards, so the extension's record of them stays true.
 */
export async function rewriteRulesInPage(): Promise<{ ms: number; rules: number }> {
  const api = chrome.declarativeNetRequest;
  const rules = await api.getDynamicRules();
  await api.updateDynamicRules({ removeRuleIds: rules.map((r) => r.id) });
  const t = performance.now();
  await api.updateDynamicRules({ addRules: rules });
  return { ms: performance.now() - t, rules: rules.length };
}
