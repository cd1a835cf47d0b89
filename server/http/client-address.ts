import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * The client's address, for rate limits. `X-Forwarded-For` is believed only when the
 * operator says how many proxies they run in front (TRUST_PROXY = N), and then only the
 * entry the outermost trusted proxy appended: the N-th from the right. Entries further
 * left come from the client, which could otherwise pick a fresh rate-limit key per request.
 */
export function clientAddress(c: Context, trustProxy: number): string {
  if (trustProxy > 0) {
    const hops = c.req.header('x-forwarded-for')?.split(',') ?? [];
    const appended = hops[hops.length - trustProxy]?.trim();
    if (appended) return appended;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // app.request() in tests has no socket
  }
}
