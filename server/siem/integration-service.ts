import type { z } from 'zod';
import type { StoredAuditEvent } from '../../core/audit/types.ts';
import type { AuditService } from '../audit/audit-service.ts';
import { ApiError } from '../errors.ts';
import { isoNow, type ServiceContext } from '../service/context.ts';
import type {
  IntegrationRow,
  IntegrationView,
  SyslogTarget,
  UserView,
  WebhookTarget,
} from '../store/types.ts';
import { newId } from '../util/tokens.ts';
import type { SecretBox } from './secret-box.ts';
import type { siemSchemas } from '../../contract/siem.ts';
import { createSender } from './create-sender.ts';
import { newWebhookSecret } from './sign-webhook.ts';

type NewIntegration = z.output<typeof siemSchemas.newIntegration>;
type IntegrationPatch = z.output<typeof siemSchemas.integrationPatch>;

/** A destination as the API shows it: never its secret, always its delivery state. */
export interface IntegrationJson {
  id: string;
  name: string;
  kind: IntegrationRow['kind'];
  format: IntegrationRow['format'];
  events: IntegrationRow['events'];
  enabled: boolean;
  target: IntegrationRow['target'];
  hasSecret: boolean;
  /** Whether the secret is encrypted at rest (SECRETS_KEY set). */
  secretSealed: boolean;
  createdAt: string;
  updatedAt: string;
  delivery: {
    cursorSeq: number;
    lagEvents: number;
    /** Seconds since the oldest undelivered event was received (0 when caught up). */
    lagSeconds: number;
    delivered: number;
    attempts: number;
    lastError: string | null;
    lastAttemptAt: string | null;
    lastDeliveredAt: string | null;
    nextAttemptAt: string | null;
    /** The instance delivering to it now, if any. */
    leaseOwner: string | null;
  };
}

