import { ApiError } from '../errors.ts';
import type { InviteRow, Role, UserView } from '../store/types.ts';
import { hashToken, randomToken } from '../util/tokens.ts';
import type { AuditService } from '../audit/audit-service.ts';
import { isoNow, type ServiceContext } from './context.ts';

export const SETUP_TTL_MS = 3_600_000;
export const INVITE_TTL_MS = 24 * 3_600_000;

/**
 * One-time links through which an admin or auditor registers a passkey: the setup link
 * printed at first start (no admin yet), and invites. The link's token travels in the
 * URL fragment (`/setup#<token>`), which browsers never send to servers or log.
 */
export class InviteService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly audit: AuditService,
  ) {}

  /** A fresh setup link when no admin exists (earlier unused ones stop working), else null. */
  async setupLinkIfNoAdmin(): Promise<{ link: string; expiresAt: string } | null> {
    if ((await this.ctx.store.countUsersWithRole('admin')) > 0) return null;
    await this.ctx.store.deleteUnusedInvites('setup');
    return this.create('setup', null, 'admin', null, SETUP_TTL_MS);
  }

  async invite(
    email: string,
    role: Exclude<Role, 'employee'>,
    by: UserView | 'system',
    ttlMs = INVITE_TTL_MS,
  ) {
    const existing = await this.ctx.store.getUserByEmail(email);
    if (existing) throw new ApiError('email_taken', `${email} already has an account.`);
    const result = await this.create('invite', email, role, by === 'system' ? null : by.id, ttlMs);
    await this.audit.record(by, 'user.invite', `email:${email}`, { role });
    return result;
  }

  /** The unused, unexpired invite for a token, or the error that says why not. */
  async usable(token: string): Promise<InviteRow> {
    const invite = await this.ctx.store.getInvite(hashToken(token));
    if (!invite || invite.usedAt) {
      throw new ApiError(
        'token_invalid',
        'This link is not valid or was already used. Ask an admin for a new one.',
      );
    }
    if (invite.expiresAt <= isoNow(this.ctx)) {
      throw new ApiError('token_expired', 'This link has expired. Ask an admin for a new one.');
    }
    return invite;
  }

  /** Marks the invite used (once, even under concurrent requests). */
  async consume(token: string): Promise<InviteRow> {
    const used = await this.ctx.store.useInvite(hashToken(token), isoNow(this.ctx));
    return used ?? this.usable(token); // throws the precise reason
  }

  private async create(
    kind: InviteRow['kind'],
    email: string | null,
    role: Role,
    by: string | null,
    ttl: number,
  ) {
    const token = randomToken(32);
    const expiresAt = isoNow(this.ctx, ttl);
    await this.ctx.store.createInvite({
      tokenHash: hashToken(token),
      kind,
      email,
      role,
      createdBy: by,
      createdAt: isoNow(this.ctx),
      expiresAt,
      usedAt: null,
    });
    return { link: `${this.ctx.config.origin}/setup#${token}`, expiresAt };
  }
}
