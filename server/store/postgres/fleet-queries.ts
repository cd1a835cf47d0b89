import type pg from 'pg';
import type { FleetStore } from '../store-slices.ts';
import type {
  DeviceClaimRow,
  DeviceRow,
  DeviceView,
  EnrollmentCodeView,
  GroupRow,
  GroupView,
  PairingTokenRow,
} from '../types.ts';
import { inTransaction } from './in-transaction.ts';
import { mapPgError } from './pg-errors.ts';
import { all, changes, first } from './query-rows.ts';

const GROUP_COLS = `id, name, created_at AS "createdAt", max_devices_per_user AS "maxDevicesPerUser"`;
const CODE_SELECT = `SELECT c.id, c.code_hash AS "codeHash", c.code_hint AS "codeHint",
  c.email_domain AS "emailDomain", c.group_id AS "groupId", c.created_by AS "createdBy",
  c.created_at AS "createdAt", c.expires_at AS "expiresAt", c.max_uses AS "maxUses", c.uses, c.revoked,
  g.name AS "groupName" FROM enrollment_codes c JOIN groups g ON g.id = c.group_id`;
const DEVICE_COLS = `d.id, d.name, d.user_id AS "userId", d.group_id AS "groupId", d.platform, d.browser,
  d.extension_version AS "extensionVersion", d.status, d.managed, d.enrolled_at AS "enrolledAt",
  d.last_seen_at AS "lastSeenAt", d.applied_version AS "appliedVersion", d.claimed_email AS "claimedEmail"`;
const DEVICE_SELECT = `SELECT ${DEVICE_COLS}, u.name AS "userName", u.email AS "userEmail", g.name AS "groupName"
  FROM devices d LEFT JOIN users u ON u.id = d.user_id JOIN groups g ON g.id = d.group_id`;
const INSERT_CREDENTIAL = `INSERT INTO device_credentials (hash, device_id, created_at) VALUES ($1, $2, $3)`;

