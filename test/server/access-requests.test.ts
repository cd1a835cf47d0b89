import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyExceptionList } from '../../core/exceptions/exception-list.ts';
import { subtle } from '../../server/signing-key.ts';
import { makeWorldWithKey, newDevice, type PinnedKey, type World } from './support/world.ts';

interface RequestJson {
  id: string;
  state: string;
  filter: string;
  scope: string | null;
  expiresAt: string | null;
  note: string | null;
  device: { id: string; name: string | null };
  user: { email: string | null } | null;
}

const ASK = {
  url: 'https://www.social.test',
  blockFilter: 'social.test',
  filter: '.www.social.test',
  reason: 'The support team answers customers there',
};

describe('access requests', () => {
  let w: World;
  let pinned: PinnedKey;
  beforeAll(async () => {
    ({ world: w, pinned } = await makeWorldWithKey());
  });
  afterAll(() => w.t.close());

  const ask = async (device = w.device, body: object = ASK) =>
    (
      await device.api.json<{ request: RequestJson }>(
        'POST',
        '/api/v1/device/access-requests',
        body,
      )
    ).request;
  const decide = (id: string, body: object) =>
    w.admin.api.json<{ request: RequestJson }>(
      'POST',
      `/api/v1/access-requests/${id}/decision`,
      body,
    );
  /** The device's signed exception list, verified as the extension verifies it. */
  const exceptionsOf = async (device: { id: string; api: World['device']['api'] }) => {
    const res = await device.api.get('/api/v1/device/exceptions');
    expect(res.status).toBe(200);
    const check = await verifyExceptionList(subtle, await res.json(), {
      pinned,
      deviceId: device.id,
    });
    if (!check.ok) throw new Error(check.message);
    return check.list.exceptions.map((e) => ({ filter: e.filter, expiresAt: e.expiresAt }));
  };

  it('files a request from a device, once, and puts it in the admin queue', async () => {
    const request = await ask();
    expect(request).toMatchObject({
      state: 'pending',
      filter: '.www.social.test',
      device: { id: w.device.id, name: 'Emil laptop' },
      user: { email: 'emil@example.com' },
    });
    expect((await ask()).id).toBe(request.id); // a reload of the blocked page asks again
    const { requests } = await w.admin.api.json<{ requests: RequestJson[] }>(
      'GET',
      '/api/v1/access-requests?status=pending',
    );
    expect(requests.map((r) => r.id)).toEqual([request.id]);
    expect(await exceptionsOf(w.device)).toEqual([]);
  });

  it.each([
    { body: { ...ASK, filter: '*' }, status: 400, message: /one exact host/ },
    { body: { ...ASK, filter: 'social.test' }, status: 400, message: /leading dot/ },
    { body: { ...ASK, reason: 'hm' }, status: 400, message: /reason/ },
    { body: { ...ASK, reason: 'x'.repeat(501) }, status: 400, message: /reason/ },
  ])(
    'refuses a request with $body.filter / $body.reason.length characters',
    async ({ body, status, message }) => {
      const res = await w.device.api.post('/api/v1/device/access-requests', body);
      expect(res.status).toBe(status);
      expect(JSON.stringify(await res.json())).toMatch(message);
    },
  );

  it('approved for an hour on the device: in its signed list until it expires, then gone', async () => {
    const request = await ask(w.device, { ...ASK, filter: '.hour.test', blockFilter: 'hour.test' });
    const approved = await decide(request.id, {
      decision: 'approve',
      duration: '1h',
      scope: 'device',
    });
    expect(approved.request).toMatchObject({ state: 'approved', scope: 'device' });
    expect(await exceptionsOf(w.device)).toEqual([
      { filter: '.hour.test', expiresAt: approved.request.expiresAt },
    ]);
    // A decided request cannot be decided again.
    const again = await w.admin.api.post(`/api/v1/access-requests/${request.id}/decision`, {
      decision: 'deny',
    });
    expect(again.status).toBe(409);
    w.t.advance(3_600_000);
    try {
      expect(await exceptionsOf(w.device)).toEqual([]);
      const { requests } = await w.device.api.json<{ requests: RequestJson[] }>(
        'GET',
        '/api/v1/device/access-requests',
      );
      expect(requests.find((r) => r.id === request.id)?.state).toBe('expired');
    } finally {
      w.t.advance(-3_600_000);
    }
  });

  it('approved always for the user: every device of that user gets it, no one else', async () => {
    const second = await newDevice(w.t, w.employee.api, 'Emil desktop');
    const othersDevice = await newDevice(w.t, w.other.api, 'Olga laptop');
    const request = await ask(w.device, {
      ...ASK,
      filter: '.always.test',
      blockFilter: 'always.test',
    });
    await decide(request.id, { decision: 'approve', duration: 'always', scope: 'user' });
    for (const d of [w.device, second]) {
      expect(await exceptionsOf(d)).toContainEqual({ filter: '.always.test', expiresAt: null });
    }
    expect(await exceptionsOf(othersDevice)).toEqual([]);
    // Revoked: no longer in any list.
    await decide(request.id, { decision: 'revoke', note: 'Project over' });
    expect(await exceptionsOf(second)).toEqual([]);
  });

  it('denied with a note: the employee sees the state and the note', async () => {
    const request = await ask(w.device, {
      ...ASK,
      filter: '.games.test',
      blockFilter: 'games.test',
    });
    await decide(request.id, { decision: 'deny', note: 'Not for work' });
    const { requests } = await w.employee.api.json<{ requests: RequestJson[] }>(
      'GET',
      '/api/v1/me/access-requests',
    );
    expect(requests.find((r) => r.id === request.id)).toMatchObject({
      state: 'denied',
      note: 'Not for work',
    });
    expect(await exceptionsOf(w.device)).not.toContainEqual(
      expect.objectContaining({ filter: '.games.test' }),
    );
  });

  it('checks the decision body, and who may decide', async () => {
    const request = await ask(w.device, { ...ASK, filter: '.body.test', blockFilter: 'body.test' });
    const bad = await w.admin.api.post(`/api/v1/access-requests/${request.id}/decision`, {
      decision: 'approve',
      duration: '1w',
      scope: 'device',
    });
    expect(bad.status).toBe(400);
    const employee = await w.employee.api.post(`/api/v1/access-requests/${request.id}/decision`, {
      decision: 'approve',
      duration: '1h',
      scope: 'device',
    });
    expect(employee.status).toBe(403);
    expect(
      (await w.admin.api.post('/api/v1/access-requests/nope/decision', { decision: 'deny' }))
        .status,
    ).toBe(404);
  });

  it('records the request and each decision in the audit trail', async () => {
    const { events } = await w.auditor.api.json<{
      events: { adminAction?: string; actor?: string; detail?: Record<string, unknown> }[];
    }>('GET', '/api/v1/audit?kind=admin&limit=200');
    const actions = events.map((e) => e.adminAction).filter((a) => a?.startsWith('access.'));
    expect(new Set(actions)).toEqual(
      new Set(['access.request', 'access.approve', 'access.deny', 'access.revoke']),
    );
    expect(events.find((e) => e.adminAction === 'access.request')).toMatchObject({
      actor: 'emil@example.com',
      detail: expect.objectContaining({ reason: ASK.reason }),
    });
    expect(events.find((e) => e.adminAction === 'access.deny')).toMatchObject({
      actor: 'ada@example.com',
      detail: expect.objectContaining({ note: 'Not for work' }),
    });
  });
});
