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
import type { Db } from './open-database.ts';
import { bool, int, uniqueChecked } from './sqlite-errors.ts';

type Raw = Record<string, unknown>;

const GROUP_COLS = `id, name, created_at AS createdAt, max_devices_per_user AS maxDevicesPerUser`;
const CODE_COLS = `c.id, c.code_hash AS codeHash, c.code_hint AS codeHint, c.email_domain AS emailDomain,
  c.group_id AS groupId, c.created_by AS createdBy, c.created_at AS createdAt,
  c.expires_at AS expiresAt, c.max_uses AS maxUses, c.uses, c.revoked, g.name AS groupName`;
const CODE_FROM = `FROM enrollment_codes c JOIN groups g ON g.id = c.group_id`;
const DEVICE_COLS = `d.id, d.name, d.user_id AS userId, d.group_id AS groupId, d.platform, d.browser,
  d.extension_version AS extensionVersion, d.status, d.managed, d.enrolled_at AS enrolledAt,
  d.last_seen_at AS lastSeenAt, d.applied_version AS appliedVersion, d.claimed_email AS claimedEmail`;
const DEVICE_VIEW_COLS = `${DEVICE_COLS}, u.name AS userName, u.email AS userEmail, g.name AS groupName`;
const DEVICE_FROM = `FROM devices d LEFT JOIN users u ON u.id = d.user_id JOIN groups g ON g.id = d.group_id`;

const toCode = (r: Raw | undefined): EnrollmentCodeView | null =>
  r ? ({ ...r, revoked: bool(r.revoked) } as unknown as EnrollmentCodeView) : null;
const toDevice = <T extends DeviceRow>(r: Raw | undefined): T | null =>
  r ? ({ ...r, managed: bool(r.managed) } as unknown as T) : null;

