import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { AuditService } from '../audit/audit-service.ts';
import { ApiError } from '../errors.ts';
import { UniqueViolation } from '../store/store.ts';
import type { PasskeyRow, Role, UserView } from '../store/types.ts';
import { hashToken, newId, randomToken } from '../util/tokens.ts';
import { isoNow, type ServiceContext } from './context.ts';
import { emailInDomain, type EnrollmentCodeService } from './enrollment-code-service.ts';
import type { InviteService } from './invite-service.ts';
import { signCommand } from './sign-command.ts';
import type { NewCredential, WebAuthn } from './webauthn.ts';

/** Who signed in, and with which passkey (a session ends when that passkey is removed). */
export interface SignedIn {
  user: UserView;
  passkeyId: string;
}

/** What a registration ceremony remembers between its two requests (stored with the challenge). */
interface NewUserContext {
  name: string;
  email: string;
  handle: string;
  /** Binds the ceremony to the link or code that started it. */
  ticket: { kind: 'invite'; tokenHash: string } | { kind: 'code'; codeId: string };
}

/**
 * People and their passkeys: first-admin setup and invites, employee enrollment with a
 * code, discoverable login, and managing one's passkeys.
 */
export class IdentityService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly webauthn: WebAuthn,
    private readonly invites: InviteService,
    private readonly codes: EnrollmentCodeService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Options for registering through a setup or invite link. An invite proves its email, so
   * it may take over the address from an account a shared code created and no admin
   * approved (that account is removed when the registration completes).
   */
  async registerOptions(token: string, name: string, email: string) {
    const invite = await this.invites.usable(token);
    if (invite.email && invite.email.toLowerCase() !== email.toLowerCase()) {
      throw new ApiError('email_mismatch', `This invitation is for ${invite.email}.`);
    }
    await this.assertEmailFree(email, { unverifiedMayGo: true });
    const ctx: NewUserContext = {
      name,
      email,
      handle: randomToken(32),
      ticket: { kind: 'invite', tokenHash: hashToken(token) },
    };
    return this.webauthn.creationOptions('register', { handle: ctx.handle, email, name }, [], ctx);
  }

  async registerVerify(token: string, response: RegistrationResponseJSON): Promise<SignedIn> {
    const { context, credential } = await this.webauthn.verifyCreation<NewUserContext>(
      'register',
      response,
    );
    if (context.ticket.kind !== 'invite' || context.ticket.tokenHash !== hashToken(token)) {
      throw new ApiError(
        'challenge_invalid',
        'This registration was started with another link. Start again.',
      );
    }
    const invite = await this.invites.consume(token);
    await this.supersedeUnverified(context.email);
    const user = await this.createUser(context, invite.role, invite.groupId, credential, true);
    await this.audit.record(
      user,
      invite.kind === 'setup' ? 'setup.complete' : 'user.register',
      `user:${user.id}`,
      {
        role: invite.role,
      },
    );
    return { user, passkeyId: credential.id };
  }

  /**
   * Options for an employee creating their account with an enrollment code. A shared code
   * proves nothing about the email typed, so the account is unverified until an admin
   * approves it; a code restricted to a domain takes only addresses there.
   */
  async enrollOptions(code: string, name: string, email: string) {
    const row = await this.codes.usable(code);
    if (!emailInDomain(email, row.emailDomain)) {
      throw new ApiError(
        'email_domain',
        `This enrollment code is for addresses at @${row.emailDomain}; use your work address.`,
      );
    }
    await this.assertEmailFree(email);
    const ctx: NewUserContext = {
      name,
      email,
      handle: randomToken(32),
      ticket: { kind: 'code', codeId: row.id },
    };
    return this.webauthn.creationOptions('enroll', { handle: ctx.handle, email, name }, [], ctx);
  }

  async enrollVerify(code: string, response: RegistrationResponseJSON): Promise<SignedIn> {
    const { context, credential } = await this.webauthn.verifyCreation<NewUserContext>(
      'enroll',
      response,
    );
    const row = await this.codes.usable(code);
    if (context.ticket.kind !== 'code' || context.ticket.codeId !== row.id) {
      throw new ApiError(
        'challenge_invalid',
        'This enrollment was started with another code. Start again.',
      );
    }
    await this.codes.consume(row);
    const user = await this.createUser(context, 'employee', row.groupId, credential, false);
    await this.audit.record(user, 'user.enroll', `user:${user.id}`, {
      groupId: row.groupId,
      codeId: row.id,
      emailVerified: false,
    });
    return { user, passkeyId: credential.id };
  }

  loginOptions() {
    return this.webauthn.requestOptions();
  }

  async loginVerify(response: AuthenticationResponseJSON): Promise<SignedIn> {
    const { passkey, counter, backedUp } = await this.webauthn.verifyAssertion(response);
    const user = await this.ctx.store.getUser(passkey.userId);
    if (!user) throw new ApiError('webauthn_failed', 'This passkey belongs to no account.');
    const handle = response.response.userHandle;
    if (handle !== undefined && handle !== user.webauthnUserId) {
      throw new ApiError('webauthn_failed', 'The passkey answered for another account.');
    }
    if (user.disabled)
      throw new ApiError('user_disabled', 'This account is disabled. Ask an admin.');
    await this.ctx.store.recordPasskeyUse(passkey.id, {
      counter,
      backedUp,
      lastUsedAt: isoNow(this.ctx),
    });
    await this.audit.record(user, 'auth.login', `user:${user.id}`, { passkeyId: passkey.id });
    return { user, passkeyId: passkey.id };
  }

  listPasskeys(user: UserView) {
    return this.ctx.store.listPasskeys(user.id);
  }

  async addPasskeyOptions(user: UserView) {
    const existing = await this.ctx.store.listPasskeys(user.id);
    return this.webauthn.creationOptions(
      'add_passkey',
      { handle: user.webauthnUserId, email: user.email, name: user.name },
      existing,
      { userId: user.id },
    );
  }

  async addPasskeyVerify(
    user: UserView,
    response: RegistrationResponseJSON,
    name?: string,
  ): Promise<PasskeyRow> {
    const { context, credential } = await this.webauthn.verifyCreation<{ userId: string }>(
      'add_passkey',
      response,
    );
    if (context.userId !== user.id) {
      throw new ApiError(
        'challenge_invalid',
        'This passkey registration was started by another account.',
      );
    }
    const count = (await this.ctx.store.listPasskeys(user.id)).length;
    const passkey = passkeyRow(
      credential,
      user.id,
      name ?? `Passkey ${count + 1}`,
      isoNow(this.ctx),
    );
    try {
      await this.ctx.store.addPasskey(passkey);
    } catch (err) {
      if (err instanceof UniqueViolation)
        throw new ApiError('conflict', 'This passkey is already registered.');
      throw err;
    }
    await this.audit.record(user, 'passkey.add', `passkey:${passkey.id}`);
    return passkey;
  }

  /** Removes a passkey and ends every session it signed in (a lost key signs nobody in). */
  async deletePasskey(user: UserView, id: string): Promise<void> {
    if (await this.ctx.store.deletePasskeyUnlessLast(user.id, id)) {
      await this.ctx.store.deletePasskeySessions(id);
      await this.audit.record(user, 'passkey.delete', `passkey:${id}`);
      return;
    }
    const passkey = await this.ctx.store.getPasskey(id);
    if (!passkey || passkey.userId !== user.id)
      throw new ApiError('not_found', 'You have no such passkey.');
    throw new ApiError(
      'last_passkey',
      'This is your only passkey; add another before removing it.',
    );
  }

  private async assertEmailFree(email: string, opts: { unverifiedMayGo?: boolean } = {}) {
    const existing = await this.ctx.store.getUserByEmail(email);
    if (existing && !(opts.unverifiedMayGo && !existing.emailVerified)) {
      throw new ApiError(
        'email_taken',
        `${email} already has an account: sign in with its passkey instead.`,
      );
    }
  }

  /** An invite proved `email`: an unverified account holding it (a shared code's) goes. */
  private async supersedeUnverified(email: string) {
    const existing = await this.ctx.store.getUserByEmail(email);
    if (!existing || existing.emailVerified) return;
    const devices = await this.ctx.store.listDevices({ userId: existing.id });
    if (await this.ctx.store.deleteUnverifiedUser(existing.id)) {
      // Its devices were revoked with it: tell them, and every instance (which stops them).
      for (const d of devices) {
        if (d.status === 'revoked' || d.status === 'wiped') continue;
        this.ctx.push.revoked(d.id, JSON.stringify(await signCommand(this.ctx, d.id, 'revoke')));
      }
      await this.audit.record('system', 'user.supersede', `user:${existing.id}`, {
        reason: 'an invite proved this email',
      });
    }
  }

  private async createUser(
    c: NewUserContext,
    role: Role,
    groupId: string | null,
    cred: NewCredential,
    emailVerified: boolean,
  ) {
    const id = newId();
    const now = isoNow(this.ctx);
    try {
      await this.ctx.store.createUserWithPasskey(
        {
          id,
          name: c.name,
          email: c.email,
          role,
          groupId,
          disabled: false,
          webauthnUserId: c.handle,
          emailVerified,
          createdAt: now,
        },
        passkeyRow(cred, id, 'Passkey 1', now),
      );
    } catch (err) {
      if (err instanceof UniqueViolation) {
        throw new ApiError(
          'email_taken',
          `${c.email} already has an account (or this passkey is registered).`,
        );
      }
      throw err;
    }
    return (await this.ctx.store.getUser(id))!;
  }
}

function passkeyRow(c: NewCredential, userId: string, name: string, now: string): PasskeyRow {
  return { ...c, userId, name, createdAt: now, lastUsedAt: null };
}
