import type { AuditEvent, StoredAuditEvent } from '../../core/audit/types.ts';
import { validateAuditEvent } from '../../core/audit/validate-audit-event.ts';
import { ApiError } from '../errors.ts';
import { isoNow, type ServiceContext } from '../service/context.ts';
import type { AuditFilter, DeviceRow, NewAuditRow, UserView } from '../store/types.ts';
import { newId } from '../util/tokens.ts';
import { chainHash, verifyChain, type ChainVerification } from './hash-chain.ts';
import { toStoredEvent } from './stored-event.ts';

export const MAX_BATCH_EVENTS = 1000;
const PAGE = 500;

/** Who did an admin action: a signed-in person, or the server itself (retention, setup). */
export type Actor = Pick<UserView, 'id' | 'email'> | 'system';

/**
 * The audit trail: device batches and admins' own actions, appended to one hash chain.
 */
export class AuditService {
  constructor(private readonly ctx: ServiceContext) {}

  /**
   * Stores a device's batch. Every event is validated first and one bad event rejects the
   * batch (with its index), so nothing partial is written; known event ids are skipped,
   * so a retried batch adds nothing. Resolves after the commit.
   */
  async ingest(
    device: DeviceRow,
    input: unknown[],
  ): Promise<{ accepted: number; duplicates: number }> {
    if (input.length > MAX_BATCH_EVENTS) {
      throw new ApiError(
        'payload_too_large',
        `A batch holds at most ${MAX_BATCH_EVENTS} events; this one has ${input.length}. Send it in parts.`,
      );
    }
    const events: AuditEvent[] = [];
    for (let i = 0; i < input.length; i++) {
      const result = validateAuditEvent(input[i]);
      if (!result.ok) {
        throw new ApiError(
          'validation_failed',
          `events[${i}]: ${result.message}. Nothing in this batch was stored.`,
          {
            details: { index: i, reason: result.message },
          },
        );
      }
      events.push(result.event);
    }
    const user = device.userId ? await this.ctx.store.getUser(device.userId) : null;
    const receivedAt = isoNow(this.ctx);
    const rows = events.map((e) => deviceRow(e, device, user, receivedAt));
    const result = await this.ctx.store.appendAudit(rows, chainHash);
    this.ctx.metrics.auditEventsIngested += result.accepted;
    this.ctx.metrics.auditDuplicates += result.duplicates;
    return result;
  }

  /** Writes an admin action (publish, revoke, role change, login…) to the same chain. */
  async record(
    actor: Actor,
    action: string,
    target: string | null,
    detail?: Record<string, string | number | boolean>,
  ) {
    const now = isoNow(this.ctx);
    const row: NewAuditRow = {
      ...EMPTY,
      eventId: newId(),
      time: now,
      kind: 'admin',
      receivedAt: now,
      userId: actor === 'system' ? null : actor.id,
      userEmail: actor === 'system' ? null : actor.email,
      actor: actor === 'system' ? 'system' : actor.email,
      adminAction: action,
      target,
      detail: detail ? JSON.stringify(detail) : null,
    };
    await this.ctx.store.appendAudit([row], chainHash);
  }

  async query(filter: AuditFilter, cursor: number | undefined, limit: number) {
    const rows = await this.ctx.store.listAudit(filter, { order: 'desc', cursor, limit });
    const last = rows[rows.length - 1];
    return {
      events: rows.map(toStoredEvent),
      nextCursor: rows.length === limit && last ? String(last.seq) : null,
    };
  }

  /** Every matching event, oldest first, fetched a page at a time (for streaming exports). */
  async *iterate(filter: AuditFilter): AsyncGenerator<StoredAuditEvent> {
    let cursor: number | undefined;
    for (;;) {
      const rows = await this.ctx.store.listAudit(filter, { order: 'asc', cursor, limit: PAGE });
      for (const row of rows) yield toStoredEvent(row);
      if (rows.length < PAGE) return;
      cursor = rows[rows.length - 1]!.seq;
    }
  }

  async verify(): Promise<ChainVerification> {
    const checkpoint = await this.ctx.store.getAuditCheckpoint();
    return verifyChain(checkpoint, (afterSeq) =>
      this.ctx.store.listAudit({}, { order: 'asc', cursor: afterSeq, limit: PAGE }),
    );
  }

  async stats(from: string | undefined, to: string | undefined) {
    const end = to ?? isoNow(this.ctx);
    const start = from ?? new Date(Date.parse(end) - 7 * 86_400_000).toISOString();
    const bucket = Date.parse(end) - Date.parse(start) <= 2 * 86_400_000 ? 'hour' : 'day';
    return this.ctx.store.auditStats({ from: start, to: end, bucket });
  }

  /**
   * Deletes rows received more than `days` ago. The store checkpoints the hash of the
   * last deleted row, so verification still starts from a known link.
   */
  async prune(days: number): Promise<number> {
    if (days <= 0) return 0;
    const cutoff = isoNow(this.ctx, -days * 86_400_000);
    const seq = await this.ctx.store.lastAuditSeqBefore(cutoff);
    if (seq === null) return 0;
    const deleted = await this.ctx.store.pruneAudit(seq, isoNow(this.ctx));
    if (deleted > 0)
      await this.record('system', 'audit.prune', `seq:${seq}`, { deleted, retentionDays: days });
    return deleted;
  }
}

const EMPTY: Omit<NewAuditRow, 'eventId' | 'time' | 'kind' | 'receivedAt'> = {
  level: null,
  outcome: null,
  url: null,
  destinationUrl: null,
  ruleId: null,
  ruleName: null,
  action: null,
  policyVersion: null,
  detail: null,
  deviceId: null,
  userId: null,
  userEmail: null,
  actor: null,
  adminAction: null,
  target: null,
  site: null,
};

function deviceRow(
  e: AuditEvent,
  device: DeviceRow,
  user: UserView | null,
  receivedAt: string,
): NewAuditRow {
  return {
    ...EMPTY,
    eventId: e.id,
    // Normalised to UTC so time filters compare correctly whatever offset the device used.
    time: utcIso(e.time),
    kind: e.kind,
    level: e.level,
    outcome: e.outcome,
    url: e.url ?? null,
    destinationUrl: e.destinationUrl ?? null,
    ruleId: e.ruleId ?? null,
    ruleName: e.ruleName ?? null,
    action: e.action ?? null,
    policyVersion: e.policyVersion ?? null,
    detail: e.detail ? JSON.stringify(e.detail) : null,
    receivedAt,
    deviceId: device.id,
    userId: user?.id ?? null,
    userEmail: user?.email ?? null,
    site: siteOf(e.url),
  };
}

const CANONICAL_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The time in UTC ISO form; devices already send it so, and then it is kept as is. */
function utcIso(time: string): string {
  return CANONICAL_UTC.test(time) ? time : new Date(time).toISOString();
}

// A batch repeats a few sites many times; parsing each URL once keeps ingest cheap.
const sites = new Map<string, string | null>();

function siteOf(url: string | undefined): string | null {
  if (!url) return null;
  let site = sites.get(url);
  if (site === undefined) {
    try {
      site = new URL(url).hostname || null;
    } catch {
      site = null;
    }
    if (sites.size >= 10_000) sites.clear();
    sites.set(url, site);
  }
  return site;
}
