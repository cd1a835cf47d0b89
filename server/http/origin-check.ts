import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.ts';
import type { AppEnv } from './app-env.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request forgery defence for people's requests: a state-changing request
 * must come from the server's own origin. SameSite=Strict cookies already stop most of
 * it; this also covers same-site attackers (another app on a sibling subdomain).
 * Device endpoints are exempt: the extension calls them from its own origin with a
 * bearer credential, which a forging page cannot attach.
 */
export function originCheck(origin: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!SAFE.has(c.req.method) && !c.req.path.startsWith('/api/v1/device/')) {
      const got = c.req.header('origin');
      if (got !== origin) {
        throw new ApiError(
          'bad_origin',
          got
            ? `Requests from ${got} are not accepted; use ${origin}.`
            : `The Origin header is missing; use ${origin}.`,
        );
      }
    }
    return next();
  };
}
