import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../helpers/api-client.ts';
import { enrollWithCode, login, registerWithLink } from '../helpers/passkey-flows.ts';
import { SoftAuthenticator } from '../helpers/soft-authenticator.ts';
import { blockedNavigation } from './support/audit-events.ts';
import { makeWorld, newDevice, type World } from './support/world.ts';

/**
 * Identity is proven, not claimed (the trust-boundaries findings, section 1): each test
 * replays an attack that worked when an email typed next to a shared enrollment code, or
 * written in managed storage, was taken as proof of who someone is.
 */
const client = { extensionVersion: '1.0.0', platform: 'linux', browser: 'chromium' };

async function error(res: Response) {
  return { status: res.status, ...((await res.json()) as { error: { code: string } }).error };
}

describe('proven identity', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld();
  });
  afterAll(() => w.t.close());

  const enrollManaged = (userEmail: string) =>
    w.t
      .client({ origin: null })
      .json<{ deviceId: string; credential: string; user: unknown }>(
        'POST',
        '/api/v1/device/enroll',
        { enrollmentCode: w.code, userEmail, ...client },
      );

  it('a group code and the admin’s email do not make a device the admin’s', async () => {
    const grant = await enrollManaged('ada@example.com');
    // The answer says nothing about whether the account exists…
    const unknown = await enrollManaged('nobody-here@example.com');
    expect(grant.user).toBeNull();
    expect(Object.keys(grant).sort()).toEqual(Object.keys(unknown).sort());
    // …and the device's events are stamped with no one's identity.
    const device = w.t.client({ origin: null, bearer: grant.credential });
    await device.json('POST', '/api/v1/device/audit', {
      events: [
        blockedNavigation({
          time: new Date().toISOString(),
          url: 'https://bad.test/',
          ruleId: 'bad.test',
        }),
      ],
    });
    const { events } = await w.admin.api.json<{
      events: { userId?: string; userEmail?: string }[];
    }>('GET', `/api/v1/audit?deviceId=${grant.deviceId}`);
    expect(events).toHaveLength(1);
    expect(events[0]).not.toHaveProperty('userId');
    expect(events[0]).not.toHaveProperty('userEmail');
    // The trail keeps the claim as a claim, inside the hash like every column.
    expect(events[0]).toMatchObject({ claimedEmail: 'ada@example.com' });
    const verified = await w.admin.api.json<{ ok: boolean }>('GET', '/api/v1/audit/verify');
    expect(verified.ok).toBe(true);
    // The admin's console shows the email as a claim on the device, linked to nobody.
    const { device: seen } = await w.admin.api.json<{ device: object }>(
      'GET',
      `/api/v1/devices/${grant.deviceId}`,
    );
    expect(seen).toMatchObject({ userId: null, claimedEmail: 'ada@example.com' });
  });

  it('pre-registering bob@ with a shared code does not hand Bob’s managed browser to the attacker', async () => {
    const attacker = w.t.client();
    const user = await enrollWithCode(attacker, w.code, new SoftAuthenticator(), {
      name: 'Not Bob',
      email: 'bob@example.com',
    });
    expect(user).toMatchObject({ emailVerified: false });
    const bobs = await enrollManaged('bob@example.com');
    const { devices } = await attacker.json<{ devices: { id: string }[] }>(
      'GET',
      '/api/v1/me/devices',
    );
    expect(devices.map((d) => d.id)).not.toContain(bobs.deviceId);
    const pair = await attacker.post(`/api/v1/me/devices/${bobs.deviceId}/pairing-token`, {});
    expect(await error(pair)).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('a managed browser’s device cannot be paired again, even by its owner', async () => {
    const grant = await enrollManaged('emil@example.com');
    await claim(w.employee.api, grant.credential);
    const pair = await w.employee.api.post(
      `/api/v1/me/devices/${grant.deviceId}/pairing-token`,
      {},
    );
    expect(await error(pair)).toMatchObject({ status: 409, code: 'conflict' });
  });

  async function claim(person: ApiClient, credential: string) {
    const { token } = await person.json<{ token: string }>('POST', '/api/v1/me/device-claims');
    return w.t.client({ origin: null, bearer: credential }).post('/api/v1/device/claim', { token });
  }

  it('a device becomes a user’s only when the user proves it with their session', async () => {
    const grant = await enrollManaged('olga@example.com');
    // Emil's claim token cannot take a browser set up for Olga.
    expect(await error(await claim(w.employee.api, grant.credential))).toMatchObject({
      status: 409,
      code: 'conflict',
    });
    const res = await claim(w.other.api, grant.credential);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      device: { id: grant.deviceId, userId: w.other.user.id, claimedEmail: 'olga@example.com' },
      user: { email: 'olga@example.com' },
    });
    // A claim token is single use.
    const { token } = await w.other.api.json<{ token: string }>('POST', '/api/v1/me/device-claims');
    const device = w.t.client({ origin: null, bearer: grant.credential });
    expect((await device.post('/api/v1/device/claim', { token })).status).toBe(200);
    expect(await error(await device.post('/api/v1/device/claim', { token }))).toMatchObject({
      status: 401,
      code: 'token_invalid',
    });
  });

  it('a device may acknowledge only a version the server issued to it', async () => {
    const ack = (version: number) => w.device.api.post('/api/v1/device/ack', { version });
    expect(await error(await ack(999))).toMatchObject({ status: 409, code: 'version_not_issued' });
    const { devices } = await w.admin.api.json<{
      devices: { id: string; appliedVersion: number }[];
    }>('GET', '/api/v1/devices');
    expect(devices.find((d) => d.id === w.device.id)?.appliedVersion).not.toBe(999);
    const envelope = (await (await w.device.api.get('/api/v1/device/policy')).json()) as {
      payload: string;
    };
    const { version } = JSON.parse(envelope.payload) as { version: number };
    expect((await ack(version)).status).toBe(200);
  });

  it('a user has at most the group’s maxDevicesPerUser devices', async () => {
    const api = w.t.client();
    await enrollWithCode(api, w.code, new SoftAuthenticator(), {
      name: 'Many Devices',
      email: 'many@example.com',
    });
    await w.admin.api.json('PATCH', `/api/v1/groups/${w.group.id}`, { maxDevicesPerUser: 2 });
    try {
      await newDevice(w.t, api, 'one');
      await newDevice(w.t, api, 'two');
      const third = await api.post('/api/v1/me/devices', {
        name: 'three',
        platform: 'linux',
        browser: 'chromium',
      });
      expect(await error(third)).toMatchObject({ status: 409, code: 'device_limit' });
      const grant = await enrollManaged('many@example.com');
      expect(await error(await claim(api, grant.credential))).toMatchObject({
        code: 'device_limit',
      });
    } finally {
      await w.admin.api.json('PATCH', `/api/v1/groups/${w.group.id}`, { maxDevicesPerUser: 5 });
    }
  });

  it('a group created today allows five devices a user', async () => {
    const { groups } = await w.admin.api.json<{ groups: { maxDevicesPerUser: number }[] }>(
      'GET',
      '/api/v1/groups',
    );
    expect(groups.every((g) => g.maxDevicesPerUser === 5)).toBe(true);
  });
});

