import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type RouteKey } from '../../server/auth/access.ts';
import type { ApiClient } from '../helpers/api-client.ts';
import { makeWorld, type World } from './support/world.ts';

/**
 * The API fuzzed from outside, as a hostile caller would: every route, as a person and as a
 * device, with random JSON bodies, random query strings and random ids. Whatever comes in,
 * the answer is never a 5xx, and every error is the documented JSON body. State-changing
 * routes that would end the callers' own sessions or devices are skipped.
 */
const SKIP = new Set<RouteKey>(['POST /api/v1/auth/logout', 'GET /api/v1/device/push']);

const text = fc.string({ unit: 'binary', maxLength: 40 });
const body = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(
    fc.constantFrom(
      'email',
      'name',
      'code',
      'token',
      'role',
      'groupId',
      'version',
      'csv',
      'events',
      'document',
      'url',
      'response',
      'maxDevicesPerUser',
      'emailDomain',
      'challenge',
    ),
    fc.oneof(
      text,
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.jsonValue(), { maxLength: 3 }),
    ),
  ),
  text,
);
const query = fc.dictionary(
  fc.constantFrom(
    'q',
    'status',
    'from',
    'to',
    'limit',
    'cursor',
    'kind',
    'format',
    'challenge',
    'url',
  ),
  text,
  { maxKeys: 3 },
);

describe('fuzzing the HTTP API from outside', () => {
  let w: World;
  let callers: ApiClient[];
  beforeAll(async () => {
    w = await makeWorld();
    callers = [
      w.t.client(),
      w.admin.api,
      w.employee.api,
      w.t.client({ bearer: w.device.credential }),
    ];
  });
  afterAll(() => w.t.close());

  const routes = (Object.keys(ROUTES) as RouteKey[]).filter((k) => !SKIP.has(k));

  it.each(routes)('%s answers no 5xx and only documented errors', async (key) => {
    const [method, pattern] = key.split(' ') as [string, string];
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: callers.length - 1 }),
        body,
        query,
        fc.oneof(
          fc.uuid(),
          text.filter((s) => s.length > 0),
        ),
        async (who, payload, q, id) => {
          const search = new URLSearchParams(q).toString();
          const path =
            pattern.replace(':id', encodeURIComponent(id)) + (search ? `?${search}` : '');
          const res = await callers[who]!.request(
            method,
            path,
            method === 'GET' ? undefined : payload,
          );
          expect(res.status, `${method} ${path}`).toBeLessThan(500);
          if (res.status >= 400) {
            expect(res.headers.get('content-type')).toMatch(/^application\/json/);
            const err = (await res.json()) as { error: { code: unknown; message: unknown } };
            expect(typeof err.error.code).toBe('string');
            expect(typeof err.error.message).toBe('string');
          } else {
            await res.arrayBuffer();
          }
        },
      ),
      { numRuns: 25 },
    );
    // Whatever was thrown at it, the audit chain still verifies.
    const verified = await w.admin.api.json<{ ok: boolean }>('GET', '/api/v1/audit/verify');
    expect(verified.ok).toBe(true);
  });
});
