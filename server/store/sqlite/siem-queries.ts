import type { SiemStore } from '../store-slices.ts';
import type { AlertRow, AlertRuleRow, ConsumerRow, IntegrationView } from '../types.ts';
import type { Db } from './open-database.ts';
import { bool, int } from './sqlite-errors.ts';

type Raw = Record<string, unknown>;

const CONSUMER_COLS = `name, cursor_seq AS cursorSeq, lease_owner AS leaseOwner,
  lease_until AS leaseUntil, attempts, next_attempt_at AS nextAttemptAt, last_error AS lastError,
  last_attempt_at AS lastAttemptAt, last_delivered_at AS lastDeliveredAt, delivered`;
const INTEGRATION_SELECT = `SELECT i.id, i.name, i.kind, i.format, i.target, i.secret, i.events,
  i.enabled, i.created_by AS createdBy, i.created_at AS createdAt, i.updated_at AS updatedAt,
  c.name AS c_name, c.cursor_seq AS c_cursorSeq, c.lease_owner AS c_leaseOwner,
  c.lease_until AS c_leaseUntil, c.attempts AS c_attempts, c.next_attempt_at AS c_nextAttemptAt,
  c.last_error AS c_lastError, c.last_attempt_at AS c_lastAttemptAt,
  c.last_delivered_at AS c_lastDeliveredAt, c.delivered AS c_delivered
  FROM integrations i JOIN audit_consumers c ON c.name = 'integration:' || i.id`;
const RULE_COLS = `id, name, type, threshold, window_minutes AS windowMinutes,
  policy_rule_id AS policyRuleId, enabled, created_by AS createdBy, created_at AS createdAt`;
const ALERT_COLS = `id, alert_rule_id AS alertRuleId, rule_name AS ruleName, type, subject, summary,
  fired_at AS firedAt`;

/** An integration row joined with its consumer (`c_` columns) as the view. */
export function toIntegrationView(r: Raw): IntegrationView {
  const state: Raw = {};
  const row: Raw = {};
  for (const [k, v] of Object.entries(r)) {
    if (k.startsWith('c_')) state[k.slice(2)] = v;
    else row[k] = v;
  }
  return {
    ...(row as unknown as IntegrationView),
    target: JSON.parse(String(row.target)) as IntegrationView['target'],
    enabled: bool(row.enabled),
    state: state as unknown as ConsumerRow,
  };
}

const toRule = (r: Raw | undefined): AlertRuleRow | null =>
  r ? ({ ...r, enabled: bool(r.enabled) } as unknown as AlertRuleRow) : null;

