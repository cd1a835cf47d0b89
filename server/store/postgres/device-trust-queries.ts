import type pg from 'pg';
import type { DeviceTrustStore } from '../store-slices.ts';
import type { DeviceTrustRow } from '../types.ts';
import { inTransaction } from './in-transaction.ts';
import { all, changes, first } from './query-rows.ts';

const COLS = `device_id AS "deviceId", public_key AS "publicKey", key_created_at AS "keyCreatedAt",
  uninstall_token_hash AS "uninstallTokenHash", posture, posture_at AS "postureAt",
  silent_since AS "silentSince", removed_at AS "removedAt"`;

/** Device keys, posture and presence, and used device-proof challenges, on PostgreSQL. */
export function deviceTrustQueries(pool: pg.Pool): DeviceTrustStore {
  return {
    async setDeviceKey(deviceId, key) {
      await pool.query(
        `INSERT INTO device_trust (device_id, public_key, key_created_at, uninstall_token_hash)
        VALUES ($1, $2, $3, $4)
        ON CONFLICT (device_id) DO UPDATE SET public_key = excluded.public_key,
          key_created_at = excluded.key_created_at, uninstall_token_hash = excluded.uninstall_token_hash,
          silent_since = NULL, removed_at = NULL`,
        [deviceId, key.publicKey, key.createdAt, key.uninstallTokenHash],
      );
    },
    async dropDeviceKey(deviceId) {
      await pool.query(
        `UPDATE device_trust SET public_key = NULL, uninstall_token_hash = NULL WHERE device_id = $1`,
        [deviceId],
      );
    },
    getDeviceTrust: (deviceId) =>
      first<DeviceTrustRow>(pool, `SELECT ${COLS} FROM device_trust WHERE device_id = $1`, [
        deviceId,
      ]),
    listDeviceTrust: () => all<DeviceTrustRow>(pool, `SELECT ${COLS} FROM device_trust`),
    putDevicePosture: (deviceId, posture, at) =>
      inTransaction(pool, async (client) => {
        const before = await first<DeviceTrustRow>(
          client,
          `SELECT ${COLS} FROM device_trust WHERE device_id = $1 FOR UPDATE`,
          [deviceId],
        );
        await client.query(
          `INSERT INTO device_trust (device_id, posture, posture_at) VALUES ($1, $2, $3)
          ON CONFLICT (device_id) DO UPDATE SET posture = excluded.posture,
          posture_at = excluded.posture_at, silent_since = NULL`,
          [deviceId, posture, at],
        );
        return before;
      }),
    async markSilentDevices(cutoff, now) {
      const rows = await all<{ deviceId: string }>(
        pool,
        `UPDATE device_trust SET silent_since = $1
        WHERE silent_since IS NULL AND removed_at IS NULL AND public_key IS NOT NULL
          AND coalesce(posture_at, key_created_at) < $2
          AND device_id IN (SELECT id FROM devices WHERE status = 'active')
        RETURNING device_id AS "deviceId"`,
        [now, cutoff],
      );
      return rows.map((r) => r.deviceId);
    },
    async markDeviceRemoved(deviceId, uninstallTokenHash, now) {
      const n = await changes(
        pool,
        `UPDATE device_trust SET removed_at = $1, public_key = NULL, uninstall_token_hash = NULL
        WHERE device_id = $2 AND uninstall_token_hash = $3`,
        [now, deviceId, uninstallTokenHash],
      );
      return n > 0;
    },
    async useDeviceProofChallenge(challengeHash, expiresAt) {
      const n = await changes(
        pool,
        `INSERT INTO device_proof_challenges (challenge_hash, expires_at) VALUES ($1, $2)
        ON CONFLICT (challenge_hash) DO NOTHING`,
        [challengeHash, expiresAt],
      );
      return n > 0;
    },
  };
}
