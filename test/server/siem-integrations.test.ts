import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.ts';
import { blockedNavigation } from './support/audit-events.ts';
import { makeWorld, type World } from './support/world.ts';

/**
 * Destinations and alert rules through the API, on a real SQLite file, with the delivery
 * driven one pass at a time (`services.siem.pass()`) and the clock moved by hand, so the
 * retry schedule is checked without waiting for it.
 */
describe('SIEM integrations and alerts', () => {
  let w: World;
  let hooks: WebhookReceiver;
  beforeEach(async () => {
    w = await makeWorld();
    hooks = await startWebhookReceiver();
  });
  afterEach(async () => {
    await w.t.services.siem.stop();
    await hooks.stop();
    await w.t.close();
  });

  const addWebhook = async (body: Record<string, unknown> = {}) => {
    const res = await w.admin.api.json<{ integration: { id: string }; secret: string }>(
      'POST',
      '/api/v1/integrations',
      { kind: 'webhook', name: 'SIEM', target: { url: hooks.url }, ...body },
    );
    hooks.secret = res.secret;
    return res;
  };
  const upload = (events: unknown[]) =>
    w.device.api.json<{ accepted: number }>('POST', '/api/v1/device/audit', { events });
  const delivered = () => hooks.accepted.flatMap((h) => h.body.data.events);
  const integration = async (id: string) =>
    (
      await w.admin.api.json<{
        integration: {
          hasSecret: boolean;
          secretSealed: boolean;
          delivery: {
            attempts: number;
            lastError: string | null;
            nextAttemptAt: string | null;
            lagEvents: number;
            delivered: number;
          };
        };
      }>('GET', `/api/v1/integrations/${id}`)
    ).integration;

  it('refuses a destination that cannot work, saying what to fix', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ kind: 'webhook', name: 'x', format: 'cef', target: { url: hooks.url } }, /json or ocsf/],
      [{ kind: 'webhook', name: 'x', target: { url: 'ftp://siem.test/' } }, /http\(s\) URL/],
      [
        { kind: 'webhook', name: 'x', target: { url: 'https://u:p@siem.test/' } },
        /without credentials/,
      ],
      [{ kind: 'syslog', name: 'x', target: { host: '127.0.0.1' } }, /port/],
      [{ kind: 'syslog', name: 'x', target: { host: 'a b', port: 514 } }, /host name/],
      [
        { kind: 'syslog', name: 'x', target: { host: 'h', port: 514, tls: true, caPem: 'x' } },
        /PEM/,
      ],
      [{ kind: 'carrier-pigeon', name: 'x' }, /kind/],
    ];
    for (const [body, message] of cases) {
      const res = await w.admin.api.request('POST', '/api/v1/integrations', body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(message);
    }
    // Only admins configure destinations; auditors read the alerts.
    expect((await w.auditor.api.request('GET', '/api/v1/integrations')).status).toBe(403);
    expect((await w.auditor.api.request('GET', '/api/v1/alerts')).status).toBe(200);
  });

  it('shows the signing secret once and keeps it out of every later answer', async () => {
    const { integration: created, secret } = await addWebhook();
    expect(secret).toMatch(/^whsec_/);
    const list = await w.admin.api.request('GET', '/api/v1/integrations');
    const text = await list.text();
    expect(text).not.toContain(secret.slice(6));
    expect(JSON.parse(text)).toMatchObject({ secretsSealed: false });
    expect(await integration(created.id)).toMatchObject({ hasSecret: true, secretSealed: false });
    // Rotating issues a new one, again shown once; deliveries are signed with it.
    const rotated = await w.admin.api.json<{ secret: string }>(
      'PATCH',
      `/api/v1/integrations/${created.id}`,
      {
        rotateSecret: true,
      },
    );
    expect(rotated.secret).not.toBe(secret);
    hooks.secret = rotated.secret;
    await upload([blockedNavigation()]);
    await w.t.services.siem.pass();
    expect((delivered() as { kind: string }[]).filter((e) => e.kind === 'navigation')).toHaveLength(
      1,
    );
    expect(hooks.refused).toEqual([]);
  });

  it('retries a failing webhook with growing, jittered delays, then delivers in order', async () => {
    const { integration: created } = await addWebhook({ format: 'json' });
    hooks.failNext(2);
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    await upload(ids.map((id) => blockedNavigation({ id })));
    const { siem } = w.t.services;

    await siem.pass();
    let state = (await integration(created.id)).delivery;
    expect(state).toMatchObject({
      attempts: 1,
      lastError: 'the webhook answered HTTP 503',
      delivered: 0,
    });
    const firstDelay = Date.parse(state.nextAttemptAt!) - Date.now();
    expect(firstDelay).toBeGreaterThan(400); // 1 s, half of it at least
    expect(firstDelay).toBeLessThanOrEqual(1000);

    await siem.pass(); // too early: no attempt
    expect((await integration(created.id)).delivery.attempts).toBe(1);

    w.t.advance(1000);
    await siem.pass();
    state = (await integration(created.id)).delivery;
    expect(state.attempts).toBe(2);
    const secondDelay = Date.parse(state.nextAttemptAt!) - (Date.now() + 1000);
    expect(secondDelay).toBeGreaterThan(900); // 2 s, half of it at least
    expect(secondDelay).toBeLessThanOrEqual(2000);

    w.t.advance(2000);
    await siem.pass();
    state = (await integration(created.id)).delivery;
    expect(state).toMatchObject({ attempts: 0, lastError: null, lagEvents: 0 });
    const got = delivered() as { id: string; kind: string }[];
    expect(got.filter((e) => e.kind === 'navigation').map((e) => e.id)).toEqual(ids);
    const metrics = w.t.services.ctx.metrics.render();
    expect(metrics).toContain(
      `palisade_siem_failed_attempts{destination="${created.id}",kind="webhook"} 0`,
    );
    expect(metrics).toMatch(/palisade_siem_delivery_failures_total 2/);
  });

  it('raises the alerts admins set and sends only those to an alerts-only destination', async () => {
    await addWebhook({ events: 'alerts', format: 'ocsf' });
    const rules = [
      { name: 'Refused policy', type: 'policy_refused' },
      { name: 'Removed device', type: 'device_removed' },
      { name: 'Silent device', type: 'device_silent' },
      { name: 'Broken chain', type: 'chain_broken' },
      { name: 'Hammering', type: 'rule_blocks', threshold: 3, windowMinutes: 10 },
    ];
    for (const rule of rules) await w.admin.api.json('POST', '/api/v1/alert-rules', rule);
    const bad = await w.admin.api.request('POST', '/api/v1/alert-rules', {
      name: 'x',
      type: 'rule_blocks',
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/threshold/);
    const { siem } = w.t.services;
    await siem.pass(); // the alert engine's cursor starts at the tip: nothing old fires

    // Two blocks: under the threshold. A third within the window fires, once.
    const now = () => new Date(w.t.services.ctx.now()).toISOString();
    await upload([blockedNavigation({ time: now() }), blockedNavigation({ time: now() })]);
    await upload([
      {
        id: randomUUID(),
        time: now(),
        kind: 'policy',
        level: 'BLOCK',
        outcome: 'blocked',
        detail: { reason: 'bad_signature' },
      },
    ]);
    await siem.pass();
    let alerts = (
      await w.auditor.api.json<{ alerts: { type: string; summary: string }[] }>(
        'GET',
        '/api/v1/alerts',
      )
    ).alerts;
    expect(alerts.map((a) => a.type)).toEqual(['policy_refused']);
    expect(alerts[0]!.summary).toMatch(/refused a policy: bad_signature/);

    await upload([blockedNavigation({ time: now() })]);
    await siem.pass();
    await upload([blockedNavigation({ time: now() }), blockedNavigation({ time: now() })]);
    await siem.pass(); // still 3+ in the window, but the rule is quiet after firing
    await w.admin.api.json('POST', `/api/v1/devices/${w.device.id}/revoke`);
    await siem.pass();
    alerts = (
      await w.auditor.api.json<{ alerts: { type: string; summary: string }[] }>(
        'GET',
        '/api/v1/alerts',
      )
    ).alerts;
    expect(alerts.map((a) => a.type).sort()).toEqual([
      'device_removed',
      'policy_refused',
      'rule_blocks',
    ]);
    expect(alerts.find((a) => a.type === 'rule_blocks')!.summary).toMatch(
      /emil@example.com was blocked 3 times by rule example.com within 10 min/,
    );

    // A row rewritten behind the server's back: verification records the break, which alerts.
    w.t.store.db.exec('DROP TRIGGER audit_events_no_update'); // as an intruder with the file would
    w.t.store.db
      .prepare(`UPDATE audit_events SET url = 'https://innocent.test/' WHERE seq = 3`)
      .run();
    const verified = await w.auditor.api.json<{ ok: boolean }>('GET', '/api/v1/audit/verify');
    expect(verified.ok).toBe(false);
    await w.auditor.api.json('GET', '/api/v1/audit/verify'); // once per break, not per check
    await siem.pass();
    await siem.pass(); // the alerts raised in a pass go out with the next
    alerts = (
      await w.auditor.api.json<{ alerts: { type: string; summary: string }[] }>(
        'GET',
        '/api/v1/alerts',
      )
    ).alerts;
    expect(alerts.filter((a) => a.type === 'chain_broken')).toHaveLength(1);

    // The destination got the four alerts, as OCSF Detection Findings, and nothing else.
    const got = delivered() as {
      class_uid: number;
      finding_info: { title: string; types: string[] };
    }[];
    expect(got.map((e) => e.class_uid)).toEqual([2004, 2004, 2004, 2004]);
    expect(got.map((e) => e.finding_info.types[0]).sort()).toEqual([
      'chain_broken',
      'device_removed',
      'policy_refused',
      'rule_blocks',
    ]);
  });

  it('alerts on a device gone silent, from the event the device-silence job records', async () => {
    await w.admin.api.json('POST', '/api/v1/alert-rules', {
      name: 'Silent',
      type: 'device_silent',
    });
    await w.t.services.siem.pass();
    // What the device-liveness job writes when a device stops reporting.
    await w.t.services.audit.record('system', 'device.silent', `device:${w.device.id}`, {
      minutes: 30,
    });
    await w.t.services.siem.pass();
    const { alerts } = await w.admin.api.json<{ alerts: { subject: string; summary: string }[] }>(
      'GET',
      '/api/v1/alerts',
    );
    expect(alerts).toMatchObject([
      {
        subject: w.device.id,
        summary: `Device ${w.device.id} has gone silent (no report for 30 min)`,
      },
    ]);
  });

  it('looks at what comes after a rule is turned on, not at what came while none was', async () => {
    const { alertRule } = await w.admin.api.json<{ alertRule: { id: string } }>(
      'POST',
      '/api/v1/alert-rules',
      { name: 'Hammering', type: 'rule_blocks', threshold: 3, windowMinutes: 10 },
    );
    const { siem } = w.t.services;
    await siem.pass();
    await w.admin.api.json('PATCH', `/api/v1/alert-rules/${alertRule.id}`, { enabled: false });
    const now = () => new Date(w.t.services.ctx.now()).toISOString();
    const three = () => [1, 2, 3].map(() => blockedNavigation({ time: now() }));
    await upload(three());
    await siem.pass();
    await w.admin.api.json('PATCH', `/api/v1/alert-rules/${alertRule.id}`, { enabled: true });
    await siem.pass();
    expect((await w.admin.api.json<{ alerts: unknown[] }>('GET', '/api/v1/alerts')).alerts).toEqual(
      [],
    );
    w.t.advance(11 * 60_000); // the three before are out of the window
    await upload(three());
    await siem.pass();
    const { alerts } = await w.admin.api.json<{ alerts: { summary: string }[] }>(
      'GET',
      '/api/v1/alerts',
    );
    expect(alerts.map((a) => a.summary)).toEqual([
      'emil@example.com was blocked 3 times by rule example.com within 10 min',
    ]);
  });

  it('seals the signing secret at rest when SECRETS_KEY is set, and still signs with it', async () => {
    await w.t.services.siem.stop();
    await w.t.close();
    w = await makeWorld({ SECRETS_KEY: Buffer.alloc(32, 7).toString('base64') });
    const { integration: created, secret } = await addWebhook();
    const stored = w.t.store.db
      .prepare(`SELECT secret FROM integrations WHERE id = ?`)
      .get(created.id) as {
      secret: string;
    };
    expect(stored.secret).toMatch(/^aes256gcm:/);
    expect(stored.secret).not.toContain(secret.slice(6));
    expect(await integration(created.id)).toMatchObject({ secretSealed: true });
    await upload([blockedNavigation()]);
    await w.t.services.siem.pass();
    expect(hooks.refused).toEqual([]);
    expect((delivered() as { kind: string }[]).some((e) => e.kind === 'navigation')).toBe(true);
  });

  it('keeps rows an enabled destination has not received through retention pruning', async () => {
    // A syslog receiver that is down at first (the webhook's timestamps would go stale
    // across the days this test skips).
    const sink = net.createServer((socket) => socket.resume());
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', () => resolve()));
    const port = (sink.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => sink.close(() => resolve()));
    const { integration: created } = await w.admin.api.json<{ integration: { id: string } }>(
      'POST',
      '/api/v1/integrations',
      { kind: 'syslog', name: 'Down', startAt: 'oldest', target: { host: '127.0.0.1', port } },
    );
    await upload([blockedNavigation(), blockedNavigation()]);
    await w.t.services.siem.pass();
    expect((await w.t.store.getIntegration(created.id))!.state.attempts).toBe(1);
    w.t.advance(3 * 86_400_000);
    expect(await w.t.services.audit.prune(1)).toBe(0); // nothing delivered: nothing pruned
    await new Promise<void>((resolve) => sink.listen(port, '127.0.0.1', () => resolve()));
    try {
      await w.t.services.siem.pass();
      expect((await w.t.store.getIntegration(created.id))!.state.attempts).toBe(0);
      expect(await w.t.services.audit.prune(1)).toBeGreaterThan(2);
    } finally {
      await w.t.services.siem.stop();
      await new Promise<void>((resolve) => sink.close(() => resolve()));
    }
  });
});
