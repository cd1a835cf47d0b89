import type pg from 'pg';
import type { SiemStore } from '../store-slices.ts';
import type { AlertRow, AlertRuleRow, ConsumerRow, IntegrationView } from '../types.ts';
import { inTransaction } from './in-transaction.ts';
import { all, changes, first } from './query-rows.ts';

type Raw = Record<string, unknown>;

const CONSUMER_COLS = `name, cursor_seq AS "cursorSeq", lease_owner AS "leaseOwner",
  lease_until AS "leaseUntil", attempts, next_attempt_at AS "nextAttemptAt",
  last_error AS "lastError", last_attempt_at AS "lastAttemptAt",
  last_delivered_at AS "lastDeliveredAt", delivered`;
const INTEGRATION_SELECT = `SELECT i.id, i.name, i.kind, i.format, i.target, i.secret, i.events,
  i.enabled, i.created_by AS "createdBy", i.created_at AS "createdAt", i.updated_at AS "updatedAt",
  row_to_json(c) AS consumer
  FROM integrations i JOIN audit_consumers c ON c.name = 'integration:' || i.id`;
const RULE_COLS = `id, name, type, threshold, window_minutes AS "windowMinutes",
  policy_rule_id AS "policyRuleId", enabled, created_by AS "createdBy", created_at AS "createdAt"`;
const ALERT_COLS = `id, alert_rule_id AS "alertRuleId", rule_name AS "ruleName", type, subject,
  summary, fired_at AS "firedAt"`;

/** row_to_json gives snake_case and timestamps in PostgreSQL's own text form. */
function toConsumer(c: Raw): ConsumerRow {
  const time = (v: unknown) => (v === null ? null : new Date(String(v)).toISOString());
  return {
    name: String(c.name),
    cursorSeq: Number(c.cursor_seq),
    leaseOwner: (c.lease_owner as string | null) ?? null,
    leaseUntil: time(c.lease_until),
    attempts: Number(c.attempts),
    nextAttemptAt: time(c.next_attempt_at),
    lastError: (c.last_error as string | null) ?? null,
    lastAttemptAt: time(c.last_attempt_at),
    lastDeliveredAt: time(c.last_delivered_at),
    delivered: Number(c.delivered),
  };
}

function toView(r: Raw): IntegrationView {
  const { consumer, ...row } = r;
  return {
    ...(row as unknown as IntegrationView),
    target: JSON.parse(String(row.target)) as IntegrationView['target'],
    state: toConsumer(consumer as Raw),
  };
}

