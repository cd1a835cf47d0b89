import type { DeviceKey } from './device-key.ts';
import type { ManagedConfig } from './managed-config.ts';
import type { DeviceGrant, DeviceInfo, ServerApi } from './server-api.ts';
import type { Enrollment, StateStore } from './state-store.ts';

export interface EnrollmentDeps {
  store: StateStore;
  device: DeviceInfo;
  apiFor: (serverUrl: string) => ServerApi;
  now: () => Date;
  /** The device key, made afresh at each enrollment and pairing. */
  key: DeviceKey;
  /** `runtime.setUninstallURL`: tells the server when the extension is removed. */
  setUninstallUrl: (url: string) => Promise<void>;
  /** After a new enrollment is stored (`previous` is the one it replaced): sync, connect. */
  onEnrolled: (enrollment: Enrollment, previous: Enrollment | null) => Promise<void>;
}

/**
 * The two ways in: a force-installed extension enrolls itself with the enrollment code
 * from managed storage; a BYOD browser is paired from the PWA with a one-time token.
 * Both end in the same stored `Enrollment` with the server's key pinned, and a new device
 * key whose public half the server registered with the request.
 */
export class EnrollmentService {
  private inFlight: Promise<void> | null = null;

  constructor(private readonly deps: EnrollmentDeps) {}

  /**
   * Enrolls from managed config when it asks for it. Does nothing when already enrolled
   * with that server (revoked included: a revoked device must not re-enroll itself).
   * After a wipe — which only a signed command can cause — it enrolls again with the code,
   * as a new device: a force-installed browser is never left enforcing nothing. An admin
   * who wants it gone revokes the code or removes the extension from the force-install
   * list (docs/device-trust.md).
   */
  enrollFromManaged(config: ManagedConfig): Promise<void> {
    if (!config.serverUrl || !config.enrollmentCode) return Promise.resolve();
    this.inFlight ??= this.managed(config.serverUrl, config.enrollmentCode, config).finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /** Exchanges a pairing token (the user confirmed) for a device credential. */
  async pair(serverUrl: string, token: string): Promise<Enrollment> {
    const key = await this.deps.key.create();
    const grant = await this.deps
      .apiFor(serverUrl)
      .pair(token, { ...this.deps.device, deviceKey: key.jwk });
    return this.save(serverUrl, grant, 'pairing', key.pair);
  }

  private async managed(serverUrl: string, code: string, config: ManagedConfig): Promise<void> {
    const { store } = this.deps;
    const current = await store.enrollment();
    if (current?.serverUrl === serverUrl) return;
    const key = await this.deps.key.create();
    const grant = await this.deps.apiFor(serverUrl).enroll({
      enrollmentCode: code,
      userEmail: config.userEmail,
      name: config.deviceName,
      ...this.deps.device,
      deviceKey: key.jwk,
    });
    await this.save(serverUrl, grant, 'managed', key.pair);
  }

  private async save(
    serverUrl: string,
    grant: DeviceGrant,
    via: Enrollment['via'],
    pair: CryptoKeyPair,
  ): Promise<Enrollment> {
    const enrollment: Enrollment = {
      serverUrl,
      deviceId: grant.deviceId,
      credential: grant.credential,
      publicKey: grant.publicKey,
      user: grant.user,
      ...(grant.groupId ? { groupId: grant.groupId } : {}),
      via,
      enrolledAt: this.deps.now().toISOString(),
    };
    const previous = await this.deps.store.enrollment();
    // The key the server now holds replaces any before it (re-keying is pairing again).
    await this.deps.key.keep(pair);
    await this.deps.store.setEnrollment(enrollment);
    await this.deps.setUninstallUrl(grant.uninstallUrl ?? '').catch(() => undefined);
    await this.deps.onEnrolled(enrollment, previous);
    return enrollment;
  }
}
