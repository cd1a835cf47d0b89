import { reduceUrl } from '../../core/audit/reduce-url.ts';
import type { AuditEvent } from '../../core/audit/types.ts';
import { validateAuditEvent } from '../../core/audit/validate-audit-event.ts';
import type { AuditUrlDetail } from '../../core/policy/types.ts';
import type { AuditQueue } from './audit-queue.ts';

/** An event before the recorder gives it an id, a time and the policy's URL detail. */
export type EventInput = Omit<AuditEvent, 'id' | 'time' | 'policyVersion'>;

export interface RecordContext {
  auditUrlDetail: AuditUrlDetail;
  policyVersion?: number;
}

/**
 * Turns an enforcement decision into an audit event and stores it before returning.
 * URLs are reduced to the policy's `auditUrlDetail` here, in one place, so no path
 * forgets it; the event is validated with the server's own rules so the queue never holds
 * something the server would refuse.
 */
export class AuditRecorder {
  constructor(
    private readonly deps: {
      queue: AuditQueue;
      now: () => Date;
      uuid: () => string;
      /** Called after each stored event, e.g. to start an upload. */
      onQueued: () => void;
    },
  ) {}

  async record(input: EventInput, ctx: RecordContext): Promise<AuditEvent> {
    const reduce = (url: string | undefined) =>
      url === undefined ? undefined : clip(reduceUrl(url, ctx.auditUrlDetail), 4096);
    const event: AuditEvent = {
      ...input,
      id: this.deps.uuid(),
      time: this.deps.now().toISOString(),
      url: reduce(input.url),
      destinationUrl: reduce(input.destinationUrl),
      ruleId: clip(input.ruleId, 2048),
      ruleName: clip(input.ruleName, 2048),
      policyVersion: ctx.policyVersion,
    };
    const clean = dropUndefined(event);
    const checked = validateAuditEvent(clean);
    if (!checked.ok)
      throw new Error(`refusing to queue an invalid audit event: ${checked.message}`);
    await this.deps.queue.put(checked.event);
    this.deps.onQueued();
    return checked.event;
  }
}

/** The server caps field lengths; a very long URL is cut rather than the event lost. */
function clip(s: string | undefined, max: number): string | undefined {
  return s === undefined || s.length <= max ? s : s.slice(0, max);
}

/** JSON has no undefined; strip it so validation and the wire see the same object. */
function dropUndefined<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}
