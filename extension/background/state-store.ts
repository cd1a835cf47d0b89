import type { SignedEnvelope } from '../../core/crypto/envelope.ts';
import { parseNonceLog, type NonceLog } from '../../core/crypto/nonce-log.ts';
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
  /**
   * The group this device's envelopes must name: from the grant, then from signed `move`
   * commands. Absent only for enrollments made before groups were bound (docs/device-trust.md).
   */
  groupId?: string;
  /** From the last signed `move`: the lowest envelope version accepted in `groupId`. */
  minVersion?: number;
}

/** The last verified policy, kept as the signed envelope so it is re-verified at load. */
export interface StoredPolicy {
  /** The full envelope — or, with `payload`, the last signed delta applied. */
  envelope: SignedEnvelope;
  /** After a delta: the full payload it rebuilt, whose SHA-256 the delta signs. */
  payload?: string;
  etag: string | null;
  version: number;
  appliedAt: string;
}

/**
 * What callers other than start-up need of the stored policy, kept under its own key: the
 * policy itself is ~20 MB at a million filters, and every sync, posture report and popup
 * would otherwise read it whole into the worker's heap.
 */
export type PolicyHead = Pick<StoredPolicy, 'etag' | 'version' | 'appliedAt'>;

export interface SyncStatus {
  lastSyncAt?: string;
  lastSyncError?: string;
  ackedVersion?: number;
  revoked: boolean;
  /** The last enrollment ended in a verified, signed wipe. */
  wiped: boolean;
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

  /**
   * Signed deltas applied after the stored policy and not yet folded into it (each continues
   * from the one before, the first from `policy()`); `policyHead` is the last one's.
   */
  async policyDeltas(): Promise<SignedEnvelope[]> {
    const { policyDeltas } = await this.area.get('policyDeltas');
    return Array.isArray(policyDeltas) ? policyDeltas.filter(isSignedEnvelope) : [];
  }

  /**
   * Records the verified deltas applied since the stored policy (all of them, oldest first)
   * without rewriting it (20 MB at a million filters, most of a second to store in
   * Chromium): a few hundred bytes each, until `setPolicy`. `also` is written in the same
   * `set`, so what enforces them is recorded with them.
   */
  async setPolicyDeltas(
    deltas: readonly SignedEnvelope[],
    head: PolicyHead,
    also: Record<string, unknown> = {},
  ): Promise<void> {
    await this.area.set({ ...also, policyDeltas: deltas, policyHead: head });
  }

  /** The stored policy's version, etag and time (read whole only if stored before heads were). */
  async policyHead(): Promise<PolicyHead | null> {
    const { policyHead } = await this.area.get('policyHead');
    if (isPolicyHead(policyHead)) return policyHead;
    const stored = await this.policy();
    return stored ? headOf(stored) : null;
  }

  async status(): Promise<SyncStatus> {
    const { status } = await this.area.get('status');
    return isRecord(status)
      ? { ...EMPTY_STATUS, ...(status as Partial<SyncStatus>) }
      : EMPTY_STATUS;
  }

  async setEnrollment(enrollment: Enrollment): Promise<void> {
    // A new enrollment starts a new relationship: the old policy, status and nonces go with it.
    await this.area.remove(['policy', 'policyHead', 'policyDeltas', 'nonces', 'exceptions']);
    await this.area.set({ enrollment, status: EMPTY_STATUS });
  }

  /** Follows a verified `move` (or learns the group of an older enrollment). */
  async updateEnrollment(patch: Pick<Enrollment, 'groupId' | 'minVersion'>): Promise<void> {
    const current = await this.enrollment();
    if (current) await this.area.set({ enrollment: { ...current, ...patch } });
  }

  /**
   * Records the person who proved this device theirs — only on the enrollment the claim was
   * made for (`deviceId`): one that replaced it meanwhile is another device.
   */
  async setEnrollmentUser(
    deviceId: string,
    user: NonNullable<Enrollment['user']>,
  ): Promise<boolean> {
    const current = await this.enrollment();
    if (current?.deviceId !== deviceId) return false;
    await this.area.set({ enrollment: { ...current, user } });
    return true;
  }

  /** The nonces of the commands acted on (a damaged copy counts everything until `now` as seen). */
  async nonces(now: number): Promise<NonceLog> {
    const { nonces } = await this.area.get('nonces');
    return parseNonceLog(nonces, now);
  }

  async setNonces(log: NonceLog): Promise<void> {
    await this.area.set({ nonces: log });
  }

  /** The last verified exception list, kept signed so it is verified again at load. */
  async exceptions(): Promise<{ signed: unknown; issuedAtMs: number } | null> {
    const { exceptions } = await this.area.get('exceptions');
    return isRecord(exceptions) && isInteger(exceptions.issuedAtMs)
      ? { signed: exceptions.signed, issuedAtMs: exceptions.issuedAtMs }
      : null;
  }

  async setExceptions(value: { signed: unknown; issuedAtMs: number }): Promise<void> {
    await this.area.set({ exceptions: value });
  }

  async setPolicy(policy: StoredPolicy): Promise<void> {
    await this.area.set({ policy, policyHead: headOf(policy), policyDeltas: [] });
  }

  async clearPolicy(): Promise<void> {
    await this.area.remove(['policy', 'policyHead', 'policyDeltas']);
  }

  async updateStatus(patch: Partial<SyncStatus>): Promise<SyncStatus> {
    const next = { ...(await this.status()), ...patch };
    await this.area.set({ status: next });
    return next;
  }

  /** Wipe: forget the enrollment, the policy and the nonces; keep only the wiped marker. */
  async wipe(): Promise<void> {
    await this.area.remove([
      'enrollment',
      'policy',
      'policyHead',
      'policyDeltas',
      'nonces',
      'exceptions',
    ]);
    await this.area.set({ status: { ...EMPTY_STATUS, wiped: true } });
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
    isString(v.enrolledAt) &&
    (v.groupId === undefined || isNonEmptyString(v.groupId, 200)) &&
    (v.minVersion === undefined || isInteger(v.minVersion))
  );
}

function headOf(p: StoredPolicy): PolicyHead {
  return { etag: p.etag, version: p.version, appliedAt: p.appliedAt };
}

function isPolicyHead(v: unknown): v is PolicyHead {
  return (
    isRecord(v) &&
    isInteger(v.version) &&
    (v.etag === null || isString(v.etag)) &&
    isString(v.appliedAt)
  );
}

function isStoredPolicy(v: unknown): v is StoredPolicy {
  return (
    isRecord(v) &&
    isRecord(v.envelope) &&
    isInteger(v.version) &&
    (v.etag === null || isString(v.etag)) &&
    isString(v.appliedAt) &&
    (v.payload === undefined || typeof v.payload === 'string')
  );
}

/** The shape of a signed envelope; its signature is checked where it is used. */
function isSignedEnvelope(v: unknown): v is SignedEnvelope {
  return isRecord(v) && isString(v.payload);
}
