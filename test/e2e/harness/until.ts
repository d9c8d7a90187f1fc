// The one polling helper of the real-browser tests. Browsers here answer at the pace of a shared
// 2-core machine, so tests wait for a state, with a generous deadline, and never assert how long it took.

export interface UntilOptions {
  /** Give up after this long (default 10 s): a deadline for a stuck test, not a performance target. */
  readonly timeoutMs?: number;
  /** Pause between two probes (default 100 ms). */
  readonly intervalMs?: number;
}

type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>;

/**
 * Calls `probe` until it returns a truthy value, and returns that value. A probe that throws counts
 * as "not yet" (a page between two documents, a background starting up); the last error is in the
 * message when the deadline passes. `what` names the awaited state in that message.
 */
export async function until<T>(what: string, probe: () => T | Promise<T>, opts: UntilOptions = {}): Promise<Truthy<T>> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const intervalMs = opts.intervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v as Truthy<T>;
      last = null;
    } catch (e) {
      last = e;
    }
    if (Date.now() >= deadline) throw new Error(`${what}: not so within ${timeoutMs} ms${last === null ? '' : ` (last error: ${String(last)})`}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
