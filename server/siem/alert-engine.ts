import type { AuditService } from '../audit/audit-service.ts';
import { isoNow, type ServiceContext } from '../service/context.ts';
import type { AlertRow, AlertRuleRow, AuditRow } from '../store/types.ts';
import { alertId } from './alert-id.ts';

/** What the device-key work records when a device stops checking in or is removed. */
const SILENT_ACTIONS = new Set(['device.silent']);
const REMOVED_ACTIONS = new Set(['device.removed', 'device.revoke', 'device.wipe']);

interface Firing {
  rule: AlertRuleRow;
  trigger: AuditRow;
  subject: string;
  summary: string;
  /** Extra facts for the alert event's detail. */
  facts?: Record<string, string | number>;
}

/**
 * Turns audit rows into alerts, by the rules admins set. It reads the trail as one more
 * consumer (`alerts`), so every row is looked at at least once, across restarts; an
 * alert's id derives from its rule and the row that raised it, so looking again raises
 * nothing twice. Each alert is appended to the audit trail (kind `admin`, action
 * `alert`), which is how it reaches every destination, in order with the rest.
 */
export class AlertEngine {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly audit: AuditService,
  ) {}

  /** Evaluates a batch of rows (oldest first); resolves to the number of alerts raised. */
  async evaluate(rows: AuditRow[]): Promise<number> {
    const rules = (await this.ctx.store.listAlertRules()).filter((r) => r.enabled);
    if (rules.length === 0) return 0;
    const firings: Firing[] = [];
    for (const rule of rules) {
      if (rule.type === 'rule_blocks') firings.push(...(await this.blocks(rule, rows)));
      else
        for (const row of rows) {
          const f = matchSimple(rule, row);
          if (f) firings.push(f);
        }
    }
    firings.sort((a, b) => a.trigger.seq - b.trigger.seq);
    let raised = 0;
    for (const f of firings) if (await this.fire(f)) raised++;
    return raised;
  }

  /**
   * N blocks of one rule by one user (or, without one, one device) within M minutes: the
   * count is taken at the newest such block of the batch, over the M minutes before it;
   * after firing, the same user and rule stay quiet for M minutes.
   */
  private async blocks(rule: AlertRuleRow, rows: AuditRow[]): Promise<Firing[]> {
    const threshold = rule.threshold ?? 10;
    const windowMs = (rule.windowMinutes ?? 10) * 60_000;
    const latest = new Map<string, AuditRow>();
    for (const row of rows) {
      if (row.outcome !== 'blocked' || !row.ruleId) continue;
      if (row.kind === 'admin' || row.kind === 'policy') continue;
      if (rule.policyRuleId && row.ruleId !== rule.policyRuleId) continue;
      if (!row.userId && !row.deviceId) continue;
      latest.set(subjectOf(row), row);
    }
    const out: Firing[] = [];
    for (const [subject, row] of latest) {
      const last = await this.ctx.store.lastAlert(rule.id, subject);
      if (last && Date.parse(last.firedAt) > Date.parse(row.receivedAt) - windowMs) continue;
      const from = new Date(Date.parse(row.time) - windowMs).toISOString();
      const recent = await this.ctx.store.listAudit(
        {
          ruleId: row.ruleId!,
          ...(row.userId ? { userId: row.userId } : { deviceId: row.deviceId! }),
          from,
        },
        { order: 'desc', cursor: row.seq + 1, limit: Math.max(threshold * 4, 100) },
      );
      const count = recent.filter((r) => r.outcome === 'blocked' && r.kind !== 'policy').length;
      if (count < threshold) continue;
      const who = row.userEmail ?? row.userId ?? `device ${row.deviceId}`;
      out.push({
        rule,
        trigger: row,
        subject,
        summary: `${who} was blocked ${count} times by rule ${row.ruleName ?? row.ruleId} within ${rule.windowMinutes ?? 10} min`,
        facts: { count, policyRuleId: row.ruleId! },
      });
    }
    return out;
  }

  /** Appends the alert to the trail (skipped if already there), then lists it. */
  private async fire(f: Firing): Promise<boolean> {
    const id = alertId(f.rule.id, f.trigger.eventId);
    const firedAt = isoNow(this.ctx);
    await this.audit.record(
      'system',
      'alert',
      `alert-rule:${f.rule.id}`,
      {
        alertId: id,
        alertRule: f.rule.name,
        type: f.rule.type,
        subject: f.subject,
        summary: f.summary,
        triggerSeq: f.trigger.seq,
        triggerEventId: f.trigger.eventId,
        ...(f.trigger.userEmail ? { userEmail: f.trigger.userEmail } : {}),
        ...(f.trigger.deviceId ? { deviceId: f.trigger.deviceId } : {}),
        ...f.facts,
      },
      id,
    );
    const row: AlertRow = {
      id,
      alertRuleId: f.rule.id,
      ruleName: f.rule.name,
      type: f.rule.type,
      subject: f.subject,
      summary: f.summary,
      firedAt,
    };
    const fresh = await this.ctx.store.recordAlert(row);
    if (fresh) this.ctx.log.info('alert raised', { alertRule: f.rule.id, type: f.rule.type });
    return fresh;
  }
}

function subjectOf(row: AuditRow): string {
  return `${row.userId ? `user:${row.userId}` : `device:${row.deviceId}`}|${row.ruleId}`;
}

function detailOf(row: AuditRow): Record<string, unknown> {
  try {
    return row.detail ? (JSON.parse(row.detail) as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The rules that fire on a single row. */
function matchSimple(rule: AlertRuleRow, row: AuditRow): Firing | null {
  const admin = row.kind === 'admin' ? (row.adminAction ?? '') : null;
  // Device events name their device as `device:<id>` in `target`.
  const device = (row.target ?? row.deviceId ?? 'unknown').replace(/^device:/, '');
  switch (rule.type) {
    case 'device_silent': {
      if (admin === null || !SILENT_ACTIONS.has(admin)) return null;
      const minutes = detailOf(row).minutes;
      const since = typeof minutes === 'number' ? ` (no report for ${minutes} min)` : '';
      return {
        rule,
        trigger: row,
        subject: device,
        summary: `Device ${device} has gone silent${since}`,
      };
    }
    case 'device_removed':
      if (admin === null || !REMOVED_ACTIONS.has(admin)) return null;
      return {
        rule,
        trigger: row,
        subject: device,
        summary: `Device ${device} was removed (${admin}${row.actor ? ` by ${row.actor}` : ''})`,
      };
    case 'policy_refused': {
      if (row.kind !== 'policy') return null;
      const reason = String(detailOf(row).reason ?? 'unknown reason');
      const who = row.userEmail ? ` (${row.userEmail})` : '';
      return {
        rule,
        trigger: row,
        subject: row.deviceId ?? 'unknown',
        summary: `Device ${row.deviceId ?? 'unknown'}${who} refused a policy: ${reason}`,
        facts: { reason },
      };
    }
    case 'chain_broken': {
      if (admin !== 'audit.chain_broken') return null;
      const d = detailOf(row);
      return {
        rule,
        trigger: row,
        subject: String(d.seq ?? row.target ?? ''),
        summary: `The audit chain failed verification at seq ${String(d.seq ?? '?')}: ${String(d.reason ?? '')}`,
      };
    }
    default:
      return null;
  }
}
