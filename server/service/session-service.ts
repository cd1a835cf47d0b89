import type { UserView } from '../store/types.ts';
import { hashToken, randomToken } from '../util/tokens.ts';
import { isoNow, type ServiceContext } from './context.ts';

export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_ABSOLUTE_MS = 12 * 3_600_000;
/** How stale `lastSeenAt` may get before a request writes it (saves a write per request). */
const TOUCH_AFTER_MS = 60_000;

export interface ActiveSession {
  tokenHash: string;
  user: UserView;
}

/**
 * Person sessions: an opaque random token in the cookie, only its hash in the store.
 * A session ends after 30 minutes without a request or 12 hours after sign-in, on
 * logout, and when the user is disabled.
 */
export class SessionService {
  constructor(private readonly ctx: ServiceContext) {}

  /** `passkeyId`: the passkey that signed in, so removing that passkey ends the session. */
  async create(
    userId: string,
    passkeyId: string | null = null,
  ): Promise<{ token: string; expiresAt: string }> {
    const token = randomToken(32);
    const now = isoNow(this.ctx);
    const expiresAt = isoNow(this.ctx, SESSION_ABSOLUTE_MS);
    await this.ctx.store.createSession({
      tokenHash: hashToken(token),
      userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
      passkeyId,
    });
    return { token, expiresAt };
  }

  /** The live session for a cookie value, or null (expired, logged out, user disabled). */
  async resolve(token: string): Promise<ActiveSession | null> {
    if (token.length > 100) return null;
    const tokenHash = hashToken(token);
    const row = await this.ctx.store.getSession(tokenHash);
    if (!row) return null;
    const now = this.ctx.now();
    const idle = now - Date.parse(row.lastSeenAt) > SESSION_IDLE_MS;
    if (idle || Date.parse(row.expiresAt) <= now) {
      await this.ctx.store.deleteSession(tokenHash);
      return null;
    }
    const user = await this.ctx.store.getUser(row.userId);
    if (!user || user.disabled) return null;
    if (now - Date.parse(row.lastSeenAt) > TOUCH_AFTER_MS) {
      await this.ctx.store.touchSession(tokenHash, new Date(now).toISOString());
    }
    return { tokenHash, user };
  }

  async destroy(tokenHash: string): Promise<void> {
    await this.ctx.store.deleteSession(tokenHash);
  }
}
