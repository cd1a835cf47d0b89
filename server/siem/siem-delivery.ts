import os from 'node:os';
import type { StoredAuditEvent } from '../../core/audit/types.ts';
import { toStoredEvent } from '../audit/stored-event.ts';
import type { ServiceContext } from '../service/context.ts';
import type { AuditRow, IntegrationView, SyslogTarget, WebhookTarget } from '../store/types.ts';
import { randomToken } from '../util/tokens.ts';
import type { AlertEngine } from './alert-engine.ts';
import { drainConsumer } from './drain-consumer.ts';
import type { SecretBox } from './secret-box.ts';
import { SyslogSender } from './syslog-sender.ts';
import { WebhookSender } from './webhook-sender.ts';

export const ALERTS_CONSUMER = 'alerts';

interface Sender {
  send(events: StoredAuditEvent[]): Promise<void>;
  close(): void;
}

/** What `/metrics` shows per destination, refreshed at every pass. */
export interface DestinationGauge {
  id: string;
  kind: string;
  lagEvents: number;
  delivered: number;
  attempts: number;
  lastDeliveredAt: string | null;
}

/** Whether a row is an alert (what an `events: 'alerts'` destination receives). */
export const isAlert = (row: AuditRow) => row.kind === 'admin' && row.adminAction === 'alert';

/**
 * Streams the audit trail to every enabled destination, and runs the alert engine over
 * it, from the cursors in the store (`drainConsumer`). Every instance runs one; the
 * lease on each cursor lets one instance at a time deliver to a destination, and another
 * take over within a lease (30 s) when it stops.
 */
export class SiemDelivery {
  /** This instance, as lease holder. */
  readonly owner = `${os.hostname()}/${process.pid}/${randomToken(6)}`;
  private readonly senders = new Map<string, { version: string; sender: Sender }>();
  private gauges: DestinationGauge[] = [];
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  failures = 0;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly alerts: AlertEngine,
    private readonly secrets: SecretBox,
  ) {}

  start(): void {
    const tick = () => {
      this.pass().finally(() => {
        if (this.timer) this.timer = setTimeout(tick, this.ctx.config.siemPollMs).unref();
      });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    const { store } = this.ctx;
    const names = [ALERTS_CONSUMER, ...[...this.senders.keys()].map((id) => `integration:${id}`)];
    await Promise.all(
      names.map((n) => store.releaseConsumer(n, this.owner).catch(() => undefined)),
    );
    for (const { sender } of this.senders.values()) sender.close();
    this.senders.clear();
  }

  destinations(): DestinationGauge[] {
    return this.gauges;
  }

  /** One pass: alerts first (so what they raise goes out with the next pass), then destinations. */
  pass(): Promise<void> {
    this.running ??= this.passOnce()
      .catch((err: unknown) => this.ctx.log.error('siem pass failed', { error: String(err) }))
      .finally(() => (this.running = null));
    return this.running;
  }

  private async passOnce(): Promise<void> {
    const { store } = this.ctx;
    const rules = await store.listAlertRules();
    if (rules.some((r) => r.enabled)) {
      const [tip] = await store.listAudit({}, { order: 'desc', limit: 1 });
      await store.ensureConsumer(ALERTS_CONSUMER, tip?.seq ?? 0);
      await drainConsumer(store, ALERTS_CONSUMER, this.owner, this.ctx.now, async (rows) =>
        this.alerts.evaluate(rows),
      );
    }
    const integrations = await store.listIntegrations();
    for (const id of this.senders.keys()) {
      if (!integrations.some((i) => i.id === id && i.enabled)) this.dropSender(id);
    }
    await Promise.all(integrations.filter((i) => i.enabled).map((i) => this.deliver(i)));
    await this.refreshGauges(integrations);
  }

  private async deliver(integration: IntegrationView): Promise<void> {
    const name = `integration:${integration.id}`;
    const result = await drainConsumer(
      this.ctx.store,
      name,
      this.owner,
      this.ctx.now,
      async (rows) => {
        const selected = integration.events === 'alerts' ? rows.filter(isAlert) : rows;
        if (selected.length) await this.sender(integration).send(selected.map(toStoredEvent));
        return selected.length;
      },
    );
    if (result.error) {
      this.failures++;
      this.ctx.log.warn('siem delivery failed', {
        integration: integration.id,
        attempts: result.state?.attempts,
        error: result.error,
      });
    } else if (!result.leased) {
      this.dropSender(integration.id); // another instance delivers to it
    }
  }

  private sender(i: IntegrationView): Sender {
    const version = i.updatedAt;
    const held = this.senders.get(i.id);
    if (held && held.version === version) return held.sender;
    held?.sender.close();
    const sender: Sender =
      i.kind === 'syslog'
        ? new SyslogSender(i.target as SyslogTarget, i.format)
        : new WebhookSender(
            i.id,
            i.target as WebhookTarget,
            i.format,
            () => {
              if (!i.secret) throw new Error('the webhook has no signing secret');
              return this.secrets.open(i.secret);
            },
            this.ctx.now,
          );
    this.senders.set(i.id, { version, sender });
    return sender;
  }

  private dropSender(id: string) {
    this.senders.get(id)?.sender.close();
    this.senders.delete(id);
  }

  private async refreshGauges(integrations: IntegrationView[]) {
    const [tip] = await this.ctx.store.listAudit({}, { order: 'desc', limit: 1 });
    const fresh = await this.ctx.store.listIntegrations();
    this.gauges = fresh
      .filter((i) => integrations.some((x) => x.id === i.id))
      .map((i) => ({
        id: i.id,
        kind: i.kind,
        lagEvents: Math.max(0, (tip?.seq ?? 0) - i.state.cursorSeq),
        delivered: i.state.delivered,
        attempts: i.state.attempts,
        lastDeliveredAt: i.state.lastDeliveredAt,
      }));
  }
}
