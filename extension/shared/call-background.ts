import type { PagePlatform } from '../platform/types.ts';
import type { BackgroundType, RequestOf, ResponseOf } from './messages.ts';
import { asReply, fail, type Reply } from './reply.ts';

/**
 * Sends one catalogue message to the background and returns its reply. A worker that was
 * stopped is started by the message; a failure to deliver becomes an `internal` reply
 * rather than an exception, so callers handle one shape.
 */
export async function callBackground<K extends BackgroundType>(
  platform: PagePlatform,
  type: K,
  body: RequestOf<K>,
): Promise<Reply<ResponseOf<K>>> {
  try {
    return asReply<ResponseOf<K>>(await platform.runtime.sendMessage({ type, body }));
  } catch (error) {
    return fail('internal', error instanceof Error ? error.message : String(error));
  }
}
