import type { AuditService } from '../audit/audit-service.ts';
import { ApiError } from '../errors.ts';
import type { Role, UserView } from '../store/types.ts';
import type { ServiceContext } from './context.ts';
import type { EnvelopeService } from './envelope-service.ts';
import { signCommand } from './sign-command.ts';

export interface UserPatch {
  role?: Role;
  disabled?: boolean;
  groupId?: string | null;
}

/** Admins manage people: roles, disabling, and group membership (which moves their devices). */
export class UserService {
  /** Run after an account is disabled: the OpenID Provider signs it out of every app. */
  onDisabled: ((userId: string) => Promise<unknown>) | null = null;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly envelopes: EnvelopeService,
    private readonly audit: AuditService,
  ) {}

  list() {
    return this.ctx.store.listUsers();
  }

  async update(by: UserView, id: string, patch: UserPatch): Promise<UserView> {
    const user = await this.ctx.store.getUser(id);
    if (!user) throw new ApiError('not_found', `There is no user ${id}.`);
    if (patch.groupId && !(await this.ctx.store.getGroup(patch.groupId))) {
      throw new ApiError('not_found', `There is no group ${patch.groupId}.`);
    }
    const losesAdmin =
      user.role === 'admin' &&
      !user.disabled &&
      ((patch.role && patch.role !== 'admin') || patch.disabled);
    if (losesAdmin && (await this.ctx.store.countUsersWithRole('admin')) <= 1) {
      throw new ApiError('conflict', 'This is the last admin; make someone else admin first.');
    }
    const updated = (await this.ctx.store.updateUser(id, patch))!;
    // Roles are read on every request, so a role change applies at once; disabling also ends sessions.
    if (patch.disabled) await this.ctx.store.deleteUserSessions(id);
    if (patch.disabled && !user.disabled) await this.onDisabled?.(id);
    if (patch.groupId && patch.groupId !== user.groupId) await this.moveDevices(id, patch.groupId);
    const detail: Record<string, string | boolean> = {};
    if (patch.role !== undefined) detail.role = patch.role;
    if (patch.disabled !== undefined) detail.disabled = patch.disabled;
    if (patch.groupId !== undefined) detail.groupId = patch.groupId ?? 'none';
    const action =
      patch.role !== undefined && patch.role !== user.role ? 'user.role_change' : 'user.update';
    await this.audit.record(by, action, `user:${id}`, detail);
    await this.ctx.push.settled?.(); // moves reached every instance
    return updated;
  }

  /** Approves an account a shared code created: its email counts as verified from now on. */
  async approve(by: UserView, id: string): Promise<UserView> {
    const user = await this.ctx.store.getUser(id);
    if (!user) throw new ApiError('not_found', `There is no user ${id}.`);
    if (user.emailVerified) return user;
    const updated = (await this.ctx.store.updateUser(id, { emailVerified: true }))!;
    await this.audit.record(by, 'user.approve', `user:${id}`, { email: user.email });
    return updated;
  }

  /**
   * Rejects an account a shared code created: it is removed with its passkeys and
   * sessions, and its devices are revoked. A verified account is disabled, never removed.
   */
  async reject(by: UserView, id: string): Promise<void> {
    const user = await this.ctx.store.getUser(id);
    if (!user) throw new ApiError('not_found', `There is no user ${id}.`);
    if (user.emailVerified) {
      throw new ApiError('conflict', `${user.email} is verified; disable the account instead.`);
    }
    const devices = await this.ctx.store.listDevices({ userId: id });
    if (!(await this.ctx.store.deleteUnverifiedUser(id))) {
      throw new ApiError('not_found', `There is no unverified user ${id}.`);
    }
    for (const d of devices) {
      this.ctx.push.revoked(d.id, JSON.stringify(await signCommand(this.ctx, d.id, 'revoke')));
    }
    await this.audit.record(by, 'user.reject', `user:${id}`, { email: user.email });
    await this.ctx.push.settled?.(); // its devices' revokes reached every instance
  }

  /**
   * A user's own (unmanaged) devices follow them to the new group. Its envelope is signed
   * again at a new version, so each device lands above anything it enforced before, and
   * each device gets a signed `move` command naming the group and that version (a device
   * accepts another group's envelope on nothing less; docs/device-trust.md).
   */
  private async moveDevices(userId: string, groupId: string) {
    const moved = await this.ctx.store.moveUserDevices(userId, groupId);
    if (moved.length === 0) return;
    const version = (await this.envelopes.resign(groupId)) ?? 0;
    this.ctx.push.policy(groupId, version);
    for (const deviceId of moved) {
      const command = await signCommand(this.ctx, deviceId, 'move', { groupId, version });
      this.ctx.push.moved(deviceId, groupId, version, JSON.stringify(command));
    }
  }
}
