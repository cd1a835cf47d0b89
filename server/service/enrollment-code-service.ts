import type { AuditService } from '../audit/audit-service.ts';
import { ApiError } from '../errors.ts';
import type { EnrollmentCodeView, UserView } from '../store/types.ts';
import { enrollmentCode, hashToken, newId, normalizeEnrollmentCode } from '../util/tokens.ts';
import { isoNow, type ServiceContext } from './context.ts';

/**
 * Enrollment codes: per group, optionally expiring, limited in uses and restricted to an
 * email domain, revocable. An employee (PWA) or a force-installed extension (managed
 * storage) enrolls with one. A code is a shared secret (every force-installed browser can
 * read it in chrome://policy), so it is stored only as its hash and shown once, and an
 * account it creates is unverified until an admin approves it.
 */
export class EnrollmentCodeService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly audit: AuditService,
  ) {}

  async create(
    by: UserView,
    input: {
      groupId: string;
      expiresAt?: string | null;
      maxUses?: number | null;
      emailDomain?: string | null;
    },
  ): Promise<EnrollmentCodeView & { code: string }> {
    const group = await this.ctx.store.getGroup(input.groupId);
    if (!group) throw new ApiError('not_found', `There is no group ${input.groupId}.`);
    if (input.expiresAt && input.expiresAt <= isoNow(this.ctx)) {
      throw new ApiError('validation_failed', 'expiresAt must be in the future.');
    }
    const id = newId();
    const code = enrollmentCode();
    await this.ctx.store.createEnrollmentCode({
      id,
      codeHash: hashToken(code),
      codeHint: code.slice(-4),
      emailDomain: input.emailDomain ? input.emailDomain.toLowerCase() : null,
      groupId: group.id,
      createdBy: by.id,
      createdAt: isoNow(this.ctx),
      expiresAt: input.expiresAt ?? null,
      maxUses: input.maxUses ?? null,
      uses: 0,
      revoked: false,
    });
    await this.audit.record(by, 'enrollment_code.create', `group:${group.id}`, {
      codeId: id,
      ...(input.emailDomain ? { emailDomain: input.emailDomain.toLowerCase() } : {}),
    });
    return { ...(await this.ctx.store.getEnrollmentCode(id))!, code };
  }

  list() {
    return this.ctx.store.listEnrollmentCodes();
  }

  async revoke(by: UserView, id: string) {
    if (!(await this.ctx.store.revokeEnrollmentCode(id))) {
      throw new ApiError('not_found', `There is no enrollment code ${id}.`);
    }
    await this.audit.record(by, 'enrollment_code.revoke', `enrollment_code:${id}`);
    return (await this.ctx.store.getEnrollmentCode(id))!;
  }

  /** The code someone typed, if it can still be used; else the error that says why not. */
  async usable(typed: string): Promise<EnrollmentCodeView> {
    const code = await this.ctx.store.getEnrollmentCodeByHash(
      hashToken(normalizeEnrollmentCode(typed)),
    );
    throwIfUnusable(code, isoNow(this.ctx));
    return code;
  }

  /** Counts one use, atomically; throws the precise reason when the code just ran out. */
  async consume(code: EnrollmentCodeView): Promise<void> {
    const now = isoNow(this.ctx);
    if (await this.ctx.store.useEnrollmentCode(code.id, now)) return;
    throwIfUnusable(await this.ctx.store.getEnrollmentCode(code.id), now);
    throw new ApiError('code_used_up', 'This enrollment code has been used up.');
  }
}

function throwIfUnusable(
  code: EnrollmentCodeView | null,
  now: string,
): asserts code is EnrollmentCodeView {
  if (!code) {
    throw new ApiError(
      'code_invalid',
      'This enrollment code is not valid. Check it with your administrator.',
    );
  }
  if (code.revoked)
    throw new ApiError('code_revoked', 'This enrollment code was revoked. Ask for a new one.');
  if (code.expiresAt && code.expiresAt <= now) {
    throw new ApiError('code_expired', 'This enrollment code has expired. Ask for a new one.');
  }
  if (code.maxUses !== null && code.uses >= code.maxUses) {
    throw new ApiError('code_used_up', 'This enrollment code has been used up. Ask for a new one.');
  }
}

/** Whether an email may create an account with a code restricted to `domain`. */
export function emailInDomain(email: string, domain: string | null): boolean {
  if (!domain) return true;
  return email.toLowerCase().endsWith(`@${domain.toLowerCase()}`);
}