describe('proven emails: invites, approvals and domains', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld();
  });
  afterAll(() => w.t.close());

  it('an admin’s invite proves an email and puts the employee in their group', async () => {
    const { link } = await w.admin.api.json<{ link: string }>('POST', '/api/v1/users/invite', {
      email: 'ivy@example.com',
      role: 'employee',
      name: 'Ivy',
      groupId: w.group.id,
    });
    const user = await registerWithLink(w.t.client(), link, new SoftAuthenticator(), {
      name: 'Ivy',
      email: 'ivy@example.com',
    });
    expect(user).toMatchObject({ role: 'employee', groupId: w.group.id, emailVerified: true });
  });

  it('an employee’s invite needs a group', async () => {
    const res = await w.admin.api.post('/api/v1/users/invite', {
      email: 'nogroup@example.com',
      role: 'employee',
    });
    expect(await error(res)).toMatchObject({ status: 400, code: 'validation_failed' });
  });

  it('an invite takes an email back from an unverified account a shared code made', async () => {
    const squatter = w.t.client();
    const auth = new SoftAuthenticator();
    await enrollWithCode(squatter, w.code, auth, { name: 'Squat', email: 'carol@example.com' });
    const { link } = await w.admin.api.json<{ link: string }>('POST', '/api/v1/users/invite', {
      email: 'carol@example.com',
      role: 'employee',
      groupId: w.group.id,
    });
    const carol = await registerWithLink(w.t.client(), link, new SoftAuthenticator(), {
      name: 'Carol',
      email: 'carol@example.com',
    });
    expect(carol).toMatchObject({ email: 'carol@example.com', emailVerified: true });
    // The squatter's session and passkey are gone with the account.
    expect((await squatter.get('/api/v1/auth/me')).status).toBe(401);
    await expect(login(w.t.client(), auth)).rejects.toThrow();
  });

  it('accounts made with a shared code wait in a queue until an admin approves them', async () => {
    const api = w.t.client();
    const pending = await enrollWithCode(api, w.code, new SoftAuthenticator(), {
      name: 'Pat',
      email: 'pat@example.com',
    });
    expect(pending.emailVerified).toBe(false);
    const { users } = await w.admin.api.json<{ users: { id: string; emailVerified: boolean }[] }>(
      'GET',
      '/api/v1/users',
    );
    expect(users.find((u) => u.id === pending.id)?.emailVerified).toBe(false);
    const { user } = await w.admin.api.json<{ user: object }>(
      'POST',
      `/api/v1/users/${pending.id}/approve`,
    );
    expect(user).toMatchObject({ emailVerified: true });
    const me = await api.json<{ user: object }>('GET', '/api/v1/auth/me');
    expect(me.user).toMatchObject({ emailVerified: true });
    // A verified account is never removed by a rejection.
    const reject = await w.admin.api.post(`/api/v1/users/${pending.id}/reject`, {});
    expect(await error(reject)).toMatchObject({ status: 409 });
  });

  it('rejecting an unverified account removes it and revokes its devices', async () => {
    const api = w.t.client();
    const user = await enrollWithCode(api, w.code, new SoftAuthenticator(), {
      name: 'Rex',
      email: 'rex@example.com',
    });
    const device = await newDevice(w.t, api, 'Rex laptop');
    expect((await w.admin.api.post(`/api/v1/users/${user.id}/reject`, {})).status).toBe(200);
    expect((await api.get('/api/v1/auth/me')).status).toBe(401);
    expect(await error(await device.api.get('/api/v1/device/policy'))).toMatchObject({
      code: 'device_revoked',
    });
  });

  it('a code restricted to a domain takes only addresses there', async () => {
    const { enrollmentCode } = await w.admin.api.json<{
      enrollmentCode: { code: string; emailDomain: string };
    }>('POST', '/api/v1/enrollment-codes', { groupId: w.group.id, emailDomain: 'Corp.Example' });
    expect(enrollmentCode.emailDomain).toBe('corp.example');
    const outside = await w.t.client().post('/api/v1/enroll/options', {
      code: enrollmentCode.code,
      name: 'Eve',
      email: 'eve@evil.example',
    });
    expect(await error(outside)).toMatchObject({ status: 403, code: 'email_domain' });
    const inside = await enrollWithCode(
      w.t.client(),
      enrollmentCode.code,
      new SoftAuthenticator(),
      {
        name: 'Dana',
        email: 'dana@corp.example',
      },
    );
    expect(inside.emailVerified).toBe(false);
  });

  it('invites a list pasted as CSV, a link per person, or says every problem and invites nobody', async () => {
    const bad = await w.admin.api.post('/api/v1/users/invite/bulk', {
      csv: 'name,email,group\nAl,al@example.com,Staff\nBo,not-an-email,Staff\nCy,cy@example.com,Nope\n',
    });
    const body = (await bad.json()) as {
      error: { code: string; message: string; details: { problems: { line: number }[] } };
    };
    expect(bad.status).toBe(400);
    expect(body.error.message).toMatch(/^line 3: "not-an-email" is not an email address/);
    expect(body.error.details.problems.map((p) => p.line)).toEqual([3, 4]);
    const { users } = await w.admin.api.json<{ users: { email: string }[] }>(
      'GET',
      '/api/v1/users',
    );
    expect(users.map((u) => u.email)).not.toContain('al@example.com');

    const { invites } = await w.admin.api.json<{
      invites: { email: string; name: string; link: string }[];
    }>('POST', '/api/v1/users/invite/bulk', {
      csv: 'Al,al@example.com,staff\r\n"Bo, Jr.",bo@example.com,Staff\r\n',
    });
    expect(invites.map((i) => [i.name, i.email])).toEqual([
      ['Al', 'al@example.com'],
      ['Bo, Jr.', 'bo@example.com'],
    ]);
    const bo = await registerWithLink(w.t.client(), invites[1]!.link, new SoftAuthenticator(), {
      name: 'Bo, Jr.',
      email: 'bo@example.com',
    });
    expect(bo).toMatchObject({ groupId: w.group.id, emailVerified: true, role: 'employee' });
  });
});

