import type pg from 'pg';
import type { AccessRequestStore } from '../store-slices.ts';
import type { AccessRequestRow, AccessRequestView } from '../types.ts';
import { all, first } from './query-rows.ts';

const COLS = `r.id, r.device_id AS "deviceId", r.user_id AS "userId", r.url,
  r.block_filter AS "blockFilter", r.filter, r.reason, r.status, r.scope,
  r.expires_at AS "expiresAt", r.created_at AS "createdAt", r.decided_at AS "decidedAt",
  r.decided_by AS "decidedBy", r.note`;
const VIEW = `SELECT ${COLS}, d.name AS "deviceName", u.name AS "userName", u.email AS "userEmail"
  FROM access_requests r LEFT JOIN devices d ON d.id = r.device_id LEFT JOIN users u ON u.id = r.user_id`;

/** Access requests and their approvals on PostgreSQL. */
export function accessQueries(pool: pg.Pool): AccessRequestStore {
  const view = (id: string) => first<AccessRequestView>(pool, `${VIEW} WHERE r.id = $1`, [id]);
  return {
    async createAccessRequest(r) {
      await pool.query(
        `INSERT INTO access_requests (id, device_id, user_id, url, block_filter, filter, reason,
          status, scope, expires_at, created_at, decided_at, decided_by, note)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
        [
          r.id,
          r.deviceId,
          r.userId,
          r.url,
          r.blockFilter,
          r.filter,
          r.reason,
          r.status,
          r.scope,
          r.expiresAt,
          r.createdAt,
          r.decidedAt,
          r.decidedBy,
          r.note,
        ],
      );
    },
    getAccessRequest: view,
    async listAccessRequests({ status, deviceId, userId, limit }) {
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (sql: string, v: unknown) => {
        params.push(v);
        where.push(`${sql} $${params.length}`);
      };
      if (status) add('r.status =', status);
      if (deviceId) add('r.device_id =', deviceId);
      if (userId) add('r.user_id =', userId);
      params.push(limit);
      return all<AccessRequestView>(
        pool,
        `${VIEW} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY r.created_at DESC, r.id DESC LIMIT $${params.length}`,
        params,
      );
    },
    async countPendingAccessRequests(deviceId) {
      const row = await first<{ n: number }>(
        pool,
        `SELECT count(*)::int AS n FROM access_requests WHERE device_id = $1 AND status = 'pending'`,
        [deviceId],
      );
      return row?.n ?? 0;
    },
    async decideAccessRequest(id, from, d) {
      const { rowCount } = await pool.query(
        `UPDATE access_requests SET status = $3, scope = COALESCE($4, scope), expires_at = $5,
          decided_at = $6, decided_by = $7, note = $8 WHERE id = $1 AND status = $2`,
        [
          id,
          from,
          d.status,
          d.scope ?? null,
          d.expiresAt ?? null,
          d.decidedAt,
          d.decidedBy,
          d.note ?? null,
        ],
      );
      return rowCount ? view(id) : null;
    },
    async listGrantedAccess(deviceId, userId, now) {
      return all<AccessRequestRow>(
        pool,
        `SELECT ${COLS} FROM access_requests r WHERE r.status = 'approved'
          AND (r.expires_at IS NULL OR r.expires_at > $3)
          AND ((r.scope = 'device' AND r.device_id = $1)
            OR (r.scope = 'user' AND $2::text IS NOT NULL AND r.user_id = $2))
          ORDER BY r.created_at, r.id`,
        [deviceId, userId, now],
      );
    },
  };
}
