import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignedEnvelope } from '../../../core/crypto/envelope.ts';
import { parsePolicyPayload } from '../../../core/policy/policy-payload.ts';
import { ApiClient } from '../../helpers/api-client.ts';
import { enrollWithCode, registerWithLink } from '../../helpers/passkey-flows.ts';
import { startPostgres, type TestPostgres } from '../../helpers/postgres.ts';
import { SoftAuthenticator } from '../../helpers/soft-authenticator.ts';
import { startServer, type TestServer } from '../../helpers/start-server.ts';
import { openPushSocket } from './push-socket.ts';
import { blockedNavigation } from '../support/audit-events.ts';
import { enrollDevice } from '../../helpers/enroll-device.ts';

/** The last `push relay listening` connection id an instance logged. */
function listenConnection(server: TestServer): string | undefined {
  const ids = server
    .logs()
    .split('\n')
    .filter((line) => line.includes('"push relay listening"'))
    .map((line) => (JSON.parse(line) as { connection: string }).connection);
  return ids.at(-1);
}

async function until(check: () => boolean, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Two server processes on different ports and one PostgreSQL database, as behind a load
 * balancer: both have the same public ORIGIN (WebAuthn checks it), and a client may
 * reach either one with each request.
 */
describe('two instances on one PostgreSQL', () => {
  let pg: TestPostgres;
  let a: TestServer;
  let b: TestServer;
  let origin: string;
  /** The admin's browser, talking to A or to B with the session cookie A set. */
  let adminA: ApiClient;
  let adminB: ApiClient;
  let groupId: string;
  let policyId: string;
  let device: { id: string; credential: string };
  let code: string;

  beforeAll(async () => {
    pg = await startPostgres();
    const env = { DATABASE_URL: await pg.createDatabase(), RATE_LIMIT_LOGIN: '0' };
    a = await startServer({ env });
    origin = a.origin;
    b = await startServer({ env: { ...env, ORIGIN: origin } });
    // Each instance that starts without an admin prints a fresh link and voids the older
    // ones; B started last, so its link is the valid one — used here through A.
    adminA = new ApiClient(a.url, { origin });
    await registerWithLink(adminA, b.setupLink!, new SoftAuthenticator(), {
      name: 'Ada',
      email: 'ada@example.com',
    });
    adminB = new ApiClient(b.url, { origin });
    for (const [name, value] of adminA.cookies) adminB.cookies.set(name, value);

    ({
      group: { id: groupId },
    } = await adminA.json<{ group: { id: string } }>('POST', '/api/v1/groups', { name: 'Staff' }));
    const { enrollmentCode } = await adminB.json<{ enrollmentCode: { code: string } }>(
      'POST',
      '/api/v1/enrollment-codes',
      { groupId },
    );
    code = enrollmentCode.code;
    const employee = new ApiClient(b.url, { origin });
    await enrollWithCode(employee, enrollmentCode.code, new SoftAuthenticator(), {
      name: 'Emil',
      email: 'emil@example.com',
    });
    const registered = await employee.json<{ device: { id: string }; credential: string }>(
      'POST',
      '/api/v1/me/devices',
      { name: 'laptop', platform: 'linux', browser: 'chromium' },
    );
    device = { id: registered.device.id, credential: registered.credential };
    ({
      policy: { id: policyId },
    } = await adminA.json<{ policy: { id: string } }>('POST', '/api/v1/policies', {
      document: { name: 'Baseline', urlBlocklist: ['example.com'] },
    }));
  }, 90_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await pg?.stop();
  });

  it('accepts on B a session created on A, and signs with the same key', async () => {
    const me = await adminB.json<{ user: { email: string; role: string } }>(
      'GET',
      '/api/v1/auth/me',
    );
    expect(me.user).toMatchObject({ email: 'ada@example.com', role: 'admin' });
    const [keyA, keyB] = await Promise.all(
      [a, b].map((s) => new ApiClient(s.url).json<{ keyId: string }>('GET', '/api/v1/public-key')),
    );
    expect(keyB!.keyId).toBe(keyA!.keyId);
  });

  it('pushes a publish on A to a device connected to B, which then fetches it from B', async () => {
    const socket = await openPushSocket(b.url, device.credential);
    try {
      const pushed = socket.next('policy');
      const { version } = await adminA.json<{ version: number }>(
        'POST',
        `/api/v1/policies/${policyId}/publish`,
      );
      expect(await pushed).toMatchObject({ type: 'policy', version });
      const res = await new ApiClient(b.url, { bearer: device.credential }).get(
        '/api/v1/device/policy',
      );
      expect(res.status).toBe(200);
      expect(res.headers.get('etag')).toMatch(new RegExp(`^"v${version}-`));
    } finally {
      socket.close();
    }
  });

  it('makes one verifiable chain of audit batches sent to A and B at once', async () => {
    const deviceOn = (s: TestServer) => new ApiClient(s.url, { bearer: device.credential });
    const batches = Array.from({ length: 8 }, () =>
      Array.from({ length: 25 }, () => blockedNavigation()),
    );
    const retried = batches[0]!; // a batch whose upload was retried against the other instance
    const results = await Promise.all([
      ...batches.map((events, i) =>
        deviceOn(i % 2 ? a : b).json<{ accepted: number }>('POST', '/api/v1/device/audit', {
          events,
        }),
      ),
      deviceOn(a).json<{ accepted: number }>('POST', '/api/v1/device/audit', { events: retried }),
    ]);
    expect(results.reduce((n, r) => n + r.accepted, 0)).toBe(8 * 25);
    for (const admin of [adminA, adminB]) {
      const verified = await admin.json<{ ok: boolean; checked: number }>(
        'GET',
        '/api/v1/audit/verify',
      );
      expect(verified.ok).toBe(true);
      expect(verified.checked).toBeGreaterThan(8 * 25); // the admins' own actions are in it too
    }
  });

  it("still reaches B's devices after B's listening connection was killed, and B listens again", async () => {
    const socket = await openPushSocket(b.url, device.credential);
    try {
      const before = listenConnection(b)!;
      expect(before).toBeDefined();
      await pg.query('SELECT pg_terminate_backend($1)', [Number(before)]);
      // Publish at once: the notification may arrive before B is back or be missed while it
      // is away — then B's re-sync on reconnecting tells the device.
      const pushed = socket.next('policy', 10_000);
      const { version } = await adminA.json<{ version: number }>(
        'POST',
        `/api/v1/policies/${policyId}/publish`,
      );
      expect(await pushed).toMatchObject({ type: 'policy', version });
      await until(() => listenConnection(b) !== before, 'B to listen on a new connection');
      const again = socket.next('policy');
      const second = await adminA.json<{ version: number }>(
        'POST',
        `/api/v1/policies/${policyId}/publish`,
      );
      expect(await again).toMatchObject({ type: 'policy', version: second.version });
    } finally {
      socket.close();
    }
  });

  it('keeps both policies when admins on A and B publish at the same moment', async () => {
    const create = (admin: ApiClient, name: string) =>
      admin.json<{ policy: { id: string } }>('POST', '/api/v1/policies', {
        document: { name, urlBlocklist: [`${name}.test`] },
      });
    const [x, y] = await Promise.all([create(adminA, 'xray'), create(adminB, 'yankee')]);
    const published = await Promise.all([
      adminA.json<{ version: number }>('POST', `/api/v1/policies/${x.policy.id}/publish`),
      adminB.json<{ version: number }>('POST', `/api/v1/policies/${y.policy.id}/publish`),
    ]);
    // Publishes take turns across instances, so the later one signs with the earlier one's
    // policy in it; without that, the newest envelope could miss either.
    const res = await new ApiClient(a.url, { bearer: device.credential }).get(
      '/api/v1/device/policy',
    );
    const payload = parsePolicyPayload(((await res.json()) as SignedEnvelope).payload)!;
    expect(payload.version).toBe(Math.max(...published.map((p) => p.version)));
    expect(payload.policy.sources).toEqual(expect.arrayContaining(['Baseline', 'xray', 'yankee']));
  });

  it("stops a credential on B at its next request after A revokes or wipes it, though B's index held it", async () => {
    const enroll = () => enrollDevice(a.url, code);
    const poll = (credential: string, etag = '"none"') =>
      fetch(`${b.url}/api/v1/device/policy`, {
        headers: { authorization: `Bearer ${credential}`, 'if-none-match': etag },
      });
    const [wiped, revoked, whileAway] = [await enroll(), await enroll(), await enroll()];
    const etag = (await poll(wiped.credential)).headers.get('etag')!;
    for (const d of [wiped, revoked, whileAway]) {
      for (let i = 0; i < 3; i++) expect((await poll(d.credential, etag)).status).toBe(304);
    }

    await adminA.json('POST', `/api/v1/devices/${wiped.deviceId}/wipe`);
    expect((await poll(wiped.credential, etag)).status).toBe(410);
    await adminA.json('POST', `/api/v1/devices/${revoked.deviceId}/revoke`);
    expect((await poll(revoked.credential, etag)).status).toBe(401);

    // B's relay connection dies: a revoke sent meanwhile never reaches B, yet B stops it.
    const before = listenConnection(b)!;
    const dropped = b.logs().split('push relay disconnected').length;
    await pg.query('SELECT pg_terminate_backend($1)', [Number(before)]);
    await until(
      () => b.logs().split('push relay disconnected').length > dropped,
      'B to see its relay connection drop',
    );
    await adminA.json('POST', `/api/v1/devices/${whileAway.deviceId}/revoke`);
    expect((await poll(whileAway.credential, etag)).status).toBe(401);
    await until(() => listenConnection(b) !== before, 'B to listen on a new connection');
    expect((await poll(whileAway.credential, etag)).status).toBe(401);
    expect((await poll(device.credential, etag)).status).toBe(304); // others still sync
  });

  it('tells a device on B that an admin on A revoked it, and closes its socket', async () => {
    const socket = await openPushSocket(b.url, device.credential);
    const revoked = socket.next('command');
    await adminA.json('POST', `/api/v1/devices/${device.id}/revoke`);
    const { command } = (await revoked) as unknown as { command: { payload: string } };
    // The relay carries the command A signed, for this device.
    expect(JSON.parse(command.payload)).toMatchObject({ command: 'revoke', deviceId: device.id });
    expect((await socket.closed).code).toBe(4403);
  });
});
