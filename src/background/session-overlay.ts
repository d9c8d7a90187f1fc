// The overlay rules of an update are put in force from the session rules, then written to the
// dynamic rules off the update's path. Chromium re-processes every dynamic rule on any dynamic update
// (9 s at a million hosts, for a change of four rules); a session update re-processes the session
// rules alone. Session rules are gone when the browser restarts, so the dynamic rules get the overlay
// too: the engine writes it right after the update, and a start that finds it not yet written puts
// it back in the session rules first.
//
// While the dynamic rules still hold an earlier overlay, no host is enforced other than as the
// earlier update or the new one wants: the session's rules block the new hosts and lift the removed
// ones (allow, at the higher priority); the earlier overlay can only go on blocking a host the new
// update removed, or lifting one it listed again, as it did before the update, until the write lands.
import { OVERLAY_IDS, type DnrRule, type RuleUpdate } from '../core/compiler.ts';
import { dnr } from '../platform/browser.ts';

/**
 * How long after an update its overlay waits before it is written to the dynamic rules. Written at
 * once, Chromium's write (9 s at a million hosts) slowed what the update's caller still had to do:
 * a sync's answer came 1.5 s later at the real union of lists (its own steps took under 1 s).
 */
export const PERSIST_PAUSE_MS = 1_000;

/** Replaces the session rules' overlay with `overlay`. */
export function putInSession(overlay: readonly DnrRule[]): Promise<void> {
  return dnr.updateSessionRules(OVERLAY_IDS, overlay);
}

/** Empties the session rules of any overlay (a no-op where there is none). */
export function clearSession(): Promise<void> {
  return dnr.updateSessionRules(OVERLAY_IDS, []);
}

/** The dynamic update that puts `overlay` in place of whatever overlay the dynamic rules hold. */
export function overlayWrite(overlay: readonly DnrRule[]): RuleUpdate {
  return { removeRuleIds: [...OVERLAY_IDS], addRules: [...overlay] };
}

/**
 * `update` (a compile's, made against the overlay in the session rules) made to also replace the
 * dynamic rules' overlay, which may be an earlier one, with `overlay`.
 */
export function replacingOverlay(update: RuleUpdate, overlay: readonly DnrRule[]): RuleUpdate {
  const adding = new Set(update.addRules.map((r) => r.id));
  return {
    removeRuleIds: [...new Set([...update.removeRuleIds, ...OVERLAY_IDS])],
    addRules: [...update.addRules, ...overlay.filter((r) => !adding.has(r.id))],
  };
}
