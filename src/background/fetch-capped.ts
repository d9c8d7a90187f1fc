// A feed's download: GET with a deadline and a size cap, redirects checked before the body is read,
// and the error every sync step reports with its reason.
import type { SyncErrorReason } from '../core/messages.ts';
import { redirectProblem } from '../core/sync.ts';

export class SyncError extends Error {
  constructor(
    readonly reason: SyncErrorReason,
    message: string,
  ) {
    super(message);
  }
}

export interface Fetched {
  readonly status: number;
  readonly bytes: Uint8Array;
  readonly etag: string | null;
  readonly lastModified: string | null;
}

/** How many times `timeoutMs` a whole download may take while its server keeps sending. */
export const WHOLE_DOWNLOAD_FACTOR = 20;

/**
 * GET with deadlines and a size cap; the body is read as a stream and abandoned past the cap.
 * `timeoutMs` bounds the wait for the answer and each pause between two parts of the body, so a
 * large list on a slow but steady link still arrives (25 MB in 30 s would need 7 Mbit/s); the whole
 * download is bounded by `WHOLE_DOWNLOAD_FACTOR` times it, so a trickle cannot hold the sync.
 * Redirects are followed (what both browsers' fetch does well), and the address the response came
 * from is checked before its body is read: a redirect that leaves https or http(s) is refused.
 */
export async function fetchCapped(url: string, opts: { timeoutMs: number; maxBytes: number; headers?: Record<string, string> }): Promise<Fetched> {
  const ctrl = new AbortController();
  let cause: 'idle' | 'whole' | null = null;
  const stop = (why: 'idle' | 'whole') => (): void => {
    cause = why;
    ctrl.abort();
  };
  let idle = setTimeout(stop('idle'), opts.timeoutMs);
  const rearm = (): void => {
    clearTimeout(idle);
    idle = setTimeout(stop('idle'), opts.timeoutMs);
  };
  const whole = setTimeout(stop('whole'), opts.timeoutMs * WHOLE_DOWNLOAD_FACTOR);
  const timedOut = (what: string): SyncError =>
    cause === 'whole'
      ? new SyncError('timeout', `${url} took more than ${(opts.timeoutMs * WHOLE_DOWNLOAD_FACTOR) / 1000} s in all`)
      : new SyncError('timeout', `${what} ${url} within ${opts.timeoutMs / 1000} s`);
  try {
    let res: Response;
    try {
      res = await fetch(url, { cache: 'no-store', credentials: 'omit', redirect: 'follow', signal: ctrl.signal, headers: opts.headers ?? {} });
    } catch (e) {
      if (ctrl.signal.aborted) throw timedOut('no answer from');
      throw new SyncError('network', `cannot reach ${url}: ${(e as Error).message}`);
    }
    // The answer came: the body's first part has a wait of its own.
    rearm();
    const redirect = redirectProblem(url, res.url);
    if (redirect) {
      ctrl.abort();
      throw new SyncError('bad-redirect', `${url}: ${redirect}`);
    }
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > opts.maxBytes) {
      ctrl.abort();
      throw new SyncError('oversized', `${url} is ${declared} bytes, over the ${opts.maxBytes}-byte limit`);
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    if (res.body) {
      const reader = res.body.getReader();
      for (;;) {
        let part: ReadableStreamReadResult<Uint8Array>;
        try {
          part = await reader.read();
        } catch (e) {
          if (ctrl.signal.aborted) throw timedOut('nothing more from');
          throw new SyncError('network', `reading ${url} failed: ${(e as Error).message}`);
        }
        if (part.done) break;
        rearm();
        total += part.value.length;
        if (total > opts.maxBytes) {
          ctrl.abort();
          throw new SyncError('oversized', `${url} is over the ${opts.maxBytes}-byte limit`);
        }
        chunks.push(part.value);
      }
    }
    const bytes = new Uint8Array(total);
    let off = 0;
    for (const c of chunks) {
      bytes.set(c, off);
      off += c.length;
    }
    return { status: res.status, bytes, etag: res.headers.get('etag'), lastModified: res.headers.get('last-modified') };
  } finally {
    clearTimeout(idle);
    clearTimeout(whole);
  }
}
