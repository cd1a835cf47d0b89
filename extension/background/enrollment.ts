import type { ManagedConfig } from './managed-config.ts';
import type { DeviceGrant, DeviceInfo, ServerApi } from './server-api.ts';
import type { Enrollment, StateStore } from './state-store.ts';

export interface EnrollmentDeps {
  store: StateStore;
  device: DeviceInfo;
  apiFor: (serverUrl: string) => ServerApi;
  now: () => Date;
  /** After a new enrollment is stored: sync the policy, open the push channel. */
  onEnrolled: (enrollment: Enrollment) => Promise<void>;
}

/**
 * The two ways in: a force-installed extension enrolls itself with the enrollment code
 * from managed storage; a BYOD browser is paired from the PWA with a one-time token.
 * Both end in the same stored `Enrollment` with the server's key pinned.
 */
export class EnrollmentService {
  private inFlight: Promise<void> | null = null;

  constructor(private readonly deps: EnrollmentDeps) {}

  /**
   * Enrolls from managed config when it asks for it. Does nothing when already enrolled
   * with that server (revoked included: a revoked device must not re-enroll itself), or
   * when this very code was used before a wipe (the admin's wipe must stick).
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
    const grant = await this.deps.apiFor(serverUrl).pair(token, this.deps.device);
    return this.save(serverUrl, grant, 'pairing');
  }

  private async managed(serverUrl: string, code: string, config: ManagedConfig): Promise<void> {
    const { store } = this.deps;
    const [current, status] = await Promise.all([store.enrollment(), store.status()]);
    if (current?.serverUrl === serverUrl) return;
    if (!current && status.wiped && status.usedManagedCode === code) return;
    const grant = await this.deps.apiFor(serverUrl).enroll({
      enrollmentCode: code,
      userEmail: config.userEmail,
      name: config.deviceName,
      ...this.deps.device,
    });
    await store.updateStatus({ usedManagedCode: code });
    await this.save(serverUrl, grant, 'managed');
  }

  private async save(
    serverUrl: string,
    grant: DeviceGrant,
    via: Enrollment['via'],
  ): Promise<Enrollment> {
    const enrollment: Enrollment = {
      serverUrl,
      deviceId: grant.deviceId,
      credential: grant.credential,
      publicKey: grant.publicKey,
      user: grant.user,
      via,
      enrolledAt: this.deps.now().toISOString(),
    };
    await this.deps.store.setEnrollment(enrollment);
    await this.deps.onEnrolled(enrollment);
    return enrollment;
  }
}
