// Pages talk to the background through one typed call.
import type { Request, ResponseTo } from '../core/messages.ts';
import { sendMessage } from '../platform/extension-api.ts';

export async function ask<R extends Request>(req: R): Promise<ResponseTo<R>> {
  // The worker may be starting: retry briefly rather than showing an error at once.
  let last: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const res = (await sendMessage(req)) as ResponseTo<R> | undefined;
      if (res !== undefined) return res;
      last = new Error('no answer');
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
  }
  throw last instanceof Error ? last : new Error(String(last));
}
