import type { Context, Hono, TypedResponse } from 'hono';
import type { StatusCode } from 'hono/utils/http-status';
import type { JSONParsed } from 'hono/utils/types';
import { bodyLimit } from 'hono/body-limit';
import type { z } from 'zod';
import {
  contract,
  type Contract,
  type ContractKey,
  type RouteContract,
} from '../../contract/routes.ts';
import { ROUTES, type RouteKey } from '../auth/access.ts';
import { guard } from '../auth/guard.ts';
import { ApiError } from '../errors.ts';
import type { AppEnv } from '../http/app-env.ts';
import { readJson } from '../http/read-json.ts';
import type { Services } from '../service/services.ts';
import { readQuery } from './read-query.ts';

// The access table and the contract name the same routes: each line fails to compile when
// the other side lacks a key.
const _everyRouteHasAContract: Record<RouteKey, unknown> = {} as Contract;
const _everyContractHasARoute: Record<ContractKey, unknown> = ROUTES;
void [_everyRouteHasAContract, _everyContractHasARoute];

/** Bodies are small unless a route says otherwise. */
export const DEFAULT_BODY_LIMIT = 64 * 1024;

/** The validated value of one part of a route's input, or `undefined` when it takes none. */
type Parsed<K extends RouteKey, Part extends 'body' | 'query'> = Contract[K] extends {
  [P in Part]: infer S extends z.ZodType;
}
  ? z.output<S>
  : undefined;

export interface RouteOptions<Lenient extends boolean = boolean> {
  /** Bodies are limited to DEFAULT_BODY_LIMIT unless the route says otherwise. */
  bodyLimit?: number;
  /**
   * Checks that answer before the input is read: a wiped device is told so whatever it
   * sends, and an upload counts against its rate limit even when its body is bad.
   */
  before?: (c: Context<AppEnv>) => void | Promise<void>;
  /** An invalid query string reaches the handler as `null` instead of being a 400. */
  lenientQuery?: Lenient;
}

/**
 * What a handler is given besides the context: the route's body and query, validated by the
 * schemas contract/ gives its key (`undefined` for a part the contract names none of).
 */
export interface RouteInput<K extends RouteKey, Lenient extends boolean = false> {
  body: Parsed<K, 'body'>;
  query: Lenient extends true ? Parsed<K, 'query'> | null : Parsed<K, 'query'>;
}

/**
 * What a handler returns: for a route whose contract gives a JSON answer, a `c.json(…)` of
 * that answer's type (Hono's TypedResponse carries it), so a field the contract renames or
 * retypes breaks the handler's compile; any Response for the others (and for errors, thrown).
 */
export type RouteAnswer<K extends RouteKey> = Contract[K] extends {
  response: infer S extends z.ZodType;
}
  ? (Response & TypedResponse<JSONParsed<z.output<S>>, StatusCode, 'json'>) | Prebuilt
  : Response;

/** JSON kept serialized, served byte for byte (signed envelopes): its schema is the tests' to check. */
type Prebuilt = Response & TypedResponse<string | null, StatusCode, 'body'>;

export type RouteHandler<K extends RouteKey, Lenient extends boolean = false> = (
  c: Context<AppEnv>,
  input: RouteInput<K, Lenient>,
) => RouteAnswer<K> | Promise<RouteAnswer<K>>;

export type Route = <K extends RouteKey, Lenient extends boolean = false>(
  key: K,
  handler: RouteHandler<K, Lenient>,
  opts?: RouteOptions<Lenient>,
) => void;

/**
 * Registers routes by their key in the access table (`'POST /api/v1/groups'`), so a route
 * cannot exist without an authorization entry, and reads its input with the schemas the
 * contract gives that key: body limit → guard → `before` → query → body → handler. A bad
 * input is a 4xx saying what to fix (read-query.ts, http/read-json.ts), never the
 * handler's concern.
 *
 * @example
 * route('PATCH /api/v1/groups/:id', async (c, { body }) =>
 *   c.json({ group: await groups.update(param(c, 'id'), body) }),
 * );
 */
export function defineRoutes(
  app: Hono<AppEnv>,
  services: Services,
): { route: Route; registered: Set<RouteKey> } {
  const registered = new Set<RouteKey>();
  const route: Route = (key, handler, opts) => {
    if (registered.has(key)) throw new Error(`route ${key} registered twice`);
    const [method, path] = key.split(' ') as [string, string];
    const limit = opts?.bodyLimit ?? DEFAULT_BODY_LIMIT;
    const sizeCheck = bodyLimit({
      maxSize: limit,
      onError: () => {
        throw new ApiError(
          'payload_too_large',
          `The request body is larger than ${formatBytes(limit)}.`,
        );
      },
    });
    const schemas: RouteContract = contract[key];
    const before = opts?.before;
    const lenient = opts?.lenientQuery === true;
    const withInput = async (c: Context<AppEnv>) => {
      if (before) await before(c);
      let query: unknown;
      if (schemas.query && lenient) {
        const parsed = schemas.query.safeParse(c.req.query());
        query = parsed.success ? parsed.data : null;
      } else if (schemas.query) query = readQuery(c, schemas.query);
      const body = schemas.body ? await readJson(c, schemas.body) : undefined;
      // Where the contract's schemas meet the types `Parsed` infers from them.
      return handler(c, { body, query } as Parameters<typeof handler>[1]);
    };
    // Only methods with a body get the size check: reading `req.body` on a GET would make
    // @hono/node-server build a full Request, a cost the device sync's hot path avoids.
    if (method === 'GET' || method === 'DELETE')
      app.on(method, path, guard(ROUTES[key], services), withInput);
    else app.on(method, path, sizeCheck, guard(ROUTES[key], services), withInput);
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
