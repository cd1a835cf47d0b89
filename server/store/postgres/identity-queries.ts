import type pg from 'pg';
import type { IdentityStore } from '../store-slices.ts';
import type { ChallengeRow, InviteRow, PasskeyRow, SessionRow, UserView } from '../types.ts';
import { inTransaction } from './in-transaction.ts';
import { mapPgError } from './pg-errors.ts';
import { all, changes, first } from './query-rows.ts';

// Quoted aliases: PostgreSQL folds unquoted identifiers to lower case.
const USER_SELECT = `SELECT u.id, u.name, u.email, u.role, u.group_id AS "groupId", u.disabled,
  u.webauthn_user_id AS "webauthnUserId", u.email_verified AS "emailVerified", u.created_at AS "createdAt",
  g.name AS "groupName"
  FROM users u LEFT JOIN groups g ON g.id = u.group_id`;
const PASSKEY_COLS = `id, user_id AS "userId", name, public_key AS "publicKey", counter, transports,
  device_type AS "deviceType", backed_up AS "backedUp", created_at AS "createdAt", last_used_at AS "lastUsedAt"`;
const INVITE_COLS = `token_hash AS "tokenHash", kind, email, role, name, group_id AS "groupId", created_by AS "createdBy",
  created_at AS "createdAt", expires_at AS "expiresAt", used_at AS "usedAt"`;
const SESSION_COLS = `token_hash AS "tokenHash", user_id AS "userId", created_at AS "createdAt",
  last_seen_at AS "lastSeenAt", expires_at AS "expiresAt", passkey_id AS "passkeyId"`;

const INSERT_USER = `INSERT INTO users (id, name, email, role, group_id, disabled, webauthn_user_id,
  email_verified, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`;
const INSERT_PASSKEY = `INSERT INTO passkeys (id, user_id, name, public_key, counter, transports, device_type,
  backed_up, created_at, last_used_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`;

const passkeyParams = (p: PasskeyRow) => [
  p.id,
  p.userId,
  p.name,
  Buffer.from(p.publicKey),
  p.counter,
  JSON.stringify(p.transports),
  p.deviceType,
  p.backedUp,
  p.createdAt,
  p.lastUsedAt,
];

function toPasskey(r: (Omit<PasskeyRow, 'publicKey'> & { publicKey: Buffer }) | null) {
  return r ? { ...r, publicKey: new Uint8Array(r.publicKey) } : null;
}

