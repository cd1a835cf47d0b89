import { ApiError } from '../errors.ts';
import type { InviteRow, Role, UserView } from '../store/types.ts';
import { hashToken, randomToken } from '../util/tokens.ts';
import type { AuditService } from '../audit/audit-service.ts';
import { isoNow, type ServiceContext } from './context.ts';

export const SETUP_TTL_MS = 3_600_000;
export const INVITE_TTL_MS = 24 * 3_600_000;
/** Employees get a week: a bulk invite goes out by mail and is not always opened the same day. */
export const EMPLOYEE_INVITE_TTL_MS = 7 * 24 * 3_600_000;

/** One person to invite; an employee's invite names the group they join. */
export interface NewInvite {
  email: string;
  role: Role;
  name?: string | null;
  groupId?: string | null;
}

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
    return this.create({
      kind: 'setup',
      email: null,
      role: 'admin',
      name: null,
      groupId: null,
      by: null,
      ttl: SETUP_TTL_MS,
    });
  }

  /**
   * An invite for one person. An invite is what proves an email: the account it creates
   * is verified. An employee's invite names their group. A verified account with the email
   * is a conflict; an unverified one (made with a shared code) gives way when the invite is
   * accepted.
   */
  async invite(input: NewInvite, by: UserView | 'system', ttlMs?: number) {
    const [result] = await this.inviteMany([input], by, ttlMs);
    return result!;
  }

  /**
   * Invites several people at once (the console's CSV import). Every row is checked before
   * any invite is made, and every problem is reported with its row, so an admin fixes the
   * list in one pass and a bad row never leaves half the list invited.
   */
  async inviteMany(rows: readonly NewInvite[], by: UserView | 'system', ttlMs?: number) {
    const problems: { row: number; message: string }[] = [];
    const seen = new Set<string>();
    for (const [i, r] of rows.entries()) {
      const email = r.email.toLowerCase();
      if (seen.has(email)) problems.push({ row: i, message: `${r.email} is listed twice` });
      seen.add(email);
      if (r.role === 'employee' && !r.groupId) {
        problems.push({ row: i, message: `${r.email}: an employee's invite needs a group` });
      }
      if (r.groupId && !(await this.ctx.store.getGroup(r.groupId))) {
        problems.push({ row: i, message: `${r.email}: there is no group ${r.groupId}` });
      }
      const existing = await this.ctx.store.getUserByEmail(r.email);
      if (existing?.emailVerified) {
        problems.push({ row: i, message: `${r.email} already has an account` });
      }
    }
    if (problems.length > 0) {
      const first = problems[0]!;
      throw new ApiError(
        problems.length === 1 && rows.length === 1 ? 'email_taken' : 'validation_failed',
        rows.length === 1
          ? `${first.message}.`
          : `row ${first.row + 1}: ${first.message}` +
              (problems.length > 1 ? ` (and ${problems.length - 1} more problems)` : '') +
              '. Nobody was invited.',
        { details: { problems } },
      );
    }
    const out = [];
    for (const r of rows) {
      const invite = await this.create({
        kind: 'invite',
        email: r.email,
        role: r.role,
        name: r.name ?? null,
        groupId: r.groupId ?? null,
        by: by === 'system' ? null : by.id,
        ttl: ttlMs ?? (r.role === 'employee' ? EMPLOYEE_INVITE_TTL_MS : INVITE_TTL_MS),
      });
      await this.audit.record(by, 'user.invite', `email:${r.email}`, {
        role: r.role,
        ...(r.groupId ? { groupId: r.groupId } : {}),
      });
      out.push({ email: r.email, name: r.name ?? null, ...invite });
    }
    return out;
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

  private async create(i: {
    kind: InviteRow['kind'];
    email: string | null;
    role: Role;
    name: string | null;
    groupId: string | null;
    by: string | null;
    ttl: number;
  }) {
    const token = randomToken(32);
    const expiresAt = isoNow(this.ctx, i.ttl);
    await this.ctx.store.createInvite({
      tokenHash: hashToken(token),
      kind: i.kind,
      email: i.email,
      role: i.role,
      name: i.name,
      groupId: i.groupId,
      createdBy: i.by,
      createdAt: isoNow(this.ctx),
      expiresAt,
      usedAt: null,
    });
    return { link: `${this.ctx.config.origin}/setup#${token}`, expiresAt };
  }
}