describe('secrets at rest and sessions', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld();
  });
  afterAll(() => w.t.close());

  it('stores enrollment codes only hashed, shows each once, and still accepts it typed loosely', async () => {
    const { enrollmentCode } = await w.admin.api.json<{
      enrollmentCode: { id: string; code: string };
    }>('POST', '/api/v1/enrollment-codes', { groupId: w.group.id });
    const db = fs.readFileSync(path.join(w.t.dataDir, 'palisade.db'));
    const wal = fs.existsSync(path.join(w.t.dataDir, 'palisade.db-wal'))
      ? fs.readFileSync(path.join(w.t.dataDir, 'palisade.db-wal'))
      : Buffer.alloc(0);
    for (const file of [db, wal]) expect(file.includes(enrollmentCode.code)).toBe(false);
    const { enrollmentCodes } = await w.admin.api.json<{
      enrollmentCodes: { id: string; code: string | null; hint: string; link: string | null }[];
    }>('GET', '/api/v1/enrollment-codes');
    expect(enrollmentCodes.find((c) => c.id === enrollmentCode.id)).toMatchObject({
      code: null,
      link: null,
      hint: enrollmentCode.code.slice(-4),
    });
    const typed = enrollmentCode.code.toLowerCase().replace(/-/g, ' ');
    const res = await w.t
      .client({ origin: null })
      .post('/api/v1/device/enroll', { enrollmentCode: typed, ...client });
    expect(res.status).toBe(200);
  });

  it('creates every data file readable by the server’s user only', () => {
    for (const f of fs.readdirSync(w.t.dataDir)) {
      const mode = fs.statSync(path.join(w.t.dataDir, f)).mode & 0o777;
      if (f.startsWith('palisade.db') || f.endsWith('.json')) expect([f, mode]).toEqual([f, 0o600]);
    }
  });

  it('removing a passkey ends the sessions it signed in', async () => {
    const api = w.t.client();
    const first = new SoftAuthenticator();
    await enrollWithCode(api, w.code, first, { name: 'Kim', email: 'kim@example.com' });
    const options = await api.json('POST', '/api/v1/auth/passkeys/options');
    const second = new SoftAuthenticator();
    const { passkey } = await api.json<{ passkey: { id: string } }>(
      'POST',
      '/api/v1/auth/passkeys/verify',
      { response: second.create(options as never, 'http://localhost:8787') },
    );
    const lost = w.t.client();
    await login(lost, second); // the session a stolen key started
    expect((await lost.get('/api/v1/auth/me')).status).toBe(200);
    expect((await api.delete(`/api/v1/auth/passkeys/${passkey.id}`)).status).toBe(200);
    expect((await lost.get('/api/v1/auth/me')).status).toBe(401);
    expect((await api.get('/api/v1/auth/me')).status).toBe(200);
  });
});

describe('every admin write is audited', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld();
  });
  afterAll(() => w.t.close());

  it('a draft edit is in the audit trail with the paths it changed', async () => {
    await w.admin.api.json('PUT', `/api/v1/policies/${w.policyId}`, {
      document: { name: 'Baseline', urlBlocklist: ['example.com'] },
    });
    const { events } = await w.auditor.api.json<{
      events: { adminAction?: string; target?: string; detail?: { paths: string } }[];
    }>('GET', '/api/v1/audit?kind=admin');
    const edit = events.find((e) => e.adminAction === 'policy.update');
    expect(edit).toMatchObject({ target: `policy:${w.policyId}` });
    expect(edit?.detail?.paths).toMatch(/urlBlocklist/);
  });
});
