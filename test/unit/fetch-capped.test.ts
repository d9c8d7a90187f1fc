// A feed's download against a stubbed fetch that honours its abort signal, as a browser's does: the
// wait for the answer and for each part of the body, the whole download's bound, the size cap.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchCapped, SyncError } from '../../src/background/fetch-capped.ts';

const URL_A = 'https://feeds.example/IT.json';

afterEach(() => {
  vi.unstubAllGlobals();
});

/** Answers after `answerMs`, then sends `parts` parts of 1 KB, each `gapMs` after the one before. */
function serve(answerMs: number, parts: number, gapMs: number): void {
  vi.stubGlobal('fetch', async (_input: string, init?: RequestInit) => {
    const signal = init?.signal;
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(resolve, answerMs);
      signal?.addEventListener('abort', () => {
        clearTimeout(t);
        reject(new DOMException('aborted', 'AbortError'));
      });
    });
    let i = 0;
    let fail: (e: unknown) => void = () => undefined;
    signal?.addEventListener('abort', () => fail(new DOMException('aborted', 'AbortError')));
    const body = new ReadableStream<Uint8Array>({
      start(ctrl) {
        fail = (e) => ctrl.error(e);
      },
      async pull(ctrl) {
        await new Promise((r) => setTimeout(r, gapMs));
        if (signal?.aborted) return;
        ctrl.enqueue(new Uint8Array(1024));
        if (++i === parts) ctrl.close();
      },
    });
    return new Response(body, { status: 200 });
  });
}

async function reason(p: Promise<unknown>): Promise<[string, string] | null> {
  try {
    await p;
    return null;
  } catch (e) {
    if (!(e instanceof SyncError)) throw e;
    return [e.reason, e.message];
  }
}

describe('download deadlines: the wait for the answer and each part, and the whole', () => {
  it('a slow but steady download longer than the wait arrives whole', async () => {
    // 150 ms to wait for each part; ten parts 30 ms apart take ~300 ms in all.
    serve(0, 10, 30);
    const r = await fetchCapped(URL_A, { timeoutMs: 150, maxBytes: 1 << 20 });
    expect(r.bytes.length).toBe(10 * 1024);
  });

  it('an answer late within its wait leaves the first part a wait of its own', async () => {
    serve(100, 2, 100);
    const r = await fetchCapped(URL_A, { timeoutMs: 150, maxBytes: 1 << 20 });
    expect(r.bytes.length).toBe(2 * 1024);
  });

  it('no answer within the wait', async () => {
    serve(400, 1, 0);
    expect(await reason(fetchCapped(URL_A, { timeoutMs: 100, maxBytes: 1 << 20 }))).toEqual(['timeout', `no answer from ${URL_A} within 0.1 s`]);
  });

  it('a pause longer than the wait ends the download', async () => {
    serve(0, 3, 300);
    expect(await reason(fetchCapped(URL_A, { timeoutMs: 100, maxBytes: 1 << 20 }))).toEqual(['timeout', `nothing more from ${URL_A} within 0.1 s`]);
  });

  it('a trickle is bounded by the whole download`s deadline (20 times the wait)', async () => {
    // Parts every 10 ms never trip the 100 ms wait, but 300 of them outlast 20 × 100 ms.
    serve(0, 300, 10);
    expect(await reason(fetchCapped(URL_A, { timeoutMs: 100, maxBytes: 1 << 20 }))).toEqual(['timeout', `${URL_A} took more than 2 s in all`]);
  });

  it('a body over the cap is abandoned while it streams', async () => {
    serve(0, 10, 0);
    expect((await reason(fetchCapped(URL_A, { timeoutMs: 1000, maxBytes: 4 * 1024 })))?.[0]).toBe('oversized');
  });
});
