import type { SignedEnvelope } from '../../core/crypto/envelope.ts';
import type { AuditService } from '../audit/audit-service.ts';
import { ApiError } from '../errors.ts';
import { publicKeyInfo } from '../signing-key.ts';
import type { DeviceFilter, DeviceRow, UserView } from '../store/types.ts';
import { hashToken, newId, randomToken } from '../util/tokens.ts';
import { isoNow, type ServiceContext } from './context.ts';
import type { EnrollmentCodeService } from './enrollment-code-service.ts';
import type { EnvelopeService } from './envelope-service.ts';
import { signCommand } from './sign-command.ts';
import { grantUserJson } from './views.ts';

export const PAIRING_TTL_MS = 5 * 60_000;
/** How stale `lastSeenAt` may get before a device request writes it. */
const TOUCH_AFTER_MS = 60_000;

export interface ClientInfo {
  extensionVersion?: string;
  platform: string;
  browser: string;
}

/**
 * Devices and their credentials: registration by a signed-in employee, pairing of the
 * extension, managed enrollment of force-installed extensions, authentication of device
 * requests, and the admin's revoke and wipe.
 */
export class DeviceService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly codes: EnrollmentCodeService,
    private readonly audit: AuditService,
    private readonly envelopes: EnvelopeService,
  ) {}

  /**
   * The device a credential belongs to. Revoked and wiped devices are refused here;
   * a device with a wipe pending is returned, and each endpoint decides (policy fetch
   * answers 410 and completes the wipe).
   */
  async authenticate(credential: string | undefined): Promise<DeviceRow> {
    const device =
      credential && credential.length <= 100
        ? await this.ctx.store.getDeviceByCredential(hashToken(credential))
        : null;
    if (!device)
      throw new ApiError(
        'unauthenticated',
        'Unknown device credential. Enroll or pair this device again.',
      );
    if (device.status === 'revoked' || device.status === 'wiped') {
      throw new ApiError(
        'device_revoked',
        'This device was revoked by an administrator. Enroll it again to use it.',
      );
    }
    const now = this.ctx.now();
    if (!device.lastSeenAt || now - Date.parse(device.lastSeenAt) > TOUCH_AFTER_MS) {
      await this.ctx.store.touchDevice(device.id, { lastSeenAt: new Date(now).toISOString() });
    }
    return device;
  }

  /**
   * The device a credential belongs to, whatever its status: only for
   * `GET /device/commands`, which tells a revoked or wiped device so, signed — the one
   * answer a device acts on, where a bare 401 or 410 could come from anyone on the path.
   */
  async authenticateAnyStatus(credential: string | undefined): Promise<DeviceRow> {
    const device =
      credential && credential.length <= 100
        ? await this.ctx.store.getDeviceByCredential(hashToken(credential))
        : null;
    if (!device)
      throw new ApiError(
        'unauthenticated',
        'Unknown device credential. Enroll or pair this device again.',
      );
    return device;
  }

  /**
   * What the device must do, signed and bound to its challenge: `wipe` (completing a
   * pending wipe, so the credential stops working), `revoke`, or for an active device a
   * `move` naming its group and the lowest envelope version it may accept there.
   */
  async commands(device: DeviceRow, challenge: string): Promise<SignedEnvelope[]> {
    switch (device.status) {
      case 'wipe_pending':
        await this.completeWipe(device);
        return [await signCommand(this.ctx, device.id, 'wipe', { challenge })];
      case 'wiped':
        return [await signCommand(this.ctx, device.id, 'wipe', { challenge })];
      case 'revoked':
        return [await signCommand(this.ctx, device.id, 'revoke', { challenge })];
      case 'active': {
        const served = await this.envelopes.get(device.groupId);
        const move = { challenge, groupId: device.groupId, version: served?.version ?? 0 };
        return [await signCommand(this.ctx, device.id, 'move', move)];
      }
    }
  }

  /** Registers a device for a signed-in employee; the credential is shown once. */
  async createForUser(user: UserView, info: { name: string; platform: string; browser: string }) {
    const groupId = this.requireGroup(user);
    const credential = randomToken(32);
    const device = this.newDevice({ ...info, userId: user.id, groupId, managed: false });
    await this.ctx.store.createDevice(device, hashToken(credential));
    await this.audit.record(user, 'device.register', `device:${device.id}`);
    return { device: (await this.ctx.store.getDevice(device.id))!, credential };
  }

  listForUser(user: UserView) {
    return this.ctx.store.listDevices({ userId: user.id });
  }

  /** A single-use, 5-minute token that lets the extension take over one of the user's devices. */
  async pairingToken(user: UserView, deviceId: string) {
    const device = await this.ctx.store.getDevice(deviceId);
    if (!device || device.userId !== user.id)
      throw new ApiError('not_found', 'You have no such device.');
    if (device.status !== 'active')
      throw new ApiError('conflict', `This device is ${device.status}; register a new one.`);
    const token = randomToken(24);
    const expiresAt = isoNow(this.ctx, PAIRING_TTL_MS);
    await this.ctx.store.createPairingToken({
      tokenHash: hashToken(token),
      deviceId,
      userId: user.id,
      expiresAt,
    });
    return { token, expiresAt };
  }

  /** The extension exchanges a pairing token for its own credential to the device. */
  async pair(token: string, info: ClientInfo) {
    const row = await this.ctx.store.takePairingToken(hashToken(token), isoNow(this.ctx));
    if (!row)
      throw new ApiError(
        'token_invalid',
        'This pairing token is unknown, used or expired. Pair again from the app.',
      );
    const device = await this.ctx.store.getDevice(row.deviceId);
    if (!device || device.status !== 'active')
      throw new ApiError('device_revoked', 'This device is no longer active.');
    const credential = randomToken(32);
    await this.ctx.store.addDeviceCredential(device.id, hashToken(credential), isoNow(this.ctx));
    await this.ctx.store.touchDevice(device.id, { lastSeenAt: isoNow(this.ctx), ...info });
    const user = device.userId ? await this.ctx.store.getUser(device.userId) : null;
    if (user) await this.audit.record(user, 'device.pair', `device:${device.id}`);
    return this.grant(device.id, device.groupId, credential, user);
  }

  /**
   * Managed enrollment of a force-installed extension with the enrollment code from its
   * managed storage. The device joins the code's group (the admin's deployment target).
   * Who uses it: `userEmail` from the same managed configuration, when it names an
   * existing, enabled user, makes it that user's device (for attribution in the audit
   * trail; it grants no access to the user's account). Otherwise — no email, or no such
   * user — it is a shared managed device of the group, with no user.
   */
  async enrollManaged(
    input: { enrollmentCode: string; userEmail?: string; name?: string } & ClientInfo,
  ) {
    const code = await this.codes.usable(input.enrollmentCode);
    const found = input.userEmail ? await this.ctx.store.getUserByEmail(input.userEmail) : null;
    const user = found && !found.disabled ? found : null;
    await this.codes.consume(code);
    const credential = randomToken(32);
    const device = this.newDevice({
      platform: input.platform,
      browser: input.browser,
      extensionVersion: input.extensionVersion,
      name: input.name ?? `${input.platform} ${input.browser}`,
      userId: user?.id ?? null,
      groupId: code.groupId,
      managed: true,
    });
    await this.ctx.store.createDevice(device, hashToken(credential));
    await this.audit.record('system', 'device.enroll', `device:${device.id}`, {
      groupId: code.groupId,
      codeId: code.id,
      shared: user === null,
    });
    return this.grant(device.id, device.groupId, credential, user);
  }

  async acknowledge(device: DeviceRow, version: number) {
    await this.ctx.store.setAppliedVersion(device.id, version, isoNow(this.ctx));
  }

  /** Completes a pending wipe: the credential stops working, the device's sockets close. */
  async completeWipe(device: DeviceRow) {
    await this.ctx.store.setDeviceStatus(device.id, 'wiped');
    this.ctx.push.revoked(device.id, null);
  }

  list(filter: DeviceFilter) {
    return this.ctx.store.listDevices(filter);
  }

  async get(id: string) {
    const device = await this.ctx.store.getDevice(id);
    if (!device) throw new ApiError('not_found', `There is no device ${id}.`);
    return device;
  }

  async revoke(by: UserView, id: string) {
    const device = await this.get(id);
    if (device.status === 'revoked' || device.status === 'wiped') return device;
    await this.ctx.store.setDeviceStatus(id, 'revoked');
    this.ctx.push.revoked(id, JSON.stringify(await signCommand(this.ctx, id, 'revoke')));
    await this.audit.record(by, 'device.revoke', `device:${id}`);
    return (await this.ctx.store.getDevice(id))!;
  }

  async wipe(by: UserView, id: string) {
    const device = await this.get(id);
    if (device.status === 'revoked' || device.status === 'wiped') {
      throw new ApiError('conflict', `This device is already ${device.status}.`);
    }
    await this.ctx.store.setDeviceStatus(id, 'wipe_pending');
    this.ctx.push.wipe(id, JSON.stringify(await signCommand(this.ctx, id, 'wipe')));
    await this.audit.record(by, 'device.wipe', `device:${id}`);
    return (await this.ctx.store.getDevice(id))!;
  }

  private requireGroup(user: UserView): string {
    if (!user.groupId)
      throw new ApiError('no_group', 'You are not in a group yet; ask an admin to add you to one.');
    return user.groupId;
  }

  private newDevice(d: {
    name: string;
    userId: string | null;
    groupId: string;
    managed: boolean;
    platform: string;
    browser: string;
    extensionVersion?: string;
  }): DeviceRow {
    const now = isoNow(this.ctx);
    return {
      id: newId(),
      name: d.name,
      userId: d.userId,
      groupId: d.groupId,
      platform: d.platform,
      browser: d.browser,
      extensionVersion: d.extensionVersion ?? null,
      status: 'active',
      managed: d.managed,
      enrolledAt: now,
      lastSeenAt: now,
      appliedVersion: null,
    };
  }

  /** `groupId`: the group the device's envelopes must name (docs/device-trust.md). */
  private grant(deviceId: string, groupId: string, credential: string, user: UserView | null) {
    return {
      deviceId,
      groupId,
      credential,
      user: user ? grantUserJson(user) : null,
      publicKey: publicKeyInfo(this.ctx.signingKey),
      serverUrl: this.ctx.config.origin,
    };
  }
}
