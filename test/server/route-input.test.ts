import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { RouteHandler, RouteInput } from '../../server/routes/define-route.ts';
import { newDevice, makeWorld, type World } from './support/world.ts';

interface ErrorBody {
  error: { code: string; message: string; details?: { issues: { path: string }[] } };
}

/**
 * route() reads each route's body and query with the schemas contract/ gives its key: the
 * handler sees the parsed values (trimmed, coerced, defaulted), a bad input is a 400 naming
 * what to fix before the handler runs, and a route's `before` checks answer first.
 */
describe('route input from the contract', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld();
  });
  afterAll(() => w.t.close());

  // Checked by `npm run typecheck`: the handler's input and answer types are the contract's.
  it("types each handler's input and answer from the contract", () => {
    expectTypeOf<RouteInput<'POST /api/v1/groups'>['body']>().toEqualTypeOf<{ name: string }>();
    expectTypeOf<RouteInput<'GET /api/v1/groups'>['body']>().toEqualTypeOf<undefined>();
    expectTypeOf<RouteInput<'GET /api/v1/audit'>['query']['limit']>().toEqualTypeOf<number>();
    expectTypeOf<RouteInput<'GET /api/v1/device/uninstalled', true>['query']>().toEqualTypeOf<{
      device: string;
      token: string;
    } | null>();
    const right: RouteHandler<'GET /healthz'> = (c) => c.json({ ok: true as const });
    // @ts-expect-error -- the contract's answer is { ok: true }
    const wrong: RouteHandler<'GET /healthz'> = (c) => c.json({ ok: 'yes' });
    expect([right, wrong]).toHaveLength(2);
  });

  it("hands the handler the schema's output, not the raw body", async () => {
    const { group } = await w.admin.api.json<{ group: { name: string } }>(
      'POST',
      '/api/v1/groups',
      { name: '  Field sales  ' },
    );
    expect(group.name).toBe('Field sales');
  });

  it('refuses a body the contract does not allow, with its path, and changes nothing', async () => {
    const before = await w.admin.api.json<{ groups: unknown[] }>('GET', '/api/v1/groups');
    const res = await w.admin.api.post('/api/v1/groups', { name: 7 });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as ErrorBody;
    expect(error.code).toBe('validation_failed');
    expect(error.message).toMatch(/^name: /);
    const after = await w.admin.api.json<{ groups: unknown[] }>('GET', '/api/v1/groups');
    expect(after.groups).toHaveLength(before.groups.length);
  });

  it('refuses a body on a route whose contract says it takes an empty one', async () => {
    const res = await w.admin.api.post(`/api/v1/devices/${w.device.id}/revoke`, '[1]');
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.code).toBe('validation_failed');
    const { device } = await w.admin.api.json<{ device: { status: string } }>(
      'GET',
      `/api/v1/devices/${w.device.id}`,
    );
    expect(device.status).toBe('active');
  });

  it('coerces and defaults the query, and names the parameter when it is wrong', async () => {
    const ok = await w.admin.api.json<{ alerts: unknown[] }>('GET', '/api/v1/alerts?limit=3');
    expect(Array.isArray(ok.alerts)).toBe(true);
    const res = await w.admin.api.get('/api/v1/alerts?limit=9999');
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as ErrorBody;
    expect(error.code).toBe('validation_failed');
    expect(error.message).toMatch(/^\?limit: /);
    expect(error.details?.issues[0]?.path).toBe('limit');
  });

  it('tells a wiped device so before it reads what the device sent', async () => {
    const d = await newDevice(w.t, w.employee.api, 'Wiped with junk');
    await w.admin.api.json('POST', `/api/v1/devices/${d.id}/wipe`);
    for (const [path, body] of [
      ['/api/v1/device/ack', { version: 'not a number' }],
      ['/api/v1/device/claim', {}],
      ['/api/v1/device/access-requests', { url: 1 }],
      ['/api/v1/device/audit', 'not json'],
    ] as const) {
      const res = await d.api.post(path, body);
      expect(res.status, path).toBe(410);
      expect(((await res.json()) as ErrorBody).error.code, path).toBe('device_wiped');
    }
  });

  it('answers the uninstall page whatever the query, as a prober learns nothing', async () => {
    for (const query of ['', '?device=x', '?device=x&token=short', '?token=' + 'a'.repeat(99)]) {
      const res = await w.t.client().get(`/api/v1/device/uninstalled${query}`);
      expect(res.status, query).toBe(200);
      expect(await res.text()).toContain('Palisade was removed');
    }
  });
});
