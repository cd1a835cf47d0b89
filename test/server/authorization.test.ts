import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type Access, type RouteKey } from '../../server/auth/access.ts';
import type { ApiClient } from '../helpers/api-client.ts';
import { login } from '../helpers/passkey-flows.ts';
import { makeWorld, type World } from './support/world.ts';

type Caller = 'anonymous' | 'employee' | 'other' | 'auditor' | 'admin' | 'revokedDevice' | 'device';
const CALLERS: Caller[] = [
  'anonymous',
  'employee',
  'other',
  'auditor',
  'admin',
  'revokedDevice',
  'device',
];

/** What the access table says a caller gets: allowed, 401 or 403. */
function expected(access: Access, caller: Caller): 'allowed' | 401 | 403 {
  if (access.kind === 'public') return 'allowed';
  if (access.kind === 'device') {
    const known = caller === 'device' || (caller === 'revokedDevice' && access.anyStatus);
    return known ? 'allowed' : 401;
  }
  if (caller === 'anonymous' || caller === 'device' || caller === 'revokedDevice') return 401;
  const role = caller === 'other' ? 'employee' : caller;
  return access.roles.includes(role) ? 'allowed' : 403;
}

describe('authorization: every route × every caller', () => {
  let w: World;
  let clients: Record<Caller, ApiClient>;
  beforeAll(async () => {
    w = await makeWorld();
    clients = {
      anonymous: w.t.client(),
      employee: w.employee.api,
      other: w.other.api,
      auditor: w.auditor.api,
      admin: w.admin.api,
      // With the right Origin, so this table tests authorization, not the CSRF check.
      revokedDevice: w.t.client({ bearer: w.revokedDevice.credential }),
      device: w.t.client({ bearer: w.device.credential }),
    };
  });
  afterAll(() => w.t.close());

  const cases = (Object.entries(ROUTES) as [RouteKey, Access][]).flatMap(([key, access]) =>
    CALLERS.map((caller) => ({ key, access, caller, expect: expected(access, caller) })),
  );

  it.each(cases)('$key as $caller → $expect', async ({ key, access, caller, expect: want }) => {
    const [method, pattern] = key.split(' ') as [string, string];
    // Ids that exist where reading is harmless, and unknown ids for state changes, so the
    // table never revokes, publishes or deletes anything it relies on.
    const id = method === 'GET' ? knownId(pattern, w) : 'no-such-id';
    const path = pattern.replace(':id', id);
    const api = clients[caller];
    const res = await api.request(
      method,
      path,
      method === 'GET' || method === 'DELETE' ? undefined : {},
    );
    const body = await res.text();
    if (want === 'allowed') {
      expect([401, 403], `${key} as ${caller}: ${res.status} ${body}`).not.toContain(res.status);
    } else {
      expect(res.status, `${key} as ${caller}: ${body}`).toBe(want);
      const code = (JSON.parse(body) as { error: { code: string } }).error.code;
      if (caller === 'revokedDevice' && access.kind === 'device')
        expect(code).toBe('device_revoked');
      else expect(code).toBe(want === 401 ? 'unauthenticated' : 'forbidden');
    }
    if (key === 'POST /api/v1/auth/logout' && want === 'allowed' && caller !== 'anonymous') {
      const person = { employee: w.employee, other: w.other, auditor: w.auditor, admin: w.admin }[
        caller as 'admin'
      ];
      await login(person.api, person.auth); // put the session back for the rest of the table
    }
  });

  it('an employee cannot reach another employee’s device', async () => {
    const res = await w.other.api.post(`/api/v1/me/devices/${w.device.id}/pairing-token`);
    expect(res.status).toBe(404);
    const { devices } = await w.other.api.json<{ devices: { id: string }[] }>(
      'GET',
      '/api/v1/me/devices',
    );
    expect(devices.map((d) => d.id)).not.toContain(w.device.id);
  });
});

function knownId(pattern: string, w: World): string {
  if (pattern.startsWith('/api/v1/devices/')) return w.device.id;
  if (pattern.startsWith('/api/v1/policies/')) return w.policyId;
  return 'no-such-id';
}
