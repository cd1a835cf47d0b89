import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ContractKey, Contract } from '../../contract/routes.ts';
import { ROUTES, type RouteKey } from '../auth/access.ts';
import { guard } from '../auth/guard.ts';
import { ApiError } from '../errors.ts';
import type { AppEnv } from '../http/app-env.ts';
import type { Services } from '../service/services.ts';

// The access table and the contract name the same routes: each line fails to compile when
// the other side lacks a key.
const _everyRouteHasAContract: Record<RouteKey, unknown> = {} as Contract;
const _everyContractHasARoute: Record<ContractKey, unknown> = ROUTES;
void [_everyRouteHasAContract, _everyContractHasARoute];

/** Bodies are small unless a route says otherwise. */
export const DEFAULT_BODY_LIMIT = 64 * 1024;

export type RouteHandler = (c: Context<AppEnv>) => Response | Promise<Response>;
export type Route = (key: RouteKey, handler: RouteHandler, opts?: { bodyLimit?: number }) => void;

/**
 * Registers routes by their key in the access table (`'POST /api/v1/groups'`), so a route
 * cannot exist without an authorization entry: body limit → guard → handler.
 */
export function defineRoutes(
  app: Hono<AppEnv>,
  services: Services,
): { route: Route; registered: Set<RouteKey> } {
  const registered = new Set<RouteKey>();
  const route: Route = (key, handler, opts = {}) => {
    if (registered.has(key)) throw new Error(`route ${key} registered twice`);
    const [method, path] = key.split(' ') as [string, string];
    const limit = opts.bodyLimit ?? DEFAULT_BODY_LIMIT;
    const sizeCheck = bodyLimit({
      maxSize: limit,
      onError: () => {
        throw new ApiError(
          'payload_too_large',
          `The request body is larger than ${formatBytes(limit)}.`,
        );
      },
    });
    // Only methods with a body get the size check: reading `req.body` on a GET would make
    // @hono/node-server build a full Request, a cost the device sync's hot path avoids.
    if (method === 'GET' || method === 'DELETE')
      app.on(method, path, guard(ROUTES[key], services), handler);
    else app.on(method, path, sizeCheck, guard(ROUTES[key], services), handler);
    registered.add(key);
  };
  return { route, registered };
}

/** A path parameter (Hono always sets the ones its pattern names). */
export function param(c: Context<AppEnv>, name: string): string {
  const value = c.req.param(name);
  if (!value) throw new ApiError('bad_request', `Missing path parameter ${name}.`);
  return value;
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${n / (1024 * 1024)} MB` : `${n / 1024} KB`;
}
