import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../helpers/api-client.ts';
import { enrollWithCode, registerWithLink } from '../../helpers/passkey-flows.ts';
import { startPostgres, type TestPostgres } from '../../helpers/postgres.ts';
import { SoftAuthenticator } from '../../helpers/soft-authenticator.ts';
import { startServer, type TestServer } from '../../helpers/start-server.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhook-receiver.ts';
import { blockedNavigation } from '../support/audit-events.ts';
import { createGroupWithCode } from '../../helpers/enrollment-code.ts';

interface Delivery {
  leaseOwner: string | null;
  lagEvents: number;
}

/**
 * Two server processes on one PostgreSQL database, both running the delivery loop, and
 * one webhook destination: the lease lets one instance at a time deliver to it, so the
 * receiver sees the trail once and in order; when the holder is killed the other takes
 * over within a lease and nothing acknowledged is lost.
 */
describe('SIEM delivery with two instances on one PostgreSQL', () => {
  let pg: TestPostgres;
  let a: TestServer;
  let b: TestServer;
  let hooks: WebhookReceiver;
  let adminB: ApiClient;
  let deviceA: ApiClient;
  let deviceB: ApiClient;

  beforeAll(async () => {
    pg = await startPostgres();
    hooks = await startWebhookReceiver();
    const env = {
      DATABASE_URL: await pg.createDatabase(),
      RATE_LIMIT_LOGIN: '0',
      SIEM_POLL_MS: '50',
    };
    a = await startServer({ env });
    const origin = a.origin;
    b = await startServer({ env: { ...env, ORIGIN: origin } });
    adminB = new ApiClient(b.url, { origin });
    await registerWithLink(adminB, b.setupLink!, new SoftAuthenticator(), {
      name: 'Ada',
      email: 'ada@example.com',
    });
    const { code: enrollmentCode } = await createGroupWithCode(adminB, 'Staff');
    const employee = new ApiClient(b.url, { origin });
    await enrollWithCode(employee, enrollmentCode, new SoftAuthenticator(), {
      name: 'Emil',
      email: 'emil@example.com',
    });
    const { credential } = await employee.json<{ credential: string }>(
      'POST',
      '/api/v1/me/devices',
      {
        name: 'laptop',
        platform: 'linux',
        browser: 'chromium',
      },
    );
    deviceA = new ApiClient(a.url, { origin: null, bearer: credential });
    deviceB = new ApiClient(b.url, { origin: null, bearer: credential });
  }, 90_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await hooks?.stop();
    await pg?.stop();
  });

  it('delivers once, in order, from one instance at a time, and fails over', async () => {
    const { integration, secret } = await adminB.json<{
      integration: { id: string };
      secret: string;
    }>('POST', '/api/v1/integrations', {
      kind: 'webhook',
      name: 'SIEM',
      startAt: 'oldest',
      target: { url: hooks.url },
    });
    hooks.secret = secret;
    const adminA = new ApiClient(a.url, { origin: a.origin });
    for (const [name, value] of adminB.cookies) adminA.cookies.set(name, value);
    let admin = adminB;
    const delivery = async () =>
      (
        await admin.json<{ integration: { delivery: Delivery } }>(
          'GET',
          `/api/v1/integrations/${integration.id}`,
        )
      ).integration.delivery;
    const acknowledged: string[] = [];
    const upload = async (device: ApiClient) => {
      const events = [
        blockedNavigation({ time: new Date().toISOString() }),
        blockedNavigation({ time: new Date().toISOString() }),
        blockedNavigation({ time: new Date().toISOString() }),
        blockedNavigation({ time: new Date().toISOString() }),
        blockedNavigation({ time: new Date().toISOString() }),
      ];
      const res = await device.request('POST', '/api/v1/device/audit', { events });
      if (res.status === 200) acknowledged.push(...events.map((e) => e.id));
      else await res.arrayBuffer();
    };
    for (let i = 0; i < 40; i++) await upload(i % 2 ? deviceA : deviceB);
    const received = () =>
      hooks.accepted.flatMap((h) => h.body.data.events as { seq: number; id: string }[]);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && (await delivery()).lagEvents > 0)
      await new Promise((r) => setTimeout(r, 50));
    // While both run, exactly once and in order: one lease holder at a time.
    const before = received();
    expect(before.map((e) => e.seq)).toEqual(
      Array.from({ length: before.length }, (_, i) => i + 1),
    );
    const holder = (await delivery()).leaseOwner;
    expect(holder).toMatch(/\/\d+\//);

    // Kill whichever instance holds the lease; keep uploading to the other.
    const holderPid = Number(holder!.split('/')[1]);
    expect([a.pid(), b.pid()]).toContain(holderPid);
    const [dead, aliveDevice, aliveAdmin] =
      a.pid() === holderPid ? [a, deviceB, adminB] : [b, deviceA, adminA];
    admin = aliveAdmin;
    await dead.crash();
    for (let i = 0; i < 20; i++) await upload(aliveDevice);
    while (Date.now() < deadline) {
      const ids = new Set(received().map((e) => e.id));
      if (acknowledged.every((id) => ids.has(id))) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const ids = new Set(received().map((e) => e.id));
    expect(acknowledged.filter((id) => !ids.has(id))).toEqual([]);
    const firsts: number[] = [];
    const seen = new Set<number>();
    for (const e of received()) {
      if (seen.has(e.seq)) continue;
      seen.add(e.seq);
      firsts.push(e.seq);
    }
    expect(firsts).toEqual(Array.from({ length: firsts.length }, (_, i) => i + 1));
    expect(hooks.refused).toEqual([]);
    // The survivor took the lease over.
    const after = (await delivery()).leaseOwner;
    expect(after).not.toBe(holder);
  }, 120_000);
});
