import type { SignedEnvelope } from '../../core/crypto/envelope.ts';
import type { AuditService } from '../audit/audit-service.ts';
import { ApiError } from '../errors.ts';
import { publicKeyInfo } from '../signing-key.ts';
import type { DeviceFilter, DeviceRow, UserView } from '../store/types.ts';
import { hashToken, newId, randomToken } from '../util/tokens.ts';
import type { CredentialIndex, SyncDevice } from './credential-index.ts';
import { isoNow, type ServiceContext } from './context.ts';
import type { DeviceEvents } from './device-events.ts';
import type { EnrollmentCodeService } from './enrollment-code-service.ts';
import type { EnvelopeService } from './envelope-service.ts';
import { signCommand } from './sign-command.ts';
import { grantUserJson } from './views.ts';

export const PAIRING_TTL_MS = 5 * 60_000;
export const CLAIM_TTL_MS = 5 * 60_000;
/** How stale `lastSeenAt` may get before a device request writes it. */
const TOUCH_AFTER_MS = 60_000;

export interface ClientInfo {
  extensionVersion?: string;
  platform: string;
  browser: string;
  /**
   * The public half of the device's non-extractable ECDSA P-256 key (JWK), registered at
   * enrollment and pairing; device proofs are checked against it. Extensions from before
   * device keys send none, and cannot prove themselves until they enroll or pair again.
   */
  deviceKey?: DevicePublicJwk;
}

export interface DevicePublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
}