/** Groups, enrollment codes, devices, device credentials and pairing tokens on PostgreSQL. */
export function fleetQueries(pool: pg.Pool): FleetStore {
  return {
    async createGroup(row) {
      await pool
        .query(`INSERT INTO groups (id, name, created_at) VALUES ($1, $2, $3)`, [
          row.id,
          row.name,
          row.createdAt,
        ])
        .catch(mapPgError);
    },
    getGroup: (id) => first<GroupRow>(pool, `SELECT ${GROUP_COLS} FROM groups WHERE id = $1`, [id]),
    getGroupByName: (name) =>
      first<GroupRow>(pool, `SELECT ${GROUP_COLS} FROM groups WHERE lower(name) = lower($1)`, [
        name,
      ]),
    async updateGroup(id, patch) {
      if (patch.maxDevicesPerUser === undefined) {
        return (await first(pool, `SELECT 1 FROM groups WHERE id = $1`, [id])) !== null;
      }
      const n = await changes(pool, `UPDATE groups SET max_devices_per_user = $1 WHERE id = $2`, [
        patch.maxDevicesPerUser,
        id,
      ]);
      return n > 0;
    },
    listGroups: () =>
      all<GroupView>(
        pool,
        `SELECT g.id, g.name, g.created_at AS "createdAt", g.max_devices_per_user AS "maxDevicesPerUser",
        (SELECT count(*) FROM users u WHERE u.group_id = g.id) AS "userCount",
        (SELECT count(*) FROM devices d WHERE d.group_id = g.id AND d.status IN ('active', 'wipe_pending')) AS "deviceCount"
        FROM groups g ORDER BY lower(g.name)`,
      ),
    async createEnrollmentCode(row) {
      await pool
        .query(
          `INSERT INTO enrollment_codes (id, code_hash, code_hint, email_domain, group_id, created_by, created_at,
          expires_at, max_uses, uses, revoked) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [
            row.id,
            row.codeHash,
            row.codeHint,
            row.emailDomain,
            row.groupId,
            row.createdBy,
            row.createdAt,
            row.expiresAt,
            row.maxUses,
            row.uses,
            row.revoked,
          ],
        )
        .catch(mapPgError);
    },
    getEnrollmentCode: (id) =>
      first<EnrollmentCodeView>(pool, `${CODE_SELECT} WHERE c.id = $1`, [id]),
    getEnrollmentCodeByHash: (codeHash) =>
      first<EnrollmentCodeView>(pool, `${CODE_SELECT} WHERE c.code_hash = $1`, [codeHash]),
    listEnrollmentCodes: () =>
      all<EnrollmentCodeView>(pool, `${CODE_SELECT} ORDER BY c.created_at DESC`),
    // One conditional statement: the row lock makes concurrent uses take turns, and each
    // re-checks the limit against the count the previous one left.
    async useEnrollmentCode(id, now) {
      const n = await changes(
        pool,
        `UPDATE enrollment_codes SET uses = uses + 1 WHERE id = $1 AND NOT revoked
        AND (expires_at IS NULL OR expires_at > $2) AND (max_uses IS NULL OR uses < max_uses)`,
        [id, now],
      );
      return n > 0;
    },
    async revokeEnrollmentCode(id) {
      return (
        (await changes(pool, `UPDATE enrollment_codes SET revoked = true WHERE id = $1`, [id])) > 0
      );
    },
    async createDevice(row, credentialHash) {
      await inTransaction(pool, async (client) => {
        await client.query(
          `INSERT INTO devices (id, name, user_id, group_id, platform, browser, extension_version, status,
          managed, enrolled_at, last_seen_at, applied_version, claimed_email)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
          [
            row.id,
            row.name,
            row.userId,
            row.groupId,
            row.platform,
            row.browser,
            row.extensionVersion,
            row.status,
            row.managed,
            row.enrolledAt,
            row.lastSeenAt,
            row.appliedVersion,
            row.claimedEmail,
          ],
        );
        await client.query(INSERT_CREDENTIAL, [credentialHash, row.id, row.enrolledAt]);
      });
    },
    async addDeviceCredential(deviceId, credentialHash, createdAt) {
      await pool.query(INSERT_CREDENTIAL, [credentialHash, deviceId, createdAt]);
    },
    getDevice: (id) => first<DeviceView>(pool, `${DEVICE_SELECT} WHERE d.id = $1`, [id]),
    getDeviceByCredential: (hash) =>
      first<DeviceRow>(
        pool,
        `SELECT ${DEVICE_COLS} FROM device_credentials c JOIN devices d ON d.id = c.device_id WHERE c.hash = $1`,
        [hash],
      ),
    listDevices(filter) {
      const where: string[] = [];
      const params: unknown[] = [];
      const param = (value: unknown) => {
        params.push(value);
        return `$${params.length}`;
      };
      if (filter.status) where.push(`d.status = ${param(filter.status)}`);
      if (filter.groupId) where.push(`d.group_id = ${param(filter.groupId)}`);
      if (filter.userId) where.push(`d.user_id = ${param(filter.userId)}`);
      if (filter.q) {
        // strpos() rather than LIKE: the search text is taken literally, % and _ included.
        const p = param(filter.q.toLowerCase());
        where.push(`(strpos(lower(d.name), ${p}) > 0 OR strpos(lower(coalesce(u.name, '')), ${p}) > 0
          OR strpos(lower(coalesce(u.email, '')), ${p}) > 0 OR strpos(lower(d.platform), ${p}) > 0
          OR strpos(lower(d.browser), ${p}) > 0)`);
      }
      const sql = `${DEVICE_SELECT} ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
        ORDER BY d.enrolled_at DESC LIMIT 5000`;
      return all<DeviceView>(pool, sql, params);
    },
    async setDeviceStatus(id, status) {
      await pool.query(`UPDATE devices SET status = $1 WHERE id = $2`, [status, id]);
    },
    async touchDevice(id, patch) {
      await pool.query(
        `UPDATE devices SET last_seen_at = $2, extension_version = coalesce($3, extension_version),
        platform = coalesce($4, platform), browser = coalesce($5, browser) WHERE id = $1`,
        [
          id,
          patch.lastSeenAt,
          patch.extensionVersion ?? null,
          patch.platform ?? null,
          patch.browser ?? null,
        ],
      );
    },
    async setAppliedVersion(id, version, lastSeenAt) {
      await pool.query(`UPDATE devices SET applied_version = $1, last_seen_at = $2 WHERE id = $3`, [
        version,
        lastSeenAt,
        id,
      ]);
    },
    async assignDeviceUser(deviceId, userId) {
      const n = await changes(
        pool,
        `UPDATE devices SET user_id = $1 WHERE id = $2 AND (user_id IS NULL OR user_id = $1)`,
        [userId, deviceId],
      );
      return n > 0;
    },
    async moveUserDevices(userId, groupId) {
      const rows = await all<{ id: string }>(
        pool,
        `UPDATE devices SET group_id = $1 WHERE user_id = $2 AND NOT managed RETURNING id`,
        [groupId, userId],
      );
      return rows.map((r) => r.id);
    },
    async createPairingToken(row) {
      await pool.query(
        `INSERT INTO pairing_tokens (token_hash, device_id, user_id, expires_at) VALUES ($1, $2, $3, $4)`,
        [row.tokenHash, row.deviceId, row.userId, row.expiresAt],
      );
    },
    async takePairingToken(tokenHash, now) {
      // Deleted even when expired (as on SQLite): a stale token is of no further use.
      const row = await first<PairingTokenRow>(
        pool,
        `DELETE FROM pairing_tokens WHERE token_hash = $1
        RETURNING token_hash AS "tokenHash", device_id AS "deviceId", user_id AS "userId", expires_at AS "expiresAt"`,
        [tokenHash],
      );
      return row && row.expiresAt > now ? row : null;
    },
    async createDeviceClaim(row) {
      await pool.query(
        `INSERT INTO device_claims (token_hash, user_id, expires_at) VALUES ($1, $2, $3)`,
        [row.tokenHash, row.userId, row.expiresAt],
      );
    },
    async takeDeviceClaim(tokenHash, now) {
      const row = await first<DeviceClaimRow>(
        pool,
        `DELETE FROM device_claims WHERE token_hash = $1
        RETURNING token_hash AS "tokenHash", user_id AS "userId", expires_at AS "expiresAt"`,
        [tokenHash],
      );
      return row && row.expiresAt > now ? row : null;
    },
  };
}