/** Users, passkeys, WebAuthn challenges, sessions and invites on PostgreSQL. */
export function identityQueries(pool: pg.Pool): IdentityStore {
  return {
    async countUsersWithRole(role) {
      const r = await first<{ n: number }>(
        pool,
        `SELECT count(*) AS n FROM users WHERE role = $1 AND NOT disabled`,
        [role],
      );
      return r?.n ?? 0;
    },
    async createUserWithPasskey(user, passkey) {
      await inTransaction(pool, async (client) => {
        await client.query(INSERT_USER, [
          user.id,
          user.name,
          user.email,
          user.role,
          user.groupId,
          user.disabled,
          user.webauthnUserId,
          user.emailVerified,
          user.createdAt,
        ]);
        await client.query(INSERT_PASSKEY, passkeyParams(passkey));
      }).catch(mapPgError);
    },
    getUser: (id) => first<UserView>(pool, `${USER_SELECT} WHERE u.id = $1`, [id]),
    // Emails are unique regardless of case (the index is on lower(email)), as in SQLite's NOCASE.
    getUserByEmail: (email) =>
      first<UserView>(pool, `${USER_SELECT} WHERE lower(u.email) = lower($1)`, [email]),
    listUsers: () => all<UserView>(pool, `${USER_SELECT} ORDER BY lower(u.name), u.email`),
    async updateUser(id, patch) {
      const sets: string[] = [];
      const params: unknown[] = [];
      const set = (column: string, value: unknown) => {
        params.push(value);
        sets.push(`${column} = $${params.length}`);
      };
      if (patch.role !== undefined) set('role', patch.role);
      if (patch.disabled !== undefined) set('disabled', patch.disabled);
      if (patch.groupId !== undefined) set('group_id', patch.groupId);
      if (patch.emailVerified !== undefined) set('email_verified', patch.emailVerified);
      if (sets.length) {
        params.push(id);
        await pool.query(
          `UPDATE users SET ${sets.join(', ')} WHERE id = $${params.length}`,
          params,
        );
      }
      return first<UserView>(pool, `${USER_SELECT} WHERE u.id = $1`, [id]);
    },
    deleteUnverifiedUser(id) {
      return inTransaction(pool, async (client) => {
        const found = await first<{ v: boolean }>(
          client,
          `SELECT email_verified AS v FROM users WHERE id = $1 FOR UPDATE`,
          [id],
        );
        if (!found || found.v) return false;
        await client.query(
          `UPDATE devices SET status = 'revoked', user_id = NULL WHERE user_id = $1`,
          [id],
        );
        await client.query(`DELETE FROM pairing_tokens WHERE user_id = $1`, [id]);
        // Passkeys, sessions and device claims go with the user (ON DELETE CASCADE).
        return (await changes(client, `DELETE FROM users WHERE id = $1`, [id])) > 0;
      });
    },
    async addPasskey(passkey) {
      await pool.query(INSERT_PASSKEY, passkeyParams(passkey)).catch(mapPgError);
    },
    async getPasskey(id) {
      return toPasskey(
        await first(pool, `SELECT ${PASSKEY_COLS} FROM passkeys WHERE id = $1`, [id]),
      );
    },
    async listPasskeys(userId) {
      const rows = await all<Parameters<typeof toPasskey>[0]>(
        pool,
        `SELECT ${PASSKEY_COLS} FROM passkeys WHERE user_id = $1 ORDER BY created_at, id`,
        [userId],
      );
      return rows.map((r) => toPasskey(r)!);
    },
    async recordPasskeyUse(id, use) {
      await pool.query(
        `UPDATE passkeys SET counter = $1, backed_up = $2, last_used_at = $3 WHERE id = $4`,
        [use.counter, use.backedUp, use.lastUsedAt, id],
      );
    },
    deletePasskeyUnlessLast(userId, id) {
      // Locking the user's row first makes two concurrent deletes of a user's last two
      // passkeys take turns, so the second counts what the first left (one passkey).
      return inTransaction(pool, async (client) => {
        await client.query(`SELECT 1 FROM users WHERE id = $1 FOR UPDATE`, [userId]);
        const n = await changes(
          client,
          `DELETE FROM passkeys WHERE id = $1 AND user_id = $2
          AND (SELECT count(*) FROM passkeys WHERE user_id = $2) > 1`,
          [id, userId],
        );
        return n > 0;
      });
    },
    async putChallenge(row) {
      await pool.query(
        `INSERT INTO challenges (challenge, purpose, context, expires_at) VALUES ($1, $2, $3, $4)`,
        [row.challenge, row.purpose, row.context, row.expiresAt],
      );
    },
    takeChallenge: (challenge) =>
      first<ChallengeRow>(
        pool,
        `DELETE FROM challenges WHERE challenge = $1
        RETURNING challenge, purpose, context, expires_at AS "expiresAt"`,
        [challenge],
      ),
    async createSession(row) {
      await pool.query(
        `INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, passkey_id)
        VALUES ($1, $2, $3, $4, $5, $6)`,
        [row.tokenHash, row.userId, row.createdAt, row.lastSeenAt, row.expiresAt, row.passkeyId],
      );
    },
    getSession: (tokenHash) =>
      first<SessionRow>(pool, `SELECT ${SESSION_COLS} FROM sessions WHERE token_hash = $1`, [
        tokenHash,
      ]),
    async touchSession(tokenHash, lastSeenAt) {
      await pool.query(`UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2`, [
        lastSeenAt,
        tokenHash,
      ]);
    },
    async deleteSession(tokenHash) {
      await pool.query(`DELETE FROM sessions WHERE token_hash = $1`, [tokenHash]);
    },
    async deleteUserSessions(userId) {
      await pool.query(`DELETE FROM sessions WHERE user_id = $1`, [userId]);
    },
    async deletePasskeySessions(passkeyId) {
      await pool.query(`DELETE FROM sessions WHERE passkey_id = $1`, [passkeyId]);
    },
    async createInvite(row) {
      await pool.query(
        `INSERT INTO invites (token_hash, kind, email, role, name, group_id, created_by, created_at,
        expires_at, used_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          row.tokenHash,
          row.kind,
          row.email,
          row.role,
          row.name,
          row.groupId,
          row.createdBy,
          row.createdAt,
          row.expiresAt,
          row.usedAt,
        ],
      );
    },
    getInvite: (tokenHash) =>
      first<InviteRow>(pool, `SELECT ${INVITE_COLS} FROM invites WHERE token_hash = $1`, [
        tokenHash,
      ]),
    useInvite: (tokenHash, now) =>
      first<InviteRow>(
        pool,
        `UPDATE invites SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1
        RETURNING ${INVITE_COLS}`,
        [now, tokenHash],
      ),
    async deleteUnusedInvites(kind) {
      await pool.query(`DELETE FROM invites WHERE kind = $1 AND used_at IS NULL`, [kind]);
    },
  };
}
