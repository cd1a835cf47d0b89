import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyEnvelope, type SignedEnvelope } from '../../core/crypto/envelope.ts';
import { parsePolicyPayload } from '../../core/policy/policy-payload.ts';
import { subtle } from '../../server/signing-key.ts';
import { newDevice, makeWorld, publicKeyOf, type World } from './support/world.ts';

async function errorCode(res: Response): Promise<string> {
  return ((await res.json()) as { error: { code: string } }).error.code;
}

describe('device sync', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld();
  });
  afterAll(() => w.t.close());

  it('serves a signed envelope that verifies against the public key', async () => {
    const res = await w.device.api.get('/api/v1/device/policy');
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toMatch(/^"v\d+-/);
    const envelope = (await res.json()) as SignedEnvelope;
    const key = await publicKeyOf(w);
    const verified = await verifyEnvelope(subtle, envelope, key);
    expect(verified.ok).toBe(true);
    const payload = parsePolicyPayload(envelope.payload)!;
    expect(payload.groupName).toBe('Staff');
    expect(payload.policy.urlBlocklist).toEqual(['example.com', 'bad.test']);
  });

  it('answers 304 to If-None-Match with the current ETag, and 200 after a publish', async () => {
    const first = await w.device.api.get('/api/v1/device/policy');
    const etag = first.headers.get('etag')!;
    const again = await w.device.api.get('/api/v1/device/policy', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);

    await w.admin.api.json('PUT', `/api/v1/policies/${w.policyId}`, {
      document: { name: 'Baseline', urlBlocklist: ['example.com', 'bad.test', 'worse.test'] },
    });
    const { version, diff } = await w.admin.api.json<{
      version: number;
      diff: { path: string; op: string }[];
    }>('POST', `/api/v1/policies/${w.policyId}/publish`);
    expect(diff.length).toBeGreaterThan(0);
    const changed = await w.device.api.get('/api/v1/device/policy', { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    const payload = parsePolicyPayload(((await changed.json()) as SignedEnvelope).payload)!;
    expect(payload.version).toBe(version);
    expect(payload.policy.urlBlocklist).toContain('worse.test');
  });

  it('keeps the DB-only path equal to the cached one', async () => {
    const cached = await w.t.services.envelopes.get(w.group.id);
    const stored = await w.t.services.envelopes.fromStore(w.group.id);
    expect(stored).toEqual(cached);
  });

  it('applies group-targeted policies only to their group', async () => {
    const { group: other } = await w.admin.api.json<{ group: { id: string } }>(
      'POST',
      '/api/v1/groups',
      {
        name: 'Contractors',
      },
    );
    const { policy } = await w.admin.api.json<{ policy: { id: string } }>(
      'POST',
      '/api/v1/policies',
      {
        document: {
          name: 'Staff only',
          targetGroups: ['Staff'],
          urlBlocklist: ['staff-only.test'],
        },
      },
    );
    await w.admin.api.json('POST', `/api/v1/policies/${policy.id}/publish`);
    const staff = parsePolicyPayload(
      ((await w.device.api.json('GET', '/api/v1/device/policy')) as unknown as SignedEnvelope)
        .payload,
    )!;
    expect(staff.policy.urlBlocklist).toContain('staff-only.test');
    const contractors = parsePolicyPayload(
      JSON.parse((await w.t.services.envelopes.get(other.id))!.body).payload,
    )!;
    expect(contractors.policy.urlBlocklist).not.toContain('staff-only.test');
    expect(contractors.policy.urlBlocklist).toContain('example.com'); // the org-wide one
  });

  it('records the applied version and shows rollout progress', async () => {
    const env = (await w.device.api.json(
      'GET',
      '/api/v1/device/policy',
    )) as unknown as SignedEnvelope;
    const version = parsePolicyPayload(env.payload)!.version;
    const extra = await newDevice(w.t, w.other.api, 'Olga laptop');
    expect((await w.device.api.post('/api/v1/device/ack', { version })).status).toBe(200);
    const { groups } = await w.admin.api.json<{
      groups: {
        groupName: string;
        version: number;
        devices: { total: number; current: number; behind: { id: string }[] };
      }[];
    }>('GET', '/api/v1/rollout');
    const staff = groups.find((g) => g.groupName === 'Staff')!;
    expect(staff.version).toBe(version);
    expect(staff.devices.current).toBe(1);
    expect(staff.devices.behind.map((d) => d.id)).toContain(extra.id);
    const me = await w.device.api.json<{ device: { appliedVersion: number } }>(
      'GET',
      '/api/v1/device/me',
    );
    expect(me.device.appliedVersion).toBe(version);
  });

  it('gives the employee their policy for the transparency page', async () => {
    const mine = await w.employee.api.json<{
      envelope: SignedEnvelope;
      version: number;
      policy: { urlBlocklist: string[] };
    }>('GET', '/api/v1/me/policy');
    expect(parsePolicyPayload(mine.envelope.payload)!.version).toBe(mine.version);
    expect(mine.policy.urlBlocklist).toContain('example.com');
  });

  it('revokes a device at once', async () => {
    const d = await newDevice(w.t, w.employee.api, 'To revoke');
    expect((await d.api.get('/api/v1/device/policy')).status).toBe(200);
    await w.admin.api.json('POST', `/api/v1/devices/${d.id}/revoke`);
    const res = await d.api.get('/api/v1/device/policy');
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('device_revoked');
  });

  it('wipes a device: 410 once, then the credential is dead', async () => {
    const d = await newDevice(w.t, w.employee.api, 'To wipe');
    const { device } = await w.admin.api.json<{ device: { status: string } }>(
      'POST',
      `/api/v1/devices/${d.id}/wipe`,
    );
    expect(device.status).toBe('wipe_pending');
    expect((await d.api.post('/api/v1/device/audit', { events: [] })).status).toBe(410);
    const res = await d.api.get('/api/v1/device/policy');
    expect(res.status).toBe(410);
    expect(await errorCode(res)).toBe('device_wiped');
    expect((await d.api.get('/api/v1/device/policy')).status).toBe(401);
    const { devices } = await w.admin.api.json<{ devices: { id: string; status: string }[] }>(
      'GET',
      '/api/v1/devices?status=wiped',
    );
    expect(devices.map((x) => x.id)).toContain(d.id);
  });

  it('searches devices', async () => {
    const { devices } = await w.admin.api.json<{ devices: { name: string }[] }>(
      'GET',
      '/api/v1/devices?q=emil%20lap',
    );
    expect(devices.map((d) => d.name)).toEqual(['Emil laptop']);
  });
});
