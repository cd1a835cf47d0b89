import type { DeviceTrustStore } from '../store-slices.ts';
import type { DeviceTrustRow } from '../types.ts';
import type { Db } from './open-database.ts';

const COLS = `device_id AS deviceId, public_key AS publicKey, key_created_at AS keyCreatedAt,
  uninstall_token_hash AS uninstallTokenHash, posture, posture_at AS postureAt,
  silent_since AS silentSince, removed_at AS removedAt`;

/** Device keys, posture and presence, and used device-proof challenges, on SQLite. */
export function deviceTrustQueries(db: Db): DeviceTrustStore {
  const q = {
    setKey:
      db.prepare(`INSERT INTO device_trust (device_id, public_key, key_created_at, uninstall_token_hash)
      VALUES (@deviceId, @publicKey, @createdAt, @uninstallTokenHash)
      ON CONFLICT (device_id) DO UPDATE SET public_key = excluded.public_key,
        key_created_at = excluded.key_created_at, uninstall_token_hash = excluded.uninstall_token_hash,
        silent_since = NULL, removed_at = NULL`),
    dropKey: db.prepare(
      `UPDATE device_trust SET public_key = NULL, uninstall_token_hash = NULL WHERE device_id = ?`,
    ),
    get: db.prepare(`SELECT ${COLS} FROM device_trust WHERE device_id = ?`),
    list: db.prepare(`SELECT ${COLS} FROM device_trust`),
    putPosture: db.prepare(`INSERT INTO device_trust (device_id, posture, posture_at)
      VALUES (?, ?, ?) ON CONFLICT (device_id) DO UPDATE SET posture = excluded.posture,
      posture_at = excluded.posture_at, silent_since = NULL`),
    markSilent: db.prepare(`UPDATE device_trust SET silent_since = ?
      WHERE silent_since IS NULL AND removed_at IS NULL AND public_key IS NOT NULL
        AND coalesce(posture_at, key_created_at) < ?
        AND device_id IN (SELECT id FROM devices WHERE status = 'active')
      RETURNING device_id AS deviceId`),
    markRemoved: db.prepare(`UPDATE device_trust SET removed_at = ?, public_key = NULL,
      uninstall_token_hash = NULL WHERE device_id = ? AND uninstall_token_hash = ?`),
    useChallenge: db.prepare(`INSERT INTO device_proof_challenges (challenge_hash, expires_at)
      VALUES (?, ?) ON CONFLICT (challenge_hash) DO NOTHING`),
  };
  const putPosture = db.transaction((deviceId: string, posture: string, at: string) => {
    const before = (q.get.get(deviceId) as DeviceTrustRow | undefined) ?? null;
    q.putPosture.run(deviceId, posture, at);
    return before;
  });
  return {
    async setDeviceKey(deviceId, key) {
      q.setKey.run({ deviceId, ...key });
    },
    async dropDeviceKey(deviceId) {
      q.dropKey.run(deviceId);
    },
    async getDeviceTrust(deviceId) {
      return (q.get.get(deviceId) as DeviceTrustRow | undefined) ?? null;
    },
    async listDeviceTrust() {
      return q.list.all() as DeviceTrustRow[];
    },
    async putDevicePosture(deviceId, posture, at) {
      return putPosture(deviceId, posture, at);
    },
    async markSilentDevices(cutoff, now) {
      return (q.markSilent.all(now, cutoff) as { deviceId: string }[]).map((r) => r.deviceId);
    },
    async markDeviceRemoved(deviceId, uninstallTokenHash, now) {
      return q.markRemoved.run(now, deviceId, uninstallTokenHash).changes > 0;
    },
    async useDeviceProofChallenge(challengeHash, expiresAt) {
      return q.useChallenge.run(challengeHash, expiresAt).changes > 0;
    },
  };
}