/** Where a device's uninstall URL points (`runtime.setUninstallURL`). */
export const UNINSTALLED_PATH = '/api/v1/device/uninstalled';

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
    /** Active devices by credential hash, for sync; `ctx.store` keeps it true (services.ts). */
    readonly credentials: CredentialIndex,
    private readonly events: DeviceEvents,
  ) {}

  /**
   * The device a credential belongs to. Revoked and wiped devices are refused here;
   * a device with a wipe pending is returned, and each endpoint decides (policy fetch
   * answers 410 and completes the wipe).
   */
  async authenticate(credential: string | undefined): Promise<DeviceRow> {
    const device = await this.authenticateAnyStatus(credential);
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
   * The active device a credential belongs to, for device sync's hot path: from the
   * credential index when it holds it (no database read), else as `authenticate` — the
   * same refusals and `lastSeenAt` write — and then held in the index. Null for anything
   * but an active device, which the caller leaves to the app (it answers the right error,
   * and a pending wipe).
   */
  async syncDevice(credential: string): Promise<SyncDevice | null> {
    if (credential.length > 100) return null;
    const index = this.credentials;
    const hash = hashToken(credential);
    const now = this.ctx.now();
    const held = index.lookup(hash, now);
    if (held) return held;
    const generation = index.generation;
    const device = await this.ctx.store.getDeviceByCredential(hash);
    if (!device || device.status !== 'active') return null;
    let seen = device.lastSeenAt ? Date.parse(device.lastSeenAt) : 0;
    if (now - seen > TOUCH_AFTER_MS) {
      await this.ctx.store.touchDevice(device.id, { lastSeenAt: new Date(now).toISOString() });
      seen = now;
    }
    // Held until `lastSeenAt` is due again: the next read then writes it, as `authenticate` would.
    index.remember(hash, device, generation, seen + TOUCH_AFTER_MS);
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
    await this.assertUnderDeviceLimit(user, groupId);
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
    // A managed browser holds its own credential from its enrollment; pairing another
    // browser to it would hand out a credential for a device its admin deployed.
    if (device.managed)
      throw new ApiError('conflict', 'This is a managed browser; it cannot be paired again.');
    return this.issueToken(PAIRING_TTL_MS, (tokenHash, expiresAt) =>
      this.ctx.store.createPairingToken({ tokenHash, deviceId, userId: user.id, expiresAt }),
    );
  }

  /** The extension exchanges a pairing token for its own credential to the device. */
  async pair(token: string, info: ClientInfo) {
    const row = await this.takeToken(
      (tokenHash, now) => this.ctx.store.takePairingToken(tokenHash, now),
      token,
      'This pairing token is unknown, used or expired. Pair again from the app.',
    );
    const device = await this.ctx.store.getDevice(row.deviceId);
    if (!device || device.status !== 'active')
      throw new ApiError('device_revoked', 'This device is no longer active.');
    const key = await this.checkedKey(info.deviceKey);
    const credential = randomToken(32);
    await this.ctx.store.addDeviceCredential(device.id, hashToken(credential), isoNow(this.ctx));
    const { deviceKey: _key, ...client } = info;
    await this.ctx.store.touchDevice(device.id, { lastSeenAt: isoNow(this.ctx), ...client });
    // The paired browser's key replaces any before it: re-keying is pairing again. A
    // browser that sends none (an older extension) leaves the device with no key at all,
    // not with the previous browser's.
    if (!key) await this.ctx.store.dropDeviceKey(device.id);
    const uninstall = await this.registerKey(device.id, key);
    const user = device.userId ? await this.ctx.store.getUser(device.userId) : null;
    if (user) await this.audit.record(user, 'device.pair', `device:${device.id}`);
    return { ...this.grant(device.id, device.groupId, credential, user), ...uninstall };
  }

  /**
   * Managed enrollment of a force-installed extension with the enrollment code from its
   * managed storage. The device joins the code's group (the admin's deployment target).
   * `userEmail` from the same configuration is stored as a claim and shown as such: a
   * shared code proves nothing about who is at the keyboard, so it links the device to no
   * account, and the answer is the same whether or not an account has that email. The
   * device becomes a user's only when the user proves it with their passkey in that
   * browser (`claim`).
   */
  async enrollManaged(
    input: { enrollmentCode: string; userEmail?: string; name?: string } & ClientInfo,
  ) {
    const code = await this.codes.usable(input.enrollmentCode);
    const key = await this.checkedKey(input.deviceKey);
    await this.codes.consume(code);
    const credential = randomToken(32);
    const device = this.newDevice({
      platform: input.platform,
      browser: input.browser,
      extensionVersion: input.extensionVersion,
      name: input.name ?? `${input.platform} ${input.browser}`,
      userId: null,
      groupId: code.groupId,
      managed: true,
      claimedEmail: input.userEmail?.toLowerCase() ?? null,
    });
    await this.ctx.store.createDevice(device, hashToken(credential));
    const uninstall = await this.registerKey(device.id, key);
    await this.audit.record('system', 'device.enroll', `device:${device.id}`, {
      groupId: code.groupId,
      codeId: code.id,
      ...(device.claimedEmail ? { claimedEmail: device.claimedEmail } : {}),
    });
    return { ...this.grant(device.id, device.groupId, credential, null), ...uninstall };
  }

  /**
   * A single-use, 5-minute token with which the signed-in user proves, in the browser they
   * are signed in to, that its enrolled extension is theirs: the PWA hands it to the
   * extension there, which presents it with its own credential (`claim`).
   */
  async claimToken(user: UserView) {
    return this.issueToken(CLAIM_TTL_MS, (tokenHash, expiresAt) =>
      this.ctx.store.createDeviceClaim({ tokenHash, userId: user.id, expiresAt }),
    );
  }

  /**
   * The device presenting `token` becomes the token's user's. Refused when another user
   * owns it, when the admin's configuration names someone else (`claimedEmail`), and past
   * the group's device limit.
   */
  async claim(device: DeviceRow, token: string) {
    const row = await this.takeToken(
      (tokenHash, now) => this.ctx.store.takeDeviceClaim(tokenHash, now),
      token,
      'This claim token is unknown, used or expired. Start again from the app.',
    );
    const user = await this.ctx.store.getUser(row.userId);
    if (!user || user.disabled)
      throw new ApiError('user_disabled', 'This account is disabled. Ask an admin.');
    if (device.userId === user.id) return this.deviceAndUser(device.id);
    if (device.userId !== null)
      throw new ApiError('conflict', 'This browser already belongs to another person.');
    if (device.claimedEmail && device.claimedEmail !== user.email.toLowerCase()) {
      throw new ApiError(
        'conflict',
        'Your administrator set this browser up for another person; ask them to change it.',
      );
    }
    await this.assertUnderDeviceLimit(user, device.groupId);
    if (!(await this.ctx.store.assignDeviceUser(device.id, user.id)))
      throw new ApiError('conflict', 'This browser already belongs to another person.');
    await this.audit.record(user, 'device.claim', `device:${device.id}`, {
      emailVerified: user.emailVerified,
    });
    return this.deviceAndUser(device.id);
  }

  /**
   * Records the version the device applied. Only a version the server issued to it counts:
   * its group's envelope is the only thing it is sent and versions only grow, so anything
   * above that envelope's version was never issued (a device claiming to be ahead would
   * otherwise look compliant in the rollout view).
   */
  async acknowledge(device: DeviceRow, version: number) {
    const issued = await this.ctx.store.getGroupEnvelope(device.groupId);
    if (!issued || version > issued.version || version < 1) {
      throw new ApiError(
        'version_not_issued',
        `Version ${version} was never issued to this device (its group is at ${issued?.version ?? 'no version'}).`,
      );
    }
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
    // A revoked device proves nothing any more; it must enroll again to get a key.
    await this.ctx.store.dropDeviceKey(id);
    this.ctx.push.revoked(id, JSON.stringify(await signCommand(this.ctx, id, 'revoke')));
    await this.audit.record(by, 'device.revoke', `device:${id}`);
    void this.events.emit('lost', { deviceId: id, userId: device.userId, reason: 'revoked' });
    await this.ctx.push.settled?.();
    return (await this.ctx.store.getDevice(id))!;
  }

  async wipe(by: UserView, id: string) {
    const device = await this.get(id);
    if (device.status === 'revoked' || device.status === 'wiped') {
      throw new ApiError('conflict', `This device is already ${device.status}.`);
    }
    await this.ctx.store.setDeviceStatus(id, 'wipe_pending');
    await this.ctx.store.dropDeviceKey(id);
    this.ctx.push.wipe(id, JSON.stringify(await signCommand(this.ctx, id, 'wipe')));
    await this.audit.record(by, 'device.wipe', `device:${id}`);
    void this.events.emit('lost', { deviceId: id, userId: device.userId, reason: 'wiped' });
    await this.ctx.push.settled?.();
    return (await this.ctx.store.getDevice(id))!;
  }

  /** A device key the server can import (a point on P-256), or 400; none passes through. */
  private async checkedKey(jwk: DevicePublicJwk | undefined): Promise<DevicePublicJwk | null> {
    if (!jwk) return null;
    const { kty, crv, x, y } = jwk;
    try {
      await crypto.subtle.importKey(
        'jwk',
        { kty, crv, x, y },
        { name: 'ECDSA', namedCurve: 'P-256' },
        false,
        ['verify'],
      );
    } catch {
      throw new ApiError(
        'bad_request',
        'deviceKey is not a P-256 public key (JWK with kty, crv, x, y).',
      );
    }
    return { kty, crv, x, y };
  }

  /**
   * Registers the device key with a fresh uninstall token (stored hashed) and returns the
   * uninstall URL for the grant; nothing without a key.
   */
  private async registerKey(deviceId: string, key: DevicePublicJwk | null) {
    if (!key) return {};
    const token = randomToken(24);
    await this.ctx.store.setDeviceKey(deviceId, {
      publicKey: JSON.stringify(key),
      uninstallTokenHash: hashToken(token),
      createdAt: isoNow(this.ctx),
    });
    const url = new URL(UNINSTALLED_PATH, this.ctx.config.origin);
    url.searchParams.set('device', deviceId);
    url.searchParams.set('token', token);
    return { uninstallUrl: url.toString() };
  }

  /** A random token shown once, valid for `ttlMs`; `store` keeps only its hash. */
  private async issueToken(
    ttlMs: number,
    store: (tokenHash: string, expiresAt: string) => Promise<void>,
  ): Promise<{ token: string; expiresAt: string }> {
    const token = randomToken(24);
    const expiresAt = isoNow(this.ctx, ttlMs);
    await store(hashToken(token), expiresAt);
    return { token, expiresAt };
  }

  /**
   * The row of a single-use token, taken from the store so it cannot be used again; an
   * unknown, used or expired token is refused with `refusal`, alike.
   */
  private async takeToken<T>(
    take: (tokenHash: string, now: string) => Promise<T | null>,
    token: string,
    refusal: string,
  ): Promise<T> {
    const row = await take(hashToken(token), isoNow(this.ctx));
    if (!row) throw new ApiError('token_invalid', refusal);
    return row;
  }

  private async deviceAndUser(deviceId: string) {
    const device = (await this.ctx.store.getDevice(deviceId))!;
    const user = device.userId ? await this.ctx.store.getUser(device.userId) : null;
    return { device, user };
  }

  /** A user has at most their group's `maxDevicesPerUser` active devices. */
  private async assertUnderDeviceLimit(user: UserView, groupId: string) {
    const group = await this.ctx.store.getGroup(groupId);
    const max = group?.maxDevicesPerUser ?? 0;
    const owned = (await this.ctx.store.listDevices({ userId: user.id })).filter(
      (d) => d.status === 'active' || d.status === 'wipe_pending',
    ).length;
    if (owned >= max) {
      throw new ApiError(
        'device_limit',
        `You already have ${owned} devices, the most your group allows (${max}). Ask an admin to revoke one you no longer use.`,
      );
    }
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
    claimedEmail?: string | null;
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
      claimedEmail: d.claimedEmail ?? null,
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
