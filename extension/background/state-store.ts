import type { SignedEnvelope } from '../../core/crypto/envelope.ts';
import type { JsonWebKey } from '../../core/crypto/webcrypto.ts';
import type { KeyValueArea } from '../platform/types.ts';
import { isInteger, isNonEmptyString, isRecord, isString } from '../shared/guards.ts';

/** What enrollment leaves behind: the device credential and the server's pinned key. */
export interface Enrollment {
  serverUrl: string;
  deviceId: string;
  credential: string;
  publicKey: { keyId: string; alg: 'ES256'; jwk: JsonWebKey };
  user: { id: string; name: string; email: string } | null;
  via: 'managed' | 'pairing';
  enrolledAt: string;
}

/** The last verified policy, kept as the signed envelope so it is re-verified at load. */
export interface StoredPolicy {
  envelope: SignedEnvelope;
  etag: string | null;
  version: number;
  appliedAt: string;
}

export interface SyncStatus {
  lastSyncAt?: string;
  lastSyncError?: string;
  ackedVersion?: number;
  revoked: boolean;
  wiped: boolean;
  /** The managed enrollment code last used, so a wipe is not undone by re-enrolling with it. */
  usedManagedCode?: string;
}

const EMPTY_STATUS: SyncStatus = { revoked: false, wiped: false };

/**
 * Typed access to storage.local. Everything read back is checked: storage is a trust
 * boundary too (another profile tool, a downgrade, a bug in an older version).
 */
export class StateStore {
  constructor(private readonly area: KeyValueArea) {}

  async enrollment(): Promise<Enrollment | null> {
    const { enrollment } = await this.area.get('enrollment');
    return isEnrollment(enrollment) ? enrollment : null;
  }

  async policy(): Promise<StoredPolicy | null> {
    const { policy } = await this.area.get('policy');
    return isStoredPolicy(policy) ? policy : null;
  }

  async status(): Promise<SyncStatus> {
    const { status } = await this.area.get('status');
    return isRecord(status)
      ? { ...EMPTY_STATUS, ...(status as Partial<SyncStatus>) }
      : EMPTY_STATUS;
  }

  async setEnrollment(enrollment: Enrollment): Promise<void> {
    // A new enrollment starts a new relationship: the old policy and status go with it.
    await this.area.remove(['policy']);
    const { usedManagedCode } = await this.status();
    await this.area.set({ enrollment, status: { ...EMPTY_STATUS, usedManagedCode } });
  }

  async setPolicy(policy: StoredPolicy): Promise<void> {
    await this.area.set({ policy });
  }

  async clearPolicy(): Promise<void> {
    await this.area.remove('policy');
  }

  async updateStatus(patch: Partial<SyncStatus>): Promise<SyncStatus> {
    const next = { ...(await this.status()), ...patch };
    await this.area.set({ status: next });
    return next;
  }

  /** Wipe: forget the enrollment and the policy; keep only the wiped marker. */
  async wipe(): Promise<void> {
    const { usedManagedCode } = await this.status();
    await this.area.remove(['enrollment', 'policy']);
    await this.area.set({ status: { ...EMPTY_STATUS, wiped: true, usedManagedCode } });
  }
}

function isEnrollment(v: unknown): v is Enrollment {
  if (!isRecord(v) || !isRecord(v.publicKey) || !isRecord(v.publicKey.jwk)) return false;
  return (
    isNonEmptyString(v.serverUrl) &&
    isNonEmptyString(v.deviceId) &&
    isNonEmptyString(v.credential) &&
    isNonEmptyString(v.publicKey.keyId) &&
    (v.via === 'managed' || v.via === 'pairing') &&
    isString(v.enrolledAt)
  );
}

function isStoredPolicy(v: unknown): v is StoredPolicy {
  return (
    isRecord(v) &&
    isRecord(v.envelope) &&
    isInteger(v.version) &&
    (v.etag === null || isString(v.etag)) &&
    isString(v.appliedAt)
  );
}
