import type { IdentityStore } from '../store-slices.ts';
import type { ChallengeRow, InviteRow, PasskeyRow, SessionRow, UserView } from '../types.ts';
import type { Db } from './open-database.ts';
import { bool, int, uniqueChecked } from './sqlite-errors.ts';

const USER_COLS = `u.id, u.name, u.email, u.role, u.group_id AS groupId, u.disabled,
  u.webauthn_user_id AS webauthnUserId, u.email_verified AS emailVerified, u.created_at AS createdAt,
  g.name AS groupName`;
const USER_FROM = `FROM users u LEFT JOIN groups g ON g.id = u.group_id`;
const PASSKEY_COLS = `id, user_id AS userId, name, public_key AS publicKey, counter, transports,
  device_type AS deviceType, backed_up AS backedUp, created_at AS createdAt, last_used_at AS lastUsedAt`;
const INVITE_COLS = `token_hash AS tokenHash, kind, email, role, name, group_id AS groupId, created_by AS createdBy,
  created_at AS createdAt, expires_at AS expiresAt, used_at AS usedAt`;

type Raw = Record<string, unknown>;

function toUser(r: Raw | undefined): UserView | null {
  return r
    ? ({
        ...r,
        disabled: bool(r.disabled),
        emailVerified: bool(r.emailVerified),
      } as unknown as UserView)
    : null;
}

function toPasskey(r: Raw | undefined): PasskeyRow | null {
  if (!r) return null;
  return {
    ...(r as unknown as PasskeyRow),
    publicKey: new Uint8Array(r.publicKey as Buffer),
    transports: JSON.parse(r.transports as string) as string[],
    backedUp: bool(r.backedUp),
  };
}

