import type { ReportedPosture } from '../../core/policy/access/device-posture.ts';
import {
  encodeDeviceProofPayload,
  type DeviceProof,
} from '../../core/policy/access/device-proof.ts';
import { ExtensionError } from '../shared/reply.ts';
import type { DeviceKey } from './device-key.ts';
import type { StateStore } from './state-store.ts';

/** A proof is good for a minute: the page posts it to the server right away. */
export const PROOF_LIFETIME_MS = 60_000;

export interface DeviceProverDeps {
  store: StateStore;
  key: DeviceKey;
  posture: () => Promise<ReportedPosture>;
  now: () => number;
}

/**
 * Answers the enrolled server's page with a device proof: the server's challenge, bound to
 * the page's origin, this device's id, a one-minute expiry and the posture, signed with
 * the device key. Only the enrolled server's origin is answered (another gets `forbidden`,
 * which the bridge turns into silence); a revoked browser, or one without a key, says so.
 */
export class DeviceProver {
  constructor(private readonly deps: DeviceProverDeps) {}

  async prove(
    challenge: string,
    pageOrigin: string,
  ): Promise<{ proof: DeviceProof; posture: ReportedPosture }> {
    const { store, key } = this.deps;
    const enrollment = await store.enrollment();
    if (!enrollment) throw new ExtensionError('not_enrolled', 'this browser is not enrolled');
    if (new URL(enrollment.serverUrl).origin !== pageOrigin)
      throw new ExtensionError('forbidden', 'this browser belongs to another server');
    if ((await store.status()).revoked)
      throw new ExtensionError('revoked', 'this browser’s enrollment was revoked by an admin');
    const posture = await this.deps.posture();
    const payload = encodeDeviceProofPayload({
      challenge,
      origin: pageOrigin,
      deviceId: enrollment.deviceId,
      exp: this.deps.now() + PROOF_LIFETIME_MS,
      posture,
    });
    const signature = await key.sign(payload);
    if (!signature)
      throw new ExtensionError(
        'no_device_key',
        'this browser has no device key; enroll or pair it again to open company apps',
      );
    return { proof: { deviceId: enrollment.deviceId, payload, signature }, posture };
  }
}
