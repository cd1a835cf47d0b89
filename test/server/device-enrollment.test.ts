import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type World } from './support/world.ts';

async function errorCode(res: Response): Promise<string> {
  return ((await res.json()) as { error: { code: string } }).error.code;
}

describe('pairing and managed enrollment', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld();
  });
  afterAll(() => w.t.close());

  const client = { extensionVersion: '1.0.0', platform: 'linux', browser: 'chromium' };

  it('pairs the extension with a single-use token', async () => {
    const { token, expiresAt } = await w.employee.api.json<{ token: string; expiresAt: string }>(
      'POST',
      `/api/v1/me/devices/${w.device.id}/pairing-token`,
    );
    expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(5 * 60_000);
    const ext = w.t.client({ origin: null });
    const grant = await ext.json<{
      deviceId: string;
      credential: string;
      user: { email: string };
      publicKey: { keyId: string };
    }>('POST', '/api/v1/device/pair', { token, ...client });
    expect(grant.deviceId).toBe(w.device.id);
    expect(grant.user.email).toBe('emil@example.com');
    expect(grant.publicKey.keyId).toBe(w.t.services.ctx.signingKey.keyId);
    // Both the PWA's credential and the extension's work.
    expect(
      (await w.t.client({ bearer: grant.credential }).get('/api/v1/device/policy')).status,
    ).toBe(200);
    expect((await w.device.api.get('/api/v1/device/policy')).status).toBe(200);
    const reuse = await ext.post('/api/v1/device/pair', { token, ...client });
    expect(reuse.status).toBe(401);
    expect(await errorCode(reuse)).toBe('token_invalid');
  });

  it('expires pairing tokens after 5 minutes', async () => {
    const { token } = await w.employee.api.json<{ token: string }>(
      'POST',
      `/api/v1/me/devices/${w.device.id}/pairing-token`,
    );
    w.t.advance(5 * 60_000 + 1);
    const res = await w.t
      .client({ origin: null })
      .post('/api/v1/device/pair', { token, ...client });
    expect(await errorCode(res)).toBe('token_invalid');
  });

  it('enrolls a managed device into the code’s group, keeping userEmail as a claim', async () => {
    const ext = w.t.client({ origin: null });
    const grant = await ext.json<{ credential: string; deviceId: string; user: null }>(
      'POST',
      '/api/v1/device/enroll',
      {
        enrollmentCode: w.code.toLowerCase().replace(/-/g, ' '),
        userEmail: 'Someone@Example.com',
        name: 'Library Chromebook 3',
        ...client,
      },
    );
    expect(grant.user).toBeNull();
    const me = await w.t.client({ bearer: grant.credential }).json<{
      device: { managed: boolean; groupName: string; name: string; claimedEmail: string };
      user: null;
    }>('GET', '/api/v1/device/me');
    expect(me).toMatchObject({
      device: {
        managed: true,
        groupName: 'Staff',
        name: 'Library Chromebook 3',
        claimedEmail: 'someone@example.com',
      },
      user: null,
    });
  });

  it('refuses unusable enrollment codes with the precise reason', async () => {
    const ext = w.t.client({ origin: null });
    const bad = await ext.post('/api/v1/device/enroll', {
      enrollmentCode: 'NOPE-NOPE-NOPE',
      ...client,
    });
    expect([bad.status, await errorCode(bad)]).toEqual([401, 'code_invalid']);

    const make = (body: object) =>
      w.admin.api.json<{ enrollmentCode: { id: string; code: string } }>(
        'POST',
        '/api/v1/enrollment-codes',
        {
          groupId: w.group.id,
          ...body,
        },
      );
    const once = (await make({ maxUses: 1 })).enrollmentCode;
    expect(
      (await ext.post('/api/v1/device/enroll', { enrollmentCode: once.code, ...client })).status,
    ).toBe(200);
    const usedUp = await ext.post('/api/v1/device/enroll', {
      enrollmentCode: once.code,
      ...client,
    });
    expect([usedUp.status, await errorCode(usedUp)]).toEqual([410, 'code_used_up']);

    const soon = (
      await make({ expiresAt: new Date(w.t.services.ctx.now() + 60_000).toISOString() })
    ).enrollmentCode;
    w.t.advance(2 * 60_000);
    const expired = await ext.post('/api/v1/device/enroll', {
      enrollmentCode: soon.code,
      ...client,
    });
    expect([expired.status, await errorCode(expired)]).toEqual([410, 'code_expired']);

    const revoked = (await make({})).enrollmentCode;
    await w.admin.api.json('POST', `/api/v1/enrollment-codes/${revoked.id}/revoke`);
    const res = await w.t
      .client()
      .post('/api/v1/enroll/options', { code: revoked.code, name: 'X', email: 'x@example.com' });
    expect([res.status, await errorCode(res)]).toEqual([410, 'code_revoked']);
  });
});

describe('device endpoints from an extension origin', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld();
  });
  afterAll(() => w.t.close());

  it('answers CORS preflights and exposes the ETag (no cookies involved)', async () => {
    const pre = await w.t.app.request('/api/v1/device/policy', {
      method: 'OPTIONS',
      headers: {
        origin: 'moz-extension://abc',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization,if-none-match',
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/authorization/i);
    const res = await w.t.app.request('/api/v1/device/policy', {
      headers: { origin: 'moz-extension://abc', authorization: `Bearer ${w.device.credential}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-expose-headers')).toMatch(/etag/i);
    const ack = await w.t.app.request('/api/v1/device/ack', {
      method: 'POST',
      headers: {
        origin: 'chrome-extension://abc',
        authorization: `Bearer ${w.device.credential}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ version: 1 }),
    });
    expect(ack.status).toBe(200);
  });
});