/** Groups, enrollment codes, devices, device credentials and pairing tokens on SQLite. */
export function fleetQueries(db: Db): FleetStore {
  const q = {
    insertGroup: db.prepare(
      `INSERT INTO groups (id, name, created_at) VALUES (@id, @name, @createdAt)`,
    ),
    group: db.prepare(`SELECT ${GROUP_COLS} FROM groups WHERE id = ?`),
    groupByName: db.prepare(`SELECT ${GROUP_COLS} FROM groups WHERE name = ?`),
    groups:
      db.prepare(`SELECT g.id, g.name, g.created_at AS createdAt, g.max_devices_per_user AS maxDevicesPerUser,
      (SELECT count(*) FROM users u WHERE u.group_id = g.id) AS userCount,
      (SELECT count(*) FROM devices d WHERE d.group_id = g.id AND d.status IN ('active', 'wipe_pending')) AS deviceCount
      FROM groups g ORDER BY g.name COLLATE NOCASE`),
    insertCode:
      db.prepare(`INSERT INTO enrollment_codes (id, code_hash, code_hint, email_domain, group_id, created_by,
      created_at, expires_at, max_uses, uses, revoked) VALUES (@id, @codeHash, @codeHint, @emailDomain, @groupId,
      @createdBy, @createdAt, @expiresAt, @maxUses, @uses, @revoked)`),
    code: db.prepare(`SELECT ${CODE_COLS} ${CODE_FROM} WHERE c.id = ?`),
    codeByHash: db.prepare(`SELECT ${CODE_COLS} ${CODE_FROM} WHERE c.code_hash = ?`),
    codes: db.prepare(`SELECT ${CODE_COLS} ${CODE_FROM} ORDER BY c.created_at DESC`),
    useCode: db.prepare(`UPDATE enrollment_codes SET uses = uses + 1 WHERE id = ? AND revoked = 0
      AND (expires_at IS NULL OR expires_at > ?) AND (max_uses IS NULL OR uses < max_uses)`),
    revokeCode: db.prepare(`UPDATE enrollment_codes SET revoked = 1 WHERE id = ?`),
    insertDevice:
      db.prepare(`INSERT INTO devices (id, name, user_id, group_id, platform, browser, extension_version,
      status, managed, enrolled_at, last_seen_at, applied_version, claimed_email) VALUES (@id, @name, @userId,
      @groupId, @platform, @browser, @extensionVersion, @status, @managed, @enrolledAt, @lastSeenAt, @appliedVersion,
      @claimedEmail)`),
    insertCredential: db.prepare(
      `INSERT INTO device_credentials (hash, device_id, created_at) VALUES (?, ?, ?)`,
    ),
    device: db.prepare(`SELECT ${DEVICE_VIEW_COLS} ${DEVICE_FROM} WHERE d.id = ?`),
    deviceByCredential: db.prepare(`SELECT ${DEVICE_COLS} FROM device_credentials c
      JOIN devices d ON d.id = c.device_id WHERE c.hash = ?`),
    setStatus: db.prepare(`UPDATE devices SET status = ? WHERE id = ?`),
    touch: db.prepare(`UPDATE devices SET last_seen_at = @lastSeenAt,
      extension_version = coalesce(@extensionVersion, extension_version),
      platform = coalesce(@platform, platform), browser = coalesce(@browser, browser) WHERE id = @id`),
    applied: db.prepare(`UPDATE devices SET applied_version = ?, last_seen_at = ? WHERE id = ?`),
    assignUser: db.prepare(
      `UPDATE devices SET user_id = ? WHERE id = ? AND (user_id IS NULL OR user_id = ?)`,
    ),
    setMaxDevices: db.prepare(`UPDATE groups SET max_devices_per_user = ? WHERE id = ?`),
    insertClaim: db.prepare(`INSERT INTO device_claims (token_hash, user_id, expires_at)
      VALUES (@tokenHash, @userId, @expiresAt)`),
    takeClaim: db.prepare(`DELETE FROM device_claims WHERE token_hash = ?
      RETURNING token_hash AS tokenHash, user_id AS userId, expires_at AS expiresAt`),
    moveDevices: db.prepare(
      `UPDATE devices SET group_id = ? WHERE user_id = ? AND managed = 0 RETURNING id`,
    ),
    insertPairing:
      db.prepare(`INSERT INTO pairing_tokens (token_hash, device_id, user_id, expires_at)
      VALUES (@tokenHash, @deviceId, @userId, @expiresAt)`),
    takePairing: db.prepare(`DELETE FROM pairing_tokens WHERE token_hash = ?
      RETURNING token_hash AS tokenHash, device_id AS deviceId, user_id AS userId, expires_at AS expiresAt`),
  };
  const createDevice = db.transaction((row: Raw, hash: string) => {
    q.insertDevice.run(row);
    q.insertCredential.run(hash, row.id, row.enrolledAt);
  });

  return {
    async createGroup(row) {
      uniqueChecked(() => q.insertGroup.run(row));
    },
    async getGroup(id) {
      return (q.group.get(id) as GroupRow | undefined) ?? null;
    },
    async getGroupByName(name) {
      return (q.groupByName.get(name) as GroupRow | undefined) ?? null;
    },
    async listGroups() {
      return q.groups.all() as GroupView[];
    },
    async updateGroup(id, patch) {
      if (patch.maxDevicesPerUser === undefined) return q.group.get(id) !== undefined;
      return q.setMaxDevices.run(patch.maxDevicesPerUser, id).changes > 0;
    },
    async createEnrollmentCode(row) {
      uniqueChecked(() => q.insertCode.run({ ...row, revoked: int(row.revoked) }));
    },
    async getEnrollmentCode(id) {
      return toCode(q.code.get(id) as Raw | undefined);
    },
    async getEnrollmentCodeByHash(codeHash) {
      return toCode(q.codeByHash.get(codeHash) as Raw | undefined);
    },
    async listEnrollmentCodes() {
      return (q.codes.all() as Raw[]).map((r) => toCode(r)!);
    },
    async useEnrollmentCode(id, now) {
      return q.useCode.run(id, now).changes > 0;
    },
    async revokeEnrollmentCode(id) {
      return q.revokeCode.run(id).changes > 0;
    },
    async createDevice(row, credentialHash) {
      createDevice({ ...row, managed: int(row.managed) }, credentialHash);
    },
    async addDeviceCredential(deviceId, credentialHash, createdAt) {
      q.insertCredential.run(credentialHash, deviceId, createdAt);
    },
    async getDevice(id) {
      return toDevice<DeviceView>(q.device.get(id) as Raw | undefined);
    },
    async getDeviceByCredential(credentialHash) {
      return toDevice<DeviceRow>(q.deviceByCredential.get(credentialHash) as Raw | undefined);
    },
    async listDevices(filter) {
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (sql: string, ...values: unknown[]) => {
        where.push(sql);
        params.push(...values);
      };
      if (filter.status) add('d.status = ?', filter.status);
      if (filter.groupId) add('d.group_id = ?', filter.groupId);
      if (filter.userId) add('d.user_id = ?', filter.userId);
      if (filter.q) {
        // instr() rather than LIKE: the search text is taken literally, % and _ included.
        const needle = filter.q.toLowerCase();
        add(
          `(instr(lower(d.name), ?) OR instr(lower(coalesce(u.name, '')), ?)
          OR instr(lower(coalesce(u.email, '')), ?) OR instr(lower(d.platform), ?) OR instr(lower(d.browser), ?))`,
          needle,
          needle,
          needle,
          needle,
          needle,
        );
      }
      const sql = `SELECT ${DEVICE_VIEW_COLS} ${DEVICE_FROM} ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
        ORDER BY d.enrolled_at DESC LIMIT 5000`;
      return (db.prepare(sql).all(...params) as Raw[]).map((r) => toDevice<DeviceView>(r)!);
    },
    async setDeviceStatus(id, status) {
      q.setStatus.run(status, id);
    },
    async touchDevice(id, patch) {
      q.touch.run({
        id,
        lastSeenAt: patch.lastSeenAt,
        extensionVersion: patch.extensionVersion ?? null,
        platform: patch.platform ?? null,
        browser: patch.browser ?? null,
      });
    },
    async setAppliedVersion(id, version, lastSeenAt) {
      q.applied.run(version, lastSeenAt, id);
    },
    async assignDeviceUser(deviceId, userId) {
      return q.assignUser.run(userId, deviceId, userId).changes > 0;
    },
    async moveUserDevices(userId, groupId) {
      return (q.moveDevices.all(groupId, userId) as { id: string }[]).map((r) => r.id);
    },
    async createPairingToken(row) {
      q.insertPairing.run(row);
    },
    async takePairingToken(tokenHash, now) {
      const row = q.takePairing.get(tokenHash) as PairingTokenRow | undefined;
      return row && row.expiresAt > now ? row : null;
    },
    async createDeviceClaim(row) {
      q.insertClaim.run(row);
    },
    async takeDeviceClaim(tokenHash, now) {
      const row = q.takeClaim.get(tokenHash) as DeviceClaimRow | undefined;
      return row && row.expiresAt > now ? row : null;
    },
  };
}
