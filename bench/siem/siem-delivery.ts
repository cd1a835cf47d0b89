/**
 * SIEM delivery throughput: a trail of N stored events streamed from the cursor to real
 * receivers — Debian's rsyslogd over TCP (CEF in RFC 5424, octet-counted) and a local
 * webhook receiver that checks every Standard Webhooks signature (OCSF, batches of 200) —
 * each destination alone, timed from the first pass until its lag is 0. The SQLite store
 * and the services are the server's own; only HTTP ingest is skipped (rows are appended as
 * the audit service appends them).
 *
 *   node --import tsx bench/siem/siem-delivery.ts [--events 20000]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { linkAuditRows } from '../../server/audit/link-audit-rows.ts';
import type { NewAuditRow, UserView } from '../../server/store/types.ts';
import { startRsyslog } from '../../test/helpers/rsyslog.ts';
import { startWebhookReceiver } from '../../test/helpers/webhook-receiver.ts';
import { isMain, numberArgs } from '../lib/args.ts';
import { benchServices } from '../lib/bench-services.ts';
import { fmt, printReport, type BenchReport } from '../lib/report.ts';
import { auditEvents } from '../ingest/audit-events.ts';

const ADMIN: UserView = {
  id: 'bench-admin',
  name: 'Bench',
  email: 'bench@example.com',
  role: 'admin',
  groupId: null,
  groupName: null,
  disabled: false,
  webauthnUserId: 'x',
  emailVerified: true,
  createdAt: new Date().toISOString(),
};

export async function runSiemBench(opts: { events: number }): Promise<BenchReport> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'palisade-bench-siem-'));
  const { store, services } = await benchServices(dataDir);
  const rsyslog = await startRsyslog();
  const hooks = await startWebhookReceiver();
  try {
    const now = new Date().toISOString();
    for (let done = 0; done < opts.events; done += 1000) {
      const rows: NewAuditRow[] = auditEvents(Math.min(1000, opts.events - done), done).map(
        (e) => ({
          eventId: e.id,
          time: now,
          kind: e.kind,
          level: e.level,
          outcome: e.outcome,
          url: e.url ?? null,
          destinationUrl: null,
          ruleId: e.ruleId ?? null,
          ruleName: e.ruleName ?? null,
          action: e.action ?? null,
          policyVersion: e.policyVersion ?? null,
          detail: null,
          receivedAt: now,
          deviceId: 'bench-device',
          userId: 'bench-user',
          userEmail: 'emil@example.com',
          claimedEmail: null,
          actor: null,
          adminAction: null,
          target: null,
          site: new URL(e.url!).hostname,
          hashVersion: 2,
        }),
      );
      await store.appendAudit(rows, linkAuditRows);
    }
    const time = async (body: Parameters<typeof services.integrations.create>[1]) => {
      const created = await services.integrations.create(ADMIN, body);
      if (created.secret) hooks.secret = created.secret;
      const id = created.integration.id;
      const start = performance.now();
      for (;;) {
        await services.siem.pass();
        const i = await services.integrations.get(id);
        if (i.delivery.lagEvents === 0) break;
        if (i.delivery.attempts > 0) throw new Error(`delivery failed: ${i.delivery.lastError}`);
      }
      const seconds = (performance.now() - start) / 1000;
      await services.integrations.update(ADMIN, id, { enabled: false });
      return opts.events / seconds;
    };
    const syslog = await time({
      kind: 'syslog',
      name: 'rsyslog',
      format: 'cef',
      events: 'all',
      enabled: true,
      startAt: 'oldest',
      target: { host: '127.0.0.1', port: rsyslog.port, tls: false, caPem: null, facility: 13 },
    });
    const webhook = await time({
      kind: 'webhook',
      name: 'hooks',
      format: 'ocsf',
      events: 'all',
      enabled: true,
      startAt: 'oldest',
      target: { url: hooks.url },
    });
    // rsyslog writes asynchronously to its file: wait for the last line to land.
    const deadline = Date.now() + 30_000;
    while (rsyslog.lines().length < opts.events && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const received = hooks.accepted.reduce((n, h) => n + h.body.data.events.length, 0);
    return {
      title: `SIEM delivery of ${opts.events.toLocaleString('en')} stored events`,
      command: `node --import tsx bench/siem/siem-delivery.ts --events ${opts.events}`,
      rows: [
        ['syslog (CEF, TCP) to rsyslogd, events / s', fmt.int(syslog)],
        [
          'lines rsyslogd wrote (the events and the destination’s creation)',
          rsyslog.lines().length,
        ],
        ['webhook (OCSF, signed, 200 a POST), events / s', fmt.int(webhook)],
        ['events the webhook receiver accepted (signature checked)', received],
        ['signatures refused', hooks.refused.length],
      ],
      notes: [
        'Throughput from the cursor to the receiver: read, format, send, acknowledge, move the cursor; one destination at a time.',
      ],
    };
  } finally {
    await services.siem.stop();
    await rsyslog.stop();
    await hooks.stop();
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  printReport(await runSiemBench(numberArgs({ events: 20_000 })));
}
