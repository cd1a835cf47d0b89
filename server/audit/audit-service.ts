import type { AuditEvent, StoredAuditEvent } from '../../core/audit/types.ts';
import type { FailedCondition } from '../../core/policy/access/types.ts';
import { validateAuditEvent } from '../../core/audit/validate-audit-event.ts';
import { ApiError } from '../errors.ts';
import { secondsSince } from '../metrics.ts';
import { isoNow, type ServiceContext } from '../service/context.ts';
import type { AuditFilter, DeviceRow, NewAuditRow, UserView } from '../store/types.ts';
import { canonicalJson } from '../util/canonical-json.ts';
import { newId } from '../util/tokens.ts';
import { alertId } from '../siem/alert-id.ts';
import { BLANK_AUDIT_ROW } from './blank-audit-row.ts';
import { ChainSigner } from './chain-signer.ts';
import { CHAIN_VERSION } from './hash-chain.ts';
import { linkAuditRows } from './link-audit-rows.ts';
import { signStatement } from './signed-statement.ts';
import { toStoredEvent } from './stored-event.ts';
import { UploadLimiter } from './upload-limiter.ts';
import { verifyStoredChain, type ChainVerification } from './verify-stored-chain.ts';

export const MAX_BATCH_EVENTS = 1000;
const PAGE = 500;

export interface AccessAuditInput {
  app: { id: string; name: string };
  clientId: string;
  user: Pick<UserView, 'id' | 'email'> | null;
  deviceId: string | null;
  allow: boolean;
  failed: readonly FailedCondition[];
  /** `sign-in` at the interaction, `refresh` when a refresh token is used. */
  phase: 'sign-in' | 'refresh';
  clientAddress: string | null;
  /** Why the device proof was not accepted, when one came and failed. */
  note?: string;
}

/** Who did an admin action: a signed-in person, or the server itself (retention, setup). */
export type Actor = Pick<UserView, 'id' | 'email'> | 'system';

/**
 * The audit trail: device batches and admins' own actions, appended to one hash chain.
 */
export class AuditService {
  readonly signer: ChainSigner;
  /** Per-device upload limits, checked by the upload route. */
  readonly uploads: UploadLimiter;

  constructor(private readonly ctx: ServiceContext) {
    this.signer = new ChainSigner(ctx);
    this.uploads = new UploadLimiter(ctx.config.auditUploadLimits, ctx.now);
  }

  /**
   * At start: signs a checkpoint left unsigned by a version that did not sign them (only
   * while no head was ever signed — afterwards an unsigned checkpoint is a rewritten one),
   * then signs the current head. Rows of chain version 1 are thereby re-anchored: they
   * keep their old hashes, and a signed head now vouches for them.
   */
  async anchor(): Promise<void> {
    const { store } = this.ctx;
    const cp = await store.getAuditCheckpoint();
    if (cp && !cp.signed && !(await store.latestAuditHead())) {
      const signed = await signStatement(this.ctx.signingKey, {
        type: 'palisade.audit.checkpoint',
        seq: cp.seq,
        hash: cp.hash,
        prunedAt: cp.prunedAt,
      });
      await store.signAuditCheckpoint(cp.seq, cp.hash, signed);
    }
    await this.signer.signHead();
  }

  /**
   * Stores a device's batch. Every event is validated first and one bad event rejects the
   * batch (with its index), so nothing partial is written; known event ids are skipped,
   * so a retried batch adds nothing. Resolves after the commit.
   */
  async ingest(
    device: DeviceRow,
    input: unknown[],
  ): Promise<{ accepted: number; duplicates: number }> {
    const start = performance.now();
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
    const result = await this.ctx.store.appendAudit(rows, linkAuditRows);
    this.ctx.metrics.observeIngest(secondsSince(start), { events: rows.length, ...result });
    return result;
  }

  /**
   * Writes an admin action (publish, revoke, role change, login…) to the same chain.
   * `eventId` makes a repeat a no-op: alerts and chain breaks pass one derived from what
   * caused them.
   */
  async record(
    actor: Actor,
    action: string,
    target: string | null,
    detail?: Record<string, string | number | boolean>,
    eventId: string = newId(),
  ) {
    const now = isoNow(this.ctx);
    const row: NewAuditRow = {
      ...BLANK_AUDIT_ROW,
      eventId,
      time: now,
      kind: 'admin',
      receivedAt: now,
      userId: actor === 'system' ? null : actor.id,
      userEmail: actor === 'system' ? null : actor.email,
      actor: actor === 'system' ? 'system' : actor.email,
      adminAction: action,
      target,
      detail: detail ? canonicalJson(detail) : null,
    };
    await this.ctx.store.appendAudit([row], linkAuditRows);
  }

  /**
   * Writes an access decision of the OpenID Provider: who opened which app from which
   * device, allowed or refused, with every failed condition.
   */
  async recordAccess(e: AccessAuditInput): Promise<void> {
    const now = isoNow(this.ctx);
    const detail: Record<string, string> = { phase: e.phase, client: e.clientId };
    if (e.clientAddress) detail.clientAddress = e.clientAddress;
    if (e.failed.length) {
      detail.failed = e.failed.map((f) => f.condition).join(',');
      detail.reasons = e.failed.map((f) => f.message).join(' ');
    }
    if (e.note) detail.note = e.note;
    const row: NewAuditRow = {
      ...BLANK_AUDIT_ROW,
      eventId: newId(),
      time: now,
      kind: 'access',
      receivedAt: now,
      level: e.allow ? null : 'BLOCK',
      outcome: e.allow ? 'allowed' : 'blocked',
      ruleId: e.app.id,
      ruleName: e.app.name,
      deviceId: e.deviceId,
      userId: e.user?.id ?? null,
      userEmail: e.user?.email ?? null,
      target: `client:${e.clientId}`,
      detail: canonicalJson(detail),
    };
    await this.ctx.store.appendAudit([row], linkAuditRows);
  }

