import os from 'node:os';
import { toStoredEvent } from '../audit/stored-event.ts';
import type { ServiceContext } from '../service/context.ts';
import type { AuditRow, IntegrationView } from '../store/types.ts';
import { randomToken } from '../util/tokens.ts';
import type { AlertEngine } from './alert-engine.ts';
import { createSender, type Sender } from './create-sender.ts';
import { drainConsumer, LEASE_MS } from './drain-consumer.ts';
import type { SecretBox } from './secret-box.ts';

export const ALERTS_CONSUMER = 'alerts';

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
  /** The tip the alert cursor was last moved to while no rule was on. */
  private alertsSkippedTo = -1;

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
    const [last] = await store.listAudit({}, { order: 'desc', limit: 1 });
    const tip = last?.seq ?? 0;
    const rules = await store.listAlertRules();
    if (rules.some((r) => r.enabled)) {
      const state = await store.ensureConsumer(ALERTS_CONSUMER, tip);
      if (state.cursorSeq < tip || state.attempts > 0)
        await drainConsumer(store, ALERTS_CONSUMER, this.owner, this.ctx.now, (rows) =>
          this.alerts.evaluate(rows),
        );
    } else await this.skipAlertsTo(tip);
    const integrations = await store.listIntegrations();
    for (const id of this.senders.keys()) {
      if (!integrations.some((i) => i.id === id && i.enabled)) this.dropSender(id);
    }
    // A destination with nothing new is not even leased: an idle server writes nothing.
    const due = integrations.filter(
      (i) => i.enabled && (i.state.cursorSeq < tip || i.state.attempts > 0),
    );
    await Promise.all(due.map((i) => this.deliver(i)));
    await this.refreshGauges(integrations.filter((i) => i.enabled));
  }

  /**
   * With no rule on, the alert cursor moves to the tip unread, so a rule turned on later
   * looks at what comes from then on, not at everything received meanwhile.
   */
  private async skipAlertsTo(tip: number) {
    const { store } = this.ctx;
    if (tip === this.alertsSkippedTo) return; // nothing new since: no query, no write
    if ((await store.ensureConsumer(ALERTS_CONSUMER, tip)).cursorSeq >= tip) {
      this.alertsSkippedTo = tip;
      return;
    }
    const iso = (ms: number) => new Date(ms).toISOString();
    const state = await store.leaseConsumer(
      ALERTS_CONSUMER,
      this.owner,
      iso(this.ctx.now()),
      iso(this.ctx.now() + LEASE_MS),
    );
    if (
      state &&
      (state.cursorSeq >= tip ||
        (await store.advanceConsumer(ALERTS_CONSUMER, this.owner, {
          from: state.cursorSeq,
          to: tip,
          delivered: 0,
          at: iso(this.ctx.now()),
        })))
    )
      this.alertsSkippedTo = tip;
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
    const sender = createSender(i, this.secrets, this.ctx.now);
    this.senders.set(i.id, { version, sender });
    return sender;
  }

  private dropSender(id: string) {
    this.senders.get(id)?.sender.close();
    this.senders.delete(id);
  }

  private async refreshGauges(enabled: IntegrationView[]) {
    const [tip] = await this.ctx.store.listAudit({}, { order: 'desc', limit: 1 });
    const fresh = new Map((await this.ctx.store.listIntegrations()).map((i) => [i.id, i]));
    this.gauges = enabled.flatMap((i) => {
      const state = fresh.get(i.id)?.state;
      if (!state) return [];
      return [
        {
          id: i.id,
          kind: i.kind,
          lagEvents: Math.max(0, (tip?.seq ?? 0) - state.cursorSeq),
          delivered: state.delivered,
          attempts: state.attempts,
          lastDeliveredAt: state.lastDeliveredAt,
        },
      ];
    });
  }
}
