import type { OidcStore } from '../store-slices.ts';
import type { OidcClientRow, OidcKeyRow, OidcModelRow, OidcSigninRow } from '../types.ts';
import { signinWhere } from '../signin-where.ts';
import type { Db } from './open-database.ts';
import { uniqueChecked } from './sqlite-errors.ts';

type Raw = Record<string, unknown>;

const MODEL_COLS = `model, id, payload, grant_id AS grantId, uid, user_code AS userCode,
  expires_at AS expiresAt, consumed_at AS consumedAt`;
const CLIENT_COLS = `id, name, redirect_uris AS redirectUris, app_id AS appId,
  backchannel_logout_uri AS backchannelLogoutUri, secret_hash AS secretHash, created_at AS createdAt`;
const KEY_COLS = `kid, private_jwk AS privateJwk, created_at AS createdAt, retired_at AS retiredAt`;
const SIGNIN_COLS = `grant_id AS grantId, client_id AS clientId, user_id AS userId, device_id AS deviceId,
  trust, app_id AS appId, session_uid AS sessionUid, sid, client_address AS clientAddress, posture,
  created_at AS createdAt, ended_at AS endedAt, end_reason AS endReason`;

const toClient = (r: Raw | undefined): OidcClientRow | null =>
  r ? ({ ...r, redirectUris: JSON.parse(r.redirectUris as string) } as OidcClientRow) : null;

/** oidc-provider's models, app clients, signing keys and sign-ins on SQLite. */
export function oidcQueries(db: Db): OidcStore {
  const q = {
    putModel: db.prepare(`INSERT INTO oidc_models
      (model, id, payload, grant_id, uid, user_code, expires_at, consumed_at)
      VALUES (@model, @id, @payload, @grantId, @uid, @userCode, @expiresAt, @consumedAt)
      ON CONFLICT (model, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id,
        uid = excluded.uid, user_code = excluded.user_code, expires_at = excluded.expires_at,
        consumed_at = excluded.consumed_at`),
    model: db.prepare(`SELECT ${MODEL_COLS} FROM oidc_models WHERE model = ? AND id = ?`),
    byUid: db.prepare(`SELECT ${MODEL_COLS} FROM oidc_models WHERE model = ? AND uid = ?`),
    byUserCode: db.prepare(
      `SELECT ${MODEL_COLS} FROM oidc_models WHERE model = ? AND user_code = ?`,
    ),
    consume: db.prepare(
      `UPDATE oidc_models SET consumed_at = ? WHERE model = ? AND id = ? AND consumed_at IS NULL`,
    ),
    deleteModel: db.prepare(`DELETE FROM oidc_models WHERE model = ? AND id = ?`),
    deleteGrant: db.prepare(`DELETE FROM oidc_models WHERE grant_id = ?`),
    insertClient: db.prepare(`INSERT INTO oidc_clients
      (id, name, redirect_uris, app_id, backchannel_logout_uri, secret_hash, created_at)
      VALUES (@id, @name, @redirectUris, @appId, @backchannelLogoutUri, @secretHash, @createdAt)`),
    client: db.prepare(`SELECT ${CLIENT_COLS} FROM oidc_clients WHERE id = ?`),
    clients: db.prepare(`SELECT ${CLIENT_COLS} FROM oidc_clients ORDER BY name, id`),
    deleteClient: db.prepare(`DELETE FROM oidc_clients WHERE id = ?`),
    insertKey: db.prepare(`INSERT INTO oidc_keys (kid, private_jwk, created_at, retired_at)
      VALUES (@kid, @privateJwk, @createdAt, @retiredAt)`),
    keys: db.prepare(`SELECT ${KEY_COLS} FROM oidc_keys ORDER BY created_at DESC, kid DESC`),
    retireKeys: db.prepare(`UPDATE oidc_keys SET retired_at = ? WHERE retired_at IS NULL`),
    deleteKeys: db.prepare(`DELETE FROM oidc_keys WHERE retired_at IS NOT NULL AND retired_at < ?`),
    putSignin: db.prepare(`INSERT OR REPLACE INTO oidc_signins
      (grant_id, client_id, user_id, device_id, trust, app_id, session_uid, sid, client_address, posture,
       created_at, ended_at, end_reason)
      VALUES (@grantId, @clientId, @userId, @deviceId, @trust, @appId, @sessionUid, @sid, @clientAddress,
       @posture, @createdAt, @endedAt, @endReason)`),
    signin: db.prepare(`SELECT ${SIGNIN_COLS} FROM oidc_signins WHERE grant_id = ?`),
    endSignin: db.prepare(`UPDATE oidc_signins SET ended_at = ?, end_reason = ?
      WHERE grant_id = ? AND ended_at IS NULL RETURNING ${SIGNIN_COLS}`),
  };
  const rotate = db.transaction((row: OidcKeyRow, at: string) => {
    q.retireKeys.run(at);
    q.insertKey.run(row);
  });
  const end = db.transaction((grantIds: string[], reason: string, at: string) =>
    grantIds.flatMap((id) => q.endSignin.all(at, reason, id) as OidcSigninRow[]),
  );
  return {
    async putOidcModel(row) {
      q.putModel.run(row);
    },
    async getOidcModel(model, id) {
      return (q.model.get(model, id) as OidcModelRow | undefined) ?? null;
    },
    async findOidcModelBy(model, field, value) {
      const stmt = field === 'uid' ? q.byUid : q.byUserCode;
      return (stmt.get(model, value) as OidcModelRow | undefined) ?? null;
    },
    async consumeOidcModel(model, id, at) {
      q.consume.run(at, model, id);
    },
    async deleteOidcModel(model, id) {
      q.deleteModel.run(model, id);
    },
    async deleteOidcGrantModels(grantId) {
      q.deleteGrant.run(grantId);
    },
    async createOidcClient(row) {
      uniqueChecked(() =>
        q.insertClient.run({ ...row, redirectUris: JSON.stringify(row.redirectUris) }),
      );
    },
    async getOidcClient(id) {
      return toClient(q.client.get(id) as Raw | undefined);
    },
    async listOidcClients() {
      return (q.clients.all() as Raw[]).map((r) => toClient(r)!);
    },
    async deleteOidcClient(id) {
      return q.deleteClient.run(id).changes > 0;
    },
    async addOidcKey(row) {
      q.insertKey.run(row);
    },
    async listOidcKeys() {
      return q.keys.all() as OidcKeyRow[];
    },
    async rotateOidcKey(row, at) {
      rotate(row, at);
    },
    async deleteOidcKeysRetiredBefore(before) {
      return q.deleteKeys.run(before).changes;
    },
    async putOidcSignin(row) {
      q.putSignin.run(row);
    },
    async getOidcSignin(grantId) {
      return (q.signin.get(grantId) as OidcSigninRow | undefined) ?? null;
    },
    async listOidcSignins(filter) {
      const { where, params } = signinWhere(filter, () => '?');
      const sql = `SELECT ${SIGNIN_COLS} FROM oidc_signins ${where}
        ORDER BY created_at DESC, grant_id LIMIT ?`;
      return db.prepare(sql).all(...params, filter.limit) as OidcSigninRow[];
    },
    async endOidcSignins(grantIds, reason, at) {
      return end(grantIds, reason, at);
    },
  };
}