/** Destinations, audit-trail consumers, alert rules and alerts on PostgreSQL. */
export function siemQueries(pool: pg.Pool): SiemStore {
  const consumer = (name: string) =>
    first<ConsumerRow>(pool, `SELECT ${CONSUMER_COLS} FROM audit_consumers WHERE name = $1`, [
      name,
    ]);
  return {
    async createIntegration(row, cursorSeq) {
      await inTransaction(pool, async (client) => {
        await client.query(
          `INSERT INTO integrations (id, name, kind, format, target, secret, events, enabled,
          created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [
            row.id,
            row.name,
            row.kind,
            row.format,
            JSON.stringify(row.target),
            row.secret,
            row.events,
            row.enabled,
            row.createdBy,
            row.createdAt,
            row.updatedAt,
          ],
        );
        await client.query(
          `INSERT INTO audit_consumers (name, cursor_seq) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
          [`integration:${row.id}`, cursorSeq],
        );
      });
    },
    async listIntegrations() {
      return (await all<Raw>(pool, `${INTEGRATION_SELECT} ORDER BY i.created_at, i.id`)).map(
        toView,
      );
    },
    async getIntegration(id) {
      const r = await first<Raw>(pool, `${INTEGRATION_SELECT} WHERE i.id = $1`, [id]);
      return r ? toView(r) : null;
    },
    async updateIntegration(id, patch) {
      const params: unknown[] = [id, patch.updatedAt];
      const sets = ['updated_at = $2'];
      const set = (col: string, value: unknown) => {
        params.push(value);
        sets.push(`${col} = $${params.length}`);
      };
      if (patch.name !== undefined) set('name', patch.name);
      if (patch.format !== undefined) set('format', patch.format);
      if (patch.secret !== undefined) set('secret', patch.secret);
      if (patch.events !== undefined) set('events', patch.events);
      if (patch.target !== undefined) set('target', JSON.stringify(patch.target));
      if (patch.enabled !== undefined) set('enabled', patch.enabled);
      return (
        (await changes(pool, `UPDATE integrations SET ${sets.join(', ')} WHERE id = $1`, params)) >
        0
      );
    },
    async deleteIntegration(id) {
      return inTransaction(pool, async (client) => {
        await client.query(`DELETE FROM audit_consumers WHERE name = $1`, [`integration:${id}`]);
        return (
          ((await client.query(`DELETE FROM integrations WHERE id = $1`, [id])).rowCount ?? 0) > 0
        );
      });
    },
    async ensureConsumer(name, cursorSeq) {
      await pool.query(
        `INSERT INTO audit_consumers (name, cursor_seq) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
        [name, cursorSeq],
      );
      return (await consumer(name))!;
    },
    async leaseConsumer(name, owner, now, until) {
      // One conditional update: the row lock makes concurrent instances take turns, and the
      // second sees the first's unexpired lease.
      return first<ConsumerRow>(
        pool,
        `UPDATE audit_consumers SET lease_owner = $2, lease_until = $4
        WHERE name = $1 AND (lease_owner IS NULL OR lease_owner = $2 OR lease_until <= $3)
        RETURNING ${CONSUMER_COLS}`,
        [name, owner, now, until],
      );
    },
    async releaseConsumer(name, owner) {
      await pool.query(
        `UPDATE audit_consumers SET lease_owner = NULL, lease_until = NULL
        WHERE name = $1 AND lease_owner = $2`,
        [name, owner],
      );
    },
    async advanceConsumer(name, owner, step) {
      const n = await changes(
        pool,
        `UPDATE audit_consumers SET cursor_seq = $4, attempts = 0, next_attempt_at = NULL,
        last_error = NULL, last_attempt_at = $6,
        last_delivered_at = CASE WHEN $5::bigint > 0 THEN $6::timestamptz ELSE last_delivered_at END,
        delivered = delivered + $5
        WHERE name = $1 AND lease_owner = $2 AND cursor_seq = $3`,
        [name, owner, step.from, step.to, step.delivered, step.at],
      );
      return n > 0;
    },
    async failConsumer(name, owner, failure) {
      const n = await changes(
        pool,
        `UPDATE audit_consumers SET attempts = attempts + 1, last_error = $3, last_attempt_at = $4,
        next_attempt_at = $5 WHERE name = $1 AND lease_owner = $2`,
        [name, owner, failure.error, failure.at, failure.nextAttemptAt],
      );
      return n > 0;
    },
    async createAlertRule(row) {
      await pool.query(
        `INSERT INTO alert_rules (id, name, type, threshold, window_minutes, policy_rule_id,
        enabled, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          row.id,
          row.name,
          row.type,
          row.threshold,
          row.windowMinutes,
          row.policyRuleId,
          row.enabled,
          row.createdBy,
          row.createdAt,
        ],
      );
    },
    async listAlertRules() {
      return all<AlertRuleRow>(
        pool,
        `SELECT ${RULE_COLS} FROM alert_rules ORDER BY created_at, id`,
      );
    },
    async updateAlertRule(id, patch) {
      const params: unknown[] = [id];
      const sets: string[] = [];
      const set = (col: string, value: unknown) => {
        params.push(value);
        sets.push(`${col} = $${params.length}`);
      };
      if (patch.name !== undefined) set('name', patch.name);
      if (patch.threshold !== undefined) set('threshold', patch.threshold);
      if (patch.windowMinutes !== undefined) set('window_minutes', patch.windowMinutes);
      if (patch.policyRuleId !== undefined) set('policy_rule_id', patch.policyRuleId);
      if (patch.enabled !== undefined) set('enabled', patch.enabled);
      if (sets.length)
        await pool.query(`UPDATE alert_rules SET ${sets.join(', ')} WHERE id = $1`, params);
      return first<AlertRuleRow>(pool, `SELECT ${RULE_COLS} FROM alert_rules WHERE id = $1`, [id]);
    },
    async deleteAlertRule(id) {
      return (await changes(pool, `DELETE FROM alert_rules WHERE id = $1`, [id])) > 0;
    },
    async recordAlert(row) {
      const n = await changes(
        pool,
        `INSERT INTO alerts (id, alert_rule_id, rule_name, type, subject, summary, fired_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
        [row.id, row.alertRuleId, row.ruleName, row.type, row.subject, row.summary, row.firedAt],
      );
      return n > 0;
    },
    async listAlerts(limit) {
      return all<AlertRow>(
        pool,
        `SELECT ${ALERT_COLS} FROM alerts ORDER BY fired_at DESC, id LIMIT $1`,
        [limit],
      );
    },
    async lastAlert(alertRuleId, subject) {
      return first<AlertRow>(
        pool,
        `SELECT ${ALERT_COLS} FROM alerts WHERE alert_rule_id = $1 AND subject = $2
        ORDER BY fired_at DESC LIMIT 1`,
        [alertRuleId, subject],
      );
    },
  };
}
