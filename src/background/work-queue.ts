// The background's one queue of rule work: updates run one at a time, and the writes that follow an
// update (an overlay to the dynamic rules, the copy of a replaced list) run in it after a pause, once
// the update's caller is done: the rules are in force already (session-overlay.ts, PERSIST_PAUSE_MS).
import { PERSIST_PAUSE_MS } from './session-overlay.ts';

export class WorkQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private paused: Promise<void> = Promise.resolve();

  /** Runs `fn` after everything queued before it. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Queues `task` after the pause; a failure is logged with `failure` (the task is retried by whoever finds it undone). */
  later(failure: string, task: () => Promise<void>): void {
    const run = new Promise((r) => setTimeout(r, PERSIST_PAUSE_MS)).then(() => this.run(task));
    this.paused = Promise.all([this.paused, run.catch((e: unknown) => console.warn(failure, e))]).then(() => undefined);
  }

  /** Resolves once every queued task, and every one waiting for its pause, is done. */
  async settled(): Promise<void> {
    let tail: Promise<unknown>;
    let paused: Promise<void>;
    do {
      tail = this.tail;
      paused = this.paused;
      await paused;
      await tail;
    } while (tail !== this.tail || paused !== this.paused);
  }
}