  async query(filter: AuditFilter, cursor: number | undefined, limit: number) {
    const rows = await this.ctx.store.listAudit(filter, { order: 'desc', cursor, limit });
    const last = rows[rows.length - 1];
    return {
      events: rows.map(toStoredEvent),
      nextCursor: rows.length === limit && last ? String(last.seq) : null,
    };
  }

  /**
   * Every matching event, oldest first, fetched a page at a time (for streaming exports),
   * up to `throughSeq` when given.
   */
  async *iterate(filter: AuditFilter, throughSeq = Infinity): AsyncGenerator<StoredAuditEvent> {
    let cursor: number | undefined;
    for (;;) {
      const rows = await this.ctx.store.listAudit(filter, { order: 'asc', cursor, limit: PAGE });
      for (const row of rows) {
        if (row.seq > throughSeq) return;
        yield toStoredEvent(row);
      }
      if (rows.length < PAGE) return;
      cursor = rows[rows.length - 1]!.seq;
    }
  }

  /**
   * What a whole-trail export is framed by, so it can be verified offline: the signed
   * checkpoint it starts from (if rows were pruned) and a head signed now, up to which
   * the rows are exported. A chain that no longer agrees with its signed heads gets no new
   * head: it is exported whole, ending on the newest head stored, so that the offline check
   * shows where it breaks.
   */
  async exportFrame() {
    const head = (await this.signer.signHead()) ?? (await this.ctx.store.latestAuditHead());
    const checkpoint = await this.ctx.store.getAuditCheckpoint();
    return { head, checkpoint: checkpoint?.signed ? checkpoint : null };
  }

  /**
   * Verifies the stored chain. A break is itself recorded (`audit.chain_broken`, once per
   * broken seq and reason), so alert rules and the SIEM destinations hear of it.
   */
  async verify(): Promise<ChainVerification> {
    const result = await verifyStoredChain(
      this.ctx.store,
      this.signer.publicKey,
      this.signer.lastSigned,
    );
    if (!result.ok && result.firstBroken) {
      const { seq, reason } = result.firstBroken;
      await this.record(
        'system',
        'audit.chain_broken',
        `seq:${seq}`,
        { seq, reason },
        alertId('audit.chain_broken', String(seq), reason),
      ).catch((err: unknown) =>
        this.ctx.log.error('chain break not recorded', { error: String(err) }),
      );
    }
    return result;
  }

  async stats(from: string | undefined, to: string | undefined) {
    const end = to ?? isoNow(this.ctx);
    const start = from ?? new Date(Date.parse(end) - 7 * 86_400_000).toISOString();
    const bucket = Date.parse(end) - Date.parse(start) <= 2 * 86_400_000 ? 'hour' : 'day';
    return this.ctx.store.auditStats({ from: start, to: end, bucket });
  }

  /**
   * Deletes rows received more than `days` ago. The store keeps a checkpoint — the hash of
   * the last deleted row, signed — so verification still starts from a known link. A
   * chain that does not verify is not pruned: that would delete the evidence.
   */
  async prune(days: number): Promise<number> {
    if (days <= 0) return 0;
    const { store } = this.ctx;
    const cutoff = isoNow(this.ctx, -days * 86_400_000);
    let seq = await store.lastAuditSeqBefore(cutoff);
    if (seq === null) return 0;
    // Rows an enabled SIEM destination has not received yet stay until it has them.
    for (const i of await store.listIntegrations())
      if (i.enabled) seq = Math.min(seq, i.state.cursorSeq);
    if (seq <= ((await store.getAuditCheckpoint())?.seq ?? 0)) return 0;
    const [row] = await store.listAudit({}, { order: 'asc', cursor: seq - 1, limit: 1 });
    if (row?.seq !== seq) return 0;
    const verified = await this.verify();
    if (!verified.ok) {
      this.ctx.log.error('audit chain does not verify; not pruning', { ...verified.firstBroken });
      return 0;
    }
    const prunedAt = isoNow(this.ctx);
    const signed = await signStatement(this.ctx.signingKey, {
      type: 'palisade.audit.checkpoint',
      seq,
      hash: row.hash,
      prunedAt,
    });
    const deleted = await store.pruneAudit({ seq, hash: row.hash, prunedAt, signed });
    if (deleted > 0) {
      await this.record('system', 'audit.prune', `seq:${seq}`, { deleted, retentionDays: days });
      await this.signer.signHead();
    }
    return deleted;
  }
}

/**
 * Written out member by member, in one order, rather than spread over BLANK_AUDIT_ROW: this runs for
 * every event ingested, and the spread-then-overwrite object cost a tenth of ingest's CPU.
 */
function deviceRow(
  e: AuditEvent,
  device: DeviceRow,
  user: UserView | null,
  receivedAt: string,
): NewAuditRow {
  return {
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
    // Stored as its RFC 8785 text: exactly the bytes the hash covers.
    detail: e.detail ? canonicalJson(e.detail) : null,
    receivedAt,
    deviceId: device.id,
    userId: user?.id ?? null,
    userEmail: user?.email ?? null,
    // What the browser's managed configuration says about who uses it: shown as a claim.
    claimedEmail: device.claimedEmail,
    actor: null,
    adminAction: null,
    target: null,
    site: siteOf(e.url),
    hashVersion: CHAIN_VERSION,
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
