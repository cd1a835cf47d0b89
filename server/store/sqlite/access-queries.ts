import type { AccessRequestStore } from '../store-slices.ts';
import type { AccessRequestRow, AccessRequestView } from '../types.ts';
import type { Db } from './open-database.ts';

const COLS = `r.id, r.device_id AS deviceId, r.user_id AS userId, r.url, r.block_filter AS blockFilter,
  r.filter, r.reason, r.status, r.scope, r.expires_at AS expiresAt, r.created_at AS createdAt,
  r.decided_at AS decidedAt, r.decided_by AS decidedBy, r.note`;
const VIEW = `SELECT ${COLS}, d.name AS deviceName, u.name AS userName, u.email AS userEmail
  FROM access_requests r LEFT JOIN devices d ON d.id = r.device_id LEFT JOIN users u ON u.id = r.user_id`;

/** Access requests and their approvals on SQLite. */
export function accessQueries(db: Db): AccessRequestStore {
  const q = {
    insert: db.prepare(`INSERT INTO access_requests (id, device_id, user_id, url, block_filter,
      filter, reason, status, scope, expires_at, created_at, decided_at, decided_by, note)
      VALUES (@id, @deviceId, @userId, @url, @blockFilter, @filter, @reason, @status, @scope,
      @expiresAt, @createdAt, @decidedAt, @decidedBy, @note)`),
    get: db.prepare(`${VIEW} WHERE r.id = ?`),
    pending: db.prepare(
      `SELECT count(*) AS n FROM access_requests WHERE device_id = ? AND status = 'pending'`,
    ),
    decide: db.prepare(`UPDATE access_requests SET status = @status,
      scope = COALESCE(@scope, scope), expires_at = @expiresAt, decided_at = @decidedAt,
      decided_by = @decidedBy, note = @note WHERE id = @id AND status = @from`),
    granted: db.prepare(`SELECT ${COLS} FROM access_requests r WHERE r.status = 'approved'
      AND (r.expires_at IS NULL OR r.expires_at > @now)
      AND ((r.scope = 'device' AND r.device_id = @deviceId)
        OR (r.scope = 'user' AND @userId IS NOT NULL AND r.user_id = @userId))
      ORDER BY r.created_at, r.id`),
  };
  const view = (id: string) => (q.get.get(id) as AccessRequestView | undefined) ?? null;
  const decide = db.transaction(
    (id: string, from: string, d: Parameters<AccessRequestStore['decideAccessRequest']>[2]) => {
      const changed = q.decide.run({
        id,
        from,
        status: d.status,
        scope: d.scope ?? null,
        expiresAt: d.expiresAt ?? null,
        decidedAt: d.decidedAt,
        decidedBy: d.decidedBy,
        note: d.note ?? null,
      }).changes;
      return changed ? view(id) : null;
    },
  );
  return {
    async createAccessRequest(row) {
      q.insert.run(row);
    },
    async getAccessRequest(id) {
      return view(id);
    },
    async listAccessRequests({ status, deviceId, userId, limit }) {
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (sql: string, v: unknown) => {
        where.push(sql);
        params.push(v);
      };
      if (status) add('r.status = ?', status);
      if (deviceId) add('r.device_id = ?', deviceId);
      if (userId) add('r.user_id = ?', userId);
      const sql = `${VIEW} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY r.created_at DESC, r.id DESC LIMIT ?`;
      return db.prepare(sql).all(...params, limit) as AccessRequestView[];
    },
    async countPendingAccessRequests(deviceId) {
      return (q.pending.get(deviceId) as { n: number }).n;
    },
    async decideAccessRequest(id, from, decision) {
      return decide(id, from, decision);
    },
    async listGrantedAccess(deviceId, userId, now) {
      return q.granted.all({ deviceId, userId, now }) as AccessRequestRow[];
    },
  };
}