/** Users, passkeys, WebAuthn challenges, sessions and invites on SQLite. */
export function identityQueries(db: Db): IdentityStore {
  const q = {
    countRole: db.prepare(`SELECT count(*) AS n FROM users WHERE role = ? AND disabled = 0`),
    insertUser:
      db.prepare(`INSERT INTO users (id, name, email, role, group_id, disabled, webauthn_user_id, email_verified, created_at)
      VALUES (@id, @name, @email, @role, @groupId, @disabled, @webauthnUserId, @emailVerified, @createdAt)`),
    insertPasskey:
      db.prepare(`INSERT INTO passkeys (id, user_id, name, public_key, counter, transports, device_type,
      backed_up, created_at, last_used_at) VALUES (@id, @userId, @name, @publicKey, @counter, @transports, @deviceType,
      @backedUp, @createdAt, @lastUsedAt)`),
    userById: db.prepare(`SELECT ${USER_COLS} ${USER_FROM} WHERE u.id = ?`),
    userByEmail: db.prepare(`SELECT ${USER_COLS} ${USER_FROM} WHERE u.email = ?`),
    users: db.prepare(`SELECT ${USER_COLS} ${USER_FROM} ORDER BY u.name COLLATE NOCASE, u.email`),
    passkey: db.prepare(`SELECT ${PASSKEY_COLS} FROM passkeys WHERE id = ?`),
    passkeys: db.prepare(
      `SELECT ${PASSKEY_COLS} FROM passkeys WHERE user_id = ? ORDER BY created_at`,
    ),
    passkeyUse: db.prepare(
      `UPDATE passkeys SET counter = ?, backed_up = ?, last_used_at = ? WHERE id = ?`,
    ),
    deletePasskey: db.prepare(`DELETE FROM passkeys WHERE id = ? AND user_id = ?
      AND (SELECT count(*) FROM passkeys WHERE user_id = ?) > 1`),
    putChallenge: db.prepare(`INSERT INTO challenges (challenge, purpose, context, expires_at)
      VALUES (@challenge, @purpose, @context, @expiresAt)`),
    takeChallenge: db.prepare(`DELETE FROM challenges WHERE challenge = ?
      RETURNING challenge, purpose, context, expires_at AS expiresAt`),
    insertSession:
      db.prepare(`INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, passkey_id)
      VALUES (@tokenHash, @userId, @createdAt, @lastSeenAt, @expiresAt, @passkeyId)`),
    session: db.prepare(`SELECT token_hash AS tokenHash, user_id AS userId, created_at AS createdAt,
      last_seen_at AS lastSeenAt, expires_at AS expiresAt, passkey_id AS passkeyId
      FROM sessions WHERE token_hash = ?`),
    touchSession: db.prepare(`UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?`),
    deleteSession: db.prepare(`DELETE FROM sessions WHERE token_hash = ?`),
    deleteUserSessions: db.prepare(`DELETE FROM sessions WHERE user_id = ?`),
    deletePasskeySessions: db.prepare(`DELETE FROM sessions WHERE passkey_id = ?`),
    revokeUserDevices: db.prepare(
      `UPDATE devices SET status = 'revoked', user_id = NULL WHERE user_id = ?`,
    ),
    deletePairingTokens: db.prepare(`DELETE FROM pairing_tokens WHERE user_id = ?`),
    deleteUnverifiedUser: db.prepare(`DELETE FROM users WHERE id = ? AND email_verified = 0`),
    insertInvite:
      db.prepare(`INSERT INTO invites (token_hash, kind, email, role, name, group_id, created_by, created_at,
      expires_at, used_at) VALUES (@tokenHash, @kind, @email, @role, @name, @groupId, @createdBy, @createdAt,
      @expiresAt, @usedAt)`),
    invite: db.prepare(`SELECT ${INVITE_COLS} FROM invites WHERE token_hash = ?`),
    useInvite:
      db.prepare(`UPDATE invites SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
      RETURNING ${INVITE_COLS}`),
    deleteUnusedInvites: db.prepare(`DELETE FROM invites WHERE kind = ? AND used_at IS NULL`),
  };

  const createUserWithPasskey = db.transaction((user: Raw, passkey: Raw) => {
    q.insertUser.run(user);
    q.insertPasskey.run(passkey);
  });
  const deleteUnverifiedUser = db.transaction((id: string) => {
    const found = q.userById.get(id) as Raw | undefined;
    if (!found || bool(found.emailVerified)) return false;
    q.revokeUserDevices.run(id);
    q.deletePairingTokens.run(id);
    return q.deleteUnverifiedUser.run(id).changes > 0; // passkeys, sessions, claims cascade
  });
  const passkeyParams = (p: PasskeyRow): Raw => ({
    ...p,
    publicKey: Buffer.from(p.publicKey),
    transports: JSON.stringify(p.transports),
    backedUp: int(p.backedUp),
  });

  return {
    async countUsersWithRole(role) {
      return (q.countRole.get(role) as { n: number }).n;
    },
    async createUserWithPasskey(user, passkey) {
      uniqueChecked(() =>
        createUserWithPasskey(
          { ...user, disabled: int(user.disabled), emailVerified: int(user.emailVerified) },
          passkeyParams(passkey),
        ),
      );
    },
    async getUser(id) {
      return toUser(q.userById.get(id) as Raw | undefined);
    },
    async getUserByEmail(email) {
      return toUser(q.userByEmail.get(email) as Raw | undefined);
    },
    async listUsers() {
      return (q.users.all() as Raw[]).map((r) => toUser(r)!);
    },
    async updateUser(id, patch) {
      const sets: string[] = [];
      const params: unknown[] = [];
      const set = (sql: string, value: unknown) => {
        sets.push(sql);
        params.push(value);
      };
      if (patch.role !== undefined) set('role = ?', patch.role);
      if (patch.disabled !== undefined) set('disabled = ?', int(patch.disabled));
      if (patch.groupId !== undefined) set('group_id = ?', patch.groupId);
      if (patch.emailVerified !== undefined) set('email_verified = ?', int(patch.emailVerified));
      if (sets.length)
        db.prepare(`UPDATE users SET ${sets.join(', ')} WHERE id = ?`).run(...params, id);
      return toUser(q.userById.get(id) as Raw | undefined);
    },
    async deleteUnverifiedUser(id) {
      return deleteUnverifiedUser(id);
    },
    async addPasskey(passkey) {
      uniqueChecked(() => q.insertPasskey.run(passkeyParams(passkey)));
    },
    async getPasskey(id) {
      return toPasskey(q.passkey.get(id) as Raw | undefined);
    },
    async listPasskeys(userId) {
      return (q.passkeys.all(userId) as Raw[]).map((r) => toPasskey(r)!);
    },
    async recordPasskeyUse(id, use) {
      q.passkeyUse.run(use.counter, int(use.backedUp), use.lastUsedAt, id);
    },
    async deletePasskeyUnlessLast(userId, id) {
      return q.deletePasskey.run(id, userId, userId).changes > 0;
    },
    async putChallenge(row) {
      q.putChallenge.run(row);
    },
    async takeChallenge(challenge) {
      return (q.takeChallenge.get(challenge) as ChallengeRow | undefined) ?? null;
    },
    async createSession(row) {
      q.insertSession.run(row);
    },
    async getSession(tokenHash) {
      return (q.session.get(tokenHash) as SessionRow | undefined) ?? null;
    },
    async touchSession(tokenHash, lastSeenAt) {
      q.touchSession.run(lastSeenAt, tokenHash);
    },
    async deleteSession(tokenHash) {
      q.deleteSession.run(tokenHash);
    },
    async deleteUserSessions(userId) {
      q.deleteUserSessions.run(userId);
    },
    async deletePasskeySessions(passkeyId) {
      q.deletePasskeySessions.run(passkeyId);
    },
    async createInvite(row) {
      q.insertInvite.run(row);
    },
    async getInvite(tokenHash) {
      return (q.invite.get(tokenHash) as InviteRow | undefined) ?? null;
    },
    async useInvite(tokenHash, now) {
      return (q.useInvite.get(now, tokenHash, now) as InviteRow | undefined) ?? null;
    },
    async deleteUnusedInvites(kind) {
      q.deleteUnusedInvites.run(kind);
    },
  };
}