/** Destinations admins configure: create, list, change, delete, test. */
export class IntegrationService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly audit: AuditService,
    private readonly secrets: SecretBox,
  ) {}

  async list(): Promise<IntegrationJson[]> {
    const tip = await this.tip();
    return Promise.all((await this.ctx.store.listIntegrations()).map((i) => this.json(i, tip)));
  }

  async get(id: string): Promise<IntegrationJson> {
    return this.json(await this.require(id), await this.tip());
  }

  /** Creates it; a webhook's signing secret is in this answer and never again. */
  async create(actor: UserView, body: NewIntegration) {
    const now = isoNow(this.ctx);
    const secret = body.kind === 'webhook' ? newWebhookSecret() : null;
    const row: IntegrationRow = {
      id: newId(),
      name: body.name,
      kind: body.kind,
      format: body.format,
      target: body.target,
      secret: secret ? this.secrets.seal(secret) : null,
      events: body.events,
      enabled: body.enabled,
      createdBy: actor.id,
      createdAt: now,
      updatedAt: now,
    };
    const cursor = body.startAt === 'oldest' ? 0 : ((await this.tip())?.seq ?? 0);
    await this.ctx.store.createIntegration(row, cursor);
    await this.audit.record(actor, 'integration.create', `integration:${row.id}`, {
      kind: row.kind,
      format: row.format,
      events: row.events,
    });
    return { integration: await this.get(row.id), ...(secret ? { secret } : {}) };
  }

  async update(actor: UserView, id: string, patch: IntegrationPatch) {
    const current = await this.require(id);
    if (patch.format === 'cef' && current.kind === 'webhook')
      throw new ApiError(
        'validation_failed',
        'format: a webhook carries json or ocsf (CEF is for syslog).',
      );
    if (patch.target) {
      const isSyslog = 'host' in patch.target;
      if (isSyslog !== (current.kind === 'syslog'))
        throw new ApiError(
          'validation_failed',
          `target: a ${current.kind} destination needs ${current.kind === 'syslog' ? 'host and port' : 'url'}.`,
        );
    }
    if (patch.rotateSecret && current.kind !== 'webhook')
      throw new ApiError('validation_failed', 'rotateSecret: only webhooks have a signing secret.');
    const secret = patch.rotateSecret ? newWebhookSecret() : null;
    await this.ctx.store.updateIntegration(id, {
      name: patch.name,
      format: patch.format,
      events: patch.events,
      enabled: patch.enabled,
      target: patch.target as SyslogTarget | WebhookTarget | undefined,
      ...(secret ? { secret: this.secrets.seal(secret) } : {}),
      updatedAt: isoNow(this.ctx),
    });
    const changed = Object.keys(patch).join(',');
    await this.audit.record(actor, 'integration.update', `integration:${id}`, { changed });
    return { integration: await this.get(id), ...(secret ? { secret } : {}) };
  }

  async delete(actor: UserView, id: string): Promise<void> {
    if (!(await this.ctx.store.deleteIntegration(id)))
      throw new ApiError('not_found', 'There is no such integration.');
    await this.audit.record(actor, 'integration.delete', `integration:${id}`);
  }

  /**
   * Sends one test event to the destination now, outside the stream (the cursor does
   * not move): whether it is reachable and accepts what is sent, and if not, why.
   */
  async test(actor: UserView, id: string): Promise<{ ok: boolean; error: string | null }> {
    const i = await this.require(id);
    const now = isoNow(this.ctx);
    const event: StoredAuditEvent = {
      seq: 0,
      id: newId(),
      time: now,
      kind: 'admin',
      receivedAt: now,
      actor: actor.email,
      adminAction: 'integration.test',
      target: `integration:${i.id}`,
      hashVersion: 2,
      prevHash: '0'.repeat(64),
      hash: '0'.repeat(64),
    };
    const sender = createSender(i, this.secrets, this.ctx.now);
    await this.audit.record(actor, 'integration.test', `integration:${i.id}`);
    try {
      await sender.send([event]);
      return { ok: true, error: null };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    } finally {
      sender.close();
    }
  }

  private async require(id: string): Promise<IntegrationView> {
    const i = await this.ctx.store.getIntegration(id);
    if (!i) throw new ApiError('not_found', 'There is no such integration.');
    return i;
  }

  private async tip() {
    const [tip] = await this.ctx.store.listAudit({}, { order: 'desc', limit: 1 });
    return tip ?? null;
  }

  private async json(i: IntegrationView, tip: { seq: number } | null): Promise<IntegrationJson> {
    const s = i.state;
    const lagEvents = Math.max(0, (tip?.seq ?? 0) - s.cursorSeq);
    let lagSeconds = 0;
    if (lagEvents > 0) {
      const [next] = await this.ctx.store.listAudit(
        {},
        { order: 'asc', cursor: s.cursorSeq, limit: 1 },
      );
      if (next)
        lagSeconds = Math.max(0, Math.round((this.ctx.now() - Date.parse(next.receivedAt)) / 1000));
    }
    return {
      id: i.id,
      name: i.name,
      kind: i.kind,
      format: i.format,
      events: i.events,
      enabled: i.enabled,
      target: i.target,
      hasSecret: i.secret !== null,
      secretSealed: i.secret?.startsWith('aes256gcm:') ?? false,
      createdAt: i.createdAt,
      updatedAt: i.updatedAt,
      delivery: {
        cursorSeq: s.cursorSeq,
        lagEvents,
        lagSeconds,
        delivered: s.delivered,
        attempts: s.attempts,
        lastError: s.lastError,
        lastAttemptAt: s.lastAttemptAt,
        lastDeliveredAt: s.lastDeliveredAt,
        nextAttemptAt: s.nextAttemptAt,
        leaseOwner: s.leaseUntil && Date.parse(s.leaseUntil) > this.ctx.now() ? s.leaseOwner : null,
      },
    };
  }
}
