import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../helpers/api-client.ts';
import { startRsyslog, type Rsyslog } from '../helpers/rsyslog.ts';
import { startServer, type TestServer } from '../helpers/start-server.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.ts';
import { blockedNavigationBatch } from './support/audit-events.ts';
import { uploadContinuously } from './support/upload-continuously.ts';
import { PalisadeAdmin } from '../e2e/fixtures/palisade-admin.ts';

/**
 * The audit trail streamed to two real receivers — Debian's rsyslogd over TCP (JSON in
 * RFC 5424, octet-counted) and a webhook receiver that checks every Standard Webhooks
 * signature (OCSF) — while devices upload, with a SIGKILL of the server in the middle.
 * After the restart every event the server acknowledged to a device reaches both, and
 * each receiver sees the trail in seq order with no gap: at least once, so a batch cut
 * off by the crash may come twice, but only as a repeat of what came before.
 */
describe('SIEM delivery survives a crash with nothing lost or reordered', () => {
  let server: TestServer;
  let rsyslog: Rsyslog;
  let hooks: WebhookReceiver;
  let admin: PalisadeAdmin;
  let device: ApiClient;

  beforeAll(async () => {
    rsyslog = await startRsyslog();
    hooks = await startWebhookReceiver();
    server = await startServer({
      env: { AUDIT_UPLOADS_PER_MINUTE: '0', AUDIT_EVENTS_PER_MINUTE: '0', SIEM_POLL_MS: '50' },
    });
    admin = await PalisadeAdmin.setUp(server);
    await admin.publish({ name: 'Baseline', urlBlocklist: ['bad.test'] });
    device = await admin.enrollBrowser();
  });
  afterAll(async () => {
    await server?.stop();
    await rsyslog?.stop();
    await hooks?.stop();
    if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
  });

  /** Seq and id of what rsyslog wrote: each line is `<PRI>1 … - {json}`. */
  const syslogEvents = () =>
    rsyslog.lines().map((line) => {
      const e = JSON.parse(line.slice(line.indexOf('{'))) as { seq: number; id: string };
      return { seq: e.seq, id: e.id };
    });
  const webhookEvents = () =>
    hooks.accepted.flatMap((h) =>
      h.body.data.events.map((e) => {
        const meta = e.metadata as { sequence: number; uid: string };
        return { seq: meta.sequence, id: meta.uid };
      }),
    );

  it('delivers every acknowledged event to rsyslog and the webhook, in order, across a SIGKILL', async () => {
    const created = await admin.api.json<{ integration: { id: string } }>(
      'POST',
      '/api/v1/integrations',
      {
        kind: 'syslog',
        name: 'rsyslog',
        format: 'json',
        startAt: 'oldest',
        target: { host: '127.0.0.1', port: rsyslog.port },
      },
    );
    const webhook = await admin.api.json<{ integration: { id: string }; secret: string }>(
      'POST',
      '/api/v1/integrations',
      {
        kind: 'webhook',
        name: 'hooks',
        format: 'ocsf',
        startAt: 'oldest',
        target: { url: hooks.url },
      },
    );
    expect(webhook.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    hooks.secret = webhook.secret;

    const uploads = uploadContinuously(device, blockedNavigationBatch, 3);
    const { acknowledged } = uploads;
    // Mid-stream: devices still uploading, both receivers part-way through the trail.
    while (
      acknowledged.length < 1500 ||
      syslogEvents().length < 200 ||
      webhookEvents().length < 200
    )
      await new Promise((r) => setTimeout(r, 10));
    await server.crash();
    await uploads.stop();

    await server.restart();
    const { integrations } = await admin.api.json<{
      integrations: { id: string; delivery: { lagEvents: number } }[];
    }>('GET', '/api/v1/integrations');
    expect(integrations.map((i) => i.id).sort()).toEqual(
      [created.integration.id, webhook.integration.id].sort(),
    );

    const everyAcked = (got: { id: string }[]) => {
      const ids = new Set(got.map((e) => e.id));
      return acknowledged.filter((id) => !ids.has(id));
    };
    const deadline = Date.now() + 60_000;
    while (
      Date.now() < deadline &&
      (everyAcked(syslogEvents()).length > 0 || everyAcked(webhookEvents()).length > 0)
    )
      await new Promise((r) => setTimeout(r, 100));

    for (const got of [syslogEvents(), webhookEvents()]) {
      expect(everyAcked(got)).toEqual([]);
      // First sightings run 1, 2, 3 … with no gap; anything else is a repeat of a batch
      // already seen (cut off by the crash before its cursor moved).
      const seen = new Map<number, string>();
      const firsts: number[] = [];
      for (const e of got) {
        const before = seen.get(e.seq);
        if (before === undefined) {
          seen.set(e.seq, e.id);
          firsts.push(e.seq);
        } else expect(before).toBe(e.id); // one id per seq, always
      }
      expect(firsts).toEqual(Array.from({ length: firsts.length }, (_, i) => i + 1));
    }
    expect(hooks.refused).toEqual([]);

    // Caught up: the console and /metrics say so.
    let lag = Infinity;
    while (Date.now() < deadline && lag > 0) {
      const res = await admin.api.json<{ integrations: { delivery: { lagEvents: number } }[] }>(
        'GET',
        '/api/v1/integrations',
      );
      lag = Math.max(...res.integrations.map((i) => i.delivery.lagEvents));
      if (lag > 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(lag).toBe(0);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain(
      `palisade_siem_lag_events{destination="${created.integration.id}",kind="syslog"} 0`,
    );
    expect(metrics).toMatch(
      new RegExp(
        `palisade_siem_delivered_events_total\\{destination="${webhook.integration.id}",kind="webhook"\\} [1-9]`,
      ),
    );
    // The secret never reaches the logs.
    expect(server.logs()).not.toContain(webhook.secret);
  }, 150_000);
});
