import type pg from 'pg';
import type { OidcStore } from '../store-slices.ts';
import type { OidcClientRow, OidcKeyRow, OidcModelRow, OidcSigninRow } from '../types.ts';
import { signinWhere } from '../signin-where.ts';
import { inTransaction } from './in-transaction.ts';
import { mapPgError } from './pg-errors.ts';
import { all, changes, first } from './query-rows.ts';

const MODEL_COLS = `model, id, payload, grant_id AS "grantId", uid, user_code AS "userCode",
  expires_at AS "expiresAt", consumed_at AS "consumedAt"`;
const CLIENT_COLS = `id, name, redirect_uris AS "redirectUris", app_id AS "appId",
  backchannel_logout_uri AS "backchannelLogoutUri", secret_hash AS "secretHash", created_at AS "createdAt"`;
const KEY_COLS = `kid, private_jwk AS "privateJwk", created_at AS "createdAt", retired_at AS "retiredAt"`;
const SIGNIN_COLS = `grant_id AS "grantId", client_id AS "clientId", user_id AS "userId",
  device_id AS "deviceId", trust, app_id AS "appId", session_uid AS "sessionUid", sid,
  client_address AS "clientAddress", posture, created_at AS "createdAt", ended_at AS "endedAt",
  end_reason AS "endReason"`;

type RawClient = Omit<OidcClientRow, 'redirectUris'> & { redirectUris: string };
const toClient = (r: RawClient | null): OidcClientRow | null =>
  r ? { ...r, redirectUris: JSON.parse(r.redirectUris) as string[] } : null;

/** oidc-provider's models, app clients, signing keys and sign-ins on PostgreSQL. */
export function oidcQueries(pool: pg.Pool): OidcStore {
  return {
    async putOidcModel(r) {
      await pool.query(
        `INSERT INTO oidc_models (model, id, payload, grant_id, uid, user_code, expires_at, consumed_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        ON CONFLICT (model, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id,
          uid = excluded.uid, user_code = excluded.user_code, expires_at = excluded.expires_at,
          consumed_at = excluded.consumed_at`,
        [r.model, r.id, r.payload, r.grantId, r.uid, r.userCode, r.expiresAt, r.consumedAt],
      );
    },
    getOidcModel: (model, id) =>
      first<OidcModelRow>(
        pool,
        `SELECT ${MODEL_COLS} FROM oidc_models WHERE model = $1 AND id = $2`,
        [model, id],
      ),
    findOidcModelBy: (model, field, value) =>
      first<OidcModelRow>(
        pool,
        `SELECT ${MODEL_COLS} FROM oidc_models WHERE model = $1 AND ${field === 'uid' ? 'uid' : 'user_code'} = $2`,
        [model, value],
      ),
    async consumeOidcModel(model, id, at) {
      await pool.query(
        `UPDATE oidc_models SET consumed_at = $1 WHERE model = $2 AND id = $3 AND consumed_at IS NULL`,
        [at, model, id],
      );
    },
    async deleteOidcModel(model, id) {
      await pool.query(`DELETE FROM oidc_models WHERE model = $1 AND id = $2`, [model, id]);
    },
    async deleteOidcGrantModels(grantId) {
      await pool.query(`DELETE FROM oidc_models WHERE grant_id = $1`, [grantId]);
    },
    async createOidcClient(r) {
      await pool
        .query(
          `INSERT INTO oidc_clients (id, name, redirect_uris, app_id, backchannel_logout_uri, secret_hash, created_at)
          VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [
            r.id,
            r.name,
            JSON.stringify(r.redirectUris),
            r.appId,
            r.backchannelLogoutUri,
            r.secretHash,
            r.createdAt,
          ],
        )
        .catch(mapPgError);
    },
    async getOidcClient(id) {
      return toClient(
        await first<RawClient>(pool, `SELECT ${CLIENT_COLS} FROM oidc_clients WHERE id = $1`, [id]),
      );
    },
    async listOidcClients() {
      const rows = await all<RawClient>(
        pool,
        `SELECT ${CLIENT_COLS} FROM oidc_clients ORDER BY name, id`,
      );
      return rows.map((r) => toClient(r)!);
    },
    async deleteOidcClient(id) {
      return (await changes(pool, `DELETE FROM oidc_clients WHERE id = $1`, [id])) > 0;
    },
    async addOidcKey(r) {
      await pool.query(
        `INSERT INTO oidc_keys (kid, private_jwk, created_at, retired_at) VALUES ($1, $2, $3, $4)`,
        [r.kid, r.privateJwk, r.createdAt, r.retiredAt],
      );
    },
    listOidcKeys: () =>
      all<OidcKeyRow>(pool, `SELECT ${KEY_COLS} FROM oidc_keys ORDER BY created_at DESC, kid DESC`),
    async rotateOidcKey(r, at) {
      await inTransaction(pool, async (client) => {
        await client.query(`UPDATE oidc_keys SET retired_at = $1 WHERE retired_at IS NULL`, [at]);
        await client.query(
          `INSERT INTO oidc_keys (kid, private_jwk, created_at, retired_at) VALUES ($1, $2, $3, $4)`,
          [r.kid, r.privateJwk, r.createdAt, r.retiredAt],
        );
      });
    },
    deleteOidcKeysRetiredBefore: (before) =>
      changes(pool, `DELETE FROM oidc_keys WHERE retired_at IS NOT NULL AND retired_at < $1`, [
        before,
      ]),
    async putOidcSignin(r) {
      await pool.query(
        `INSERT INTO oidc_signins (grant_id, client_id, user_id, device_id, trust, app_id, session_uid,
          sid, client_address, posture, created_at, ended_at, end_reason)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
        ON CONFLICT (grant_id) DO UPDATE SET client_id = excluded.client_id, user_id = excluded.user_id,
          device_id = excluded.device_id, trust = excluded.trust, app_id = excluded.app_id,
          session_uid = excluded.session_uid, sid = excluded.sid, client_address = excluded.client_address,
          posture = excluded.posture, created_at = excluded.created_at, ended_at = excluded.ended_at,
          end_reason = excluded.end_reason`,
        [
          r.grantId,
          r.clientId,
          r.userId,
          r.deviceId,
          r.trust,
          r.appId,
          r.sessionUid,
          r.sid,
          r.clientAddress,
          r.posture,
          r.createdAt,
          r.endedAt,
          r.endReason,
        ],
      );
    },
    getOidcSignin: (grantId) =>
      first<OidcSigninRow>(pool, `SELECT ${SIGNIN_COLS} FROM oidc_signins WHERE grant_id = $1`, [
        grantId,
      ]),
    async listOidcSignins(filter) {
      const { where, params } = signinWhere(filter, (n) => `$${n}`);
      params.push(filter.limit);
      return all<OidcSigninRow>(
        pool,
        `SELECT ${SIGNIN_COLS} FROM oidc_signins ${where}
        ORDER BY created_at DESC, grant_id LIMIT $${params.length}`,
        params,
      );
    },
    async endOidcSignins(grantIds, reason, at) {
      if (grantIds.length === 0) return [];
      return all<OidcSigninRow>(
        pool,
        `UPDATE oidc_signins SET ended_at = $1, end_reason = $2
        WHERE grant_id = ANY($3::text[]) AND ended_at IS NULL RETURNING ${SIGNIN_COLS}`,
        [at, reason, grantIds],
      );
    },
  };
}
