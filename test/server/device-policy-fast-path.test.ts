/**
 * The device sync hot path on a real listener: a 304 or 200 answered before the request
 * reaches the app must carry the same headers and body as the app's, and every other case
 * must still get the app's answer (an unknown or revoked credential).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../helpers/api-client.ts';
import { startServer, type TestServer } from '../helpers/start-server.ts';
import { PalisadeAdmin } from '../e2e/fixtures/palisade-admin.ts';
import { enrollDevice } from '../helpers/enroll-device.ts';

describe('GET /api/v1/device/policy on a real listener', () => {
  let server: TestServer;
  let admin: ApiClient;
  let deviceId: string;
  let credential: string;
  let code: string;
  const policyUrl = () => `${server.url}/api/v1/device/policy`;
  const get = (headers: Record<string, string> = {}) =>
    fetch(policyUrl(), { headers: { authorization: `Bearer ${credential}`, ...headers } });

  beforeAll(async () => {
    server = await startServer();
    const palisade = await PalisadeAdmin.setUp(server, 'staff');
    admin = palisade.api;
    code = palisade.enrollmentCode;
    await palisade.publish({ name: 'P', urlBlocklist: ['a.test'] });
    ({ deviceId, credential } = await palisade.enrollDevice());
  });

  afterAll(() => server?.stop());

  it('answers 304 with the ETag, cache and CORS headers the app sets', async () => {
    const first = await get();
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    const again = await get({ 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(
      Object.fromEntries(
        [...again.headers].filter(([k]) => !['date', 'connection', 'keep-alive'].includes(k)),
      ),
    ).toEqual({
      etag,
      'cache-control': 'private, no-cache',
      'x-content-type-options': 'nosniff',
      'access-control-allow-origin': '*',
      'access-control-expose-headers': 'ETag',
      vary: 'Accept',
    });
  });

  it('answers a stale ETag with the signed envelope, and a bad credential through the app', async () => {
    const fresh = await get({ 'if-none-match': '"stale"' });
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(fresh.headers.get('access-control-expose-headers')).toBe('ETag');
    expect(await fresh.json()).toMatchObject({ alg: 'ES256', payload: expect.any(String) });
    const bad = await fetch(policyUrl(), {
      headers: { authorization: 'Bearer nope', 'if-none-match': '"x"' },
    });
    expect(bad.status).toBe(401);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
  });

  it('stops a device with a wipe pending at its next request, though its 304s came from the index', async () => {
    const other = await enrollDevice(server.url, code);
    const poll = (etag: string) =>
      fetch(policyUrl(), {
        headers: { authorization: `Bearer ${other.credential}`, 'if-none-match': etag },
      });
    const etag = (await poll('"none"')).headers.get('etag')!;
    for (let i = 0; i < 3; i++) expect((await poll(etag)).status).toBe(304);
    await admin.json('POST', `/api/v1/devices/${other.deviceId}/wipe`);
    const res = await poll(etag);
    expect(res.status).toBe(410);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('device_wiped');
    expect((await poll(etag)).status).toBe(401); // the wipe completed: the credential is dead
  });

  it('stops answering a revoked device at once', async () => {
    const etag = (await get()).headers.get('etag')!;
    expect((await get({ 'if-none-match': etag })).status).toBe(304); // held in the index
    await admin.json('POST', `/api/v1/devices/${deviceId}/revoke`);
    const res = await get({ 'if-none-match': etag });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('device_revoked');
  });
});