/** Destinations, audit-trail consumers, alert rules and alerts on SQLite. */
export function siemQueries(db: Db): SiemStore {
  const q = {
    insertIntegration: db.prepare(`INSERT INTO integrations (id, name, kind, format, target, secret,
      events, enabled, created_by, created_at, updated_at) VALUES (@id, @name, @kind, @format,
      @target, @secret, @events, @enabled, @createdBy, @createdAt, @updatedAt)`),
    insertConsumer: db.prepare(`INSERT INTO audit_consumers (name, cursor_seq) VALUES (?, ?)
      ON CONFLICT (name) DO NOTHING`),
    integrations: db.prepare(`${INTEGRATION_SELECT} ORDER BY i.created_at, i.id`),
    integration: db.prepare(`${INTEGRATION_SELECT} WHERE i.id = ?`),
    deleteIntegration: db.prepare(`DELETE FROM integrations WHERE id = ?`),
    deleteConsumer: db.prepare(`DELETE FROM audit_consumers WHERE name = ?`),
    consumer: db.prepare(`SELECT ${CONSUMER_COLS} FROM audit_consumers WHERE name = ?`),
    lease: db.prepare(`UPDATE audit_consumers SET lease_owner = @owner, lease_until = @until
      WHERE name = @name AND (lease_owner IS NULL OR lease_owner = @owner OR lease_until <= @now)
      RETURNING ${CONSUMER_COLS}`),
    release: db.prepare(`UPDATE audit_consumers SET lease_owner = NULL, lease_until = NULL
      WHERE name = ? AND lease_owner = ?`),
    advance: db.prepare(`UPDATE audit_consumers SET cursor_seq = @to, attempts = 0,
      next_attempt_at = NULL, last_error = NULL, last_attempt_at = @at,
      last_delivered_at = CASE WHEN @delivered > 0 THEN @at ELSE last_delivered_at END,
      delivered = delivered + @delivered
      WHERE name = @name AND lease_owner = @owner AND cursor_seq = @from`),
    fail: db.prepare(`UPDATE audit_consumers SET attempts = attempts + 1, last_error = @error,
      last_attempt_at = @at, next_attempt_at = @nextAttemptAt
      WHERE name = @name AND lease_owner = @owner`),
    insertRule: db.prepare(`INSERT INTO alert_rules (id, name, type, threshold, window_minutes,
      policy_rule_id, enabled, created_by, created_at) VALUES (@id, @name, @type, @threshold,
      @windowMinutes, @policyRuleId, @enabled, @createdBy, @createdAt)`),
    rules: db.prepare(`SELECT ${RULE_COLS} FROM alert_rules ORDER BY created_at, id`),
    rule: db.prepare(`SELECT ${RULE_COLS} FROM alert_rules WHERE id = ?`),
    deleteRule: db.prepare(`DELETE FROM alert_rules WHERE id = ?`),
    insertAlert: db.prepare(`INSERT INTO alerts (id, alert_rule_id, rule_name, type, subject,
      summary, fired_at) VALUES (@id, @alertRuleId, @ruleName, @type, @subject, @summary, @firedAt)
      ON CONFLICT (id) DO NOTHING`),
    alerts: db.prepare(`SELECT ${ALERT_COLS} FROM alerts ORDER BY fired_at DESC, id LIMIT ?`),
    lastAlert: db.prepare(`SELECT ${ALERT_COLS} FROM alerts WHERE alert_rule_id = ? AND subject = ?
      ORDER BY fired_at DESC LIMIT 1`),
  };
  const createIntegration = db.transaction((row: Raw, cursorSeq: number) => {
    q.insertIntegration.run(row);
    q.insertConsumer.run(`integration:${String(row.id)}`, cursorSeq);
  });
  const deleteIntegration = db.transaction((id: string) => {
    q.deleteConsumer.run(`integration:${id}`);
    return q.deleteIntegration.run(id).changes > 0;
  });
  return {
    async createIntegration(row, cursorSeq) {
      createIntegration(
        { ...row, target: JSON.stringify(row.target), enabled: int(row.enabled) },
        cursorSeq,
      );
    },
    async listIntegrations() {
      return (q.integrations.all() as Raw[]).map(toIntegrationView);
    },
    async getIntegration(id) {
      const r = q.integration.get(id) as Raw | undefined;
      return r ? toIntegrationView(r) : null;
    },
    async updateIntegration(id, patch) {
      const sets: string[] = ['updated_at = @updatedAt'];
      const params: Raw = { id, updatedAt: patch.updatedAt };
      for (const [key, col] of [
        ['name', 'name'],
        ['format', 'format'],
        ['secret', 'secret'],
        ['events', 'events'],
      ] as const) {
        if (patch[key] !== undefined) {
          sets.push(`${col} = @${key}`);
          params[key] = patch[key];
        }
      }
      if (patch.target !== undefined) {
        sets.push('target = @target');
        params.target = JSON.stringify(patch.target);
      }
      if (patch.enabled !== undefined) {
        sets.push('enabled = @enabled');
        params.enabled = int(patch.enabled);
      }
      const sql = `UPDATE integrations SET ${sets.join(', ')} WHERE id = @id`;
      return db.prepare(sql).run(params).changes > 0;
    },
    async deleteIntegration(id) {
      return deleteIntegration(id);
    },
    async ensureConsumer(name, cursorSeq) {
      q.insertConsumer.run(name, cursorSeq);
      return q.consumer.get(name) as ConsumerRow;
    },
    async leaseConsumer(name, owner, now, until) {
      return (q.lease.get({ name, owner, now, until }) as ConsumerRow | undefined) ?? null;
    },
    async releaseConsumer(name, owner) {
      q.release.run(name, owner);
    },
    async advanceConsumer(name, owner, step) {
      return q.advance.run({ name, owner, ...step }).changes > 0;
    },
    async failConsumer(name, owner, failure) {
      return q.fail.run({ name, owner, ...failure }).changes > 0;
    },
    async createAlertRule(row) {
      q.insertRule.run({ ...row, enabled: int(row.enabled) });
    },
    async listAlertRules() {
      return (q.rules.all() as Raw[]).map((r) => toRule(r)!);
    },
    async updateAlertRule(id, patch) {
      const sets: string[] = [];
      const params: Raw = { id };
      for (const [key, col] of [
        ['name', 'name'],
        ['threshold', 'threshold'],
        ['windowMinutes', 'window_minutes'],
        ['policyRuleId', 'policy_rule_id'],
      ] as const) {
        if (patch[key] !== undefined) {
          sets.push(`${col} = @${key}`);
          params[key] = patch[key];
        }
      }
      if (patch.enabled !== undefined) {
        sets.push('enabled = @enabled');
        params.enabled = int(patch.enabled);
      }
      if (sets.length)
        db.prepare(`UPDATE alert_rules SET ${sets.join(', ')} WHERE id = @id`).run(params);
      return toRule(q.rule.get(id) as Raw | undefined);
    },
    async deleteAlertRule(id) {
      return q.deleteRule.run(id).changes > 0;
    },
    async recordAlert(row) {
      return q.insertAlert.run(row).changes > 0;
    },
    async listAlerts(limit) {
      return q.alerts.all(limit) as AlertRow[];
    },
    async lastAlert(alertRuleId, subject) {
      return (q.lastAlert.get(alertRuleId, subject) as AlertRow | undefined) ?? null;
    },
  };
}
