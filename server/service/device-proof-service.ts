import { deviceTrust } from '../../core/policy/access/device-trust.ts';
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  parseDeviceProof,
  parseDeviceProofPayload,
} from '../../core/policy/access/device-proof.ts';
import type { DevicePosture, DeviceTrust } from '../../core/policy/access/types.ts';
import { hashToken } from '../util/tokens.ts';
import type { ServiceContext } from './context.ts';
import type { DevicePostureService } from './device-posture-service.ts';

/** A challenge is good for 2 minutes: enough for a page to ask the extension, no more. */
export const PROOF_CHALLENGE_TTL_MS = 2 * 60_000;
/** A device may set its proof's expiry at most this far ahead. */
export const MAX_PROOF_LIFETIME_MS = 5 * 60_000;

export type DeviceProofFailure =
  | 'bad_proof'
  | 'wrong_origin'
  | 'challenge_invalid'
  | 'challenge_expired'
  | 'challenge_used'
  | 'proof_expired'
  | 'unknown_device'
  | 'device_revoked'
  | 'device_removed'
  | 'no_device_key'
  | 'bad_signature';

export type DeviceProofResult =
  | {
      ok: true;
      device: { id: string; trust: DeviceTrust; group: string | null; userId: string | null };
      posture: DevicePosture | null;
    }
  | { ok: false; code: DeviceProofFailure; message: string };

const MAC_INFO = 'palisade device-proof challenge v1';

/**
 * Device proofs (docs/device-trust.md, "Device keys"). The server issues a challenge, the
 * extension signs `{ challenge, origin, deviceId, exp, posture }` with the device's
 * non-extractable P-256 key, and `verify` checks it against the key registered at
 * enrollment or pairing.
 *
 * A challenge is self-authenticating — 16 random bytes, its expiry, and an HMAC under a key
 * derived from the server's signing key, which every instance shares — so issuing it
 * writes nothing and any instance can check it. Its single use is what the store holds:
 * `verify` records it (`useDeviceProofChallenge`, one conditional insert), and a second
 * proof over the same challenge is refused on any instance.
 *
 * @example
 * const { challenge } = services.deviceProof.issueChallenge();
 * // … the page gets a proof from the extension (pwa/src/extension/device-proof.ts) …
 * const result = await services.deviceProof.verify(body.proof, config.origin);
 * if (!result.ok) return deny(result.code, result.message);
 */
export class DeviceProofService {
  private readonly macKey: Buffer;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly posture: DevicePostureService,
  ) {
    const secret = ctx.signingKey.privateJwk.d;
    if (!secret) throw new Error('the signing key has no private part');
    this.macKey = Buffer.from(hkdfSync('sha256', secret, '', MAC_INFO, 32));
  }

  /** A fresh challenge, valid for 2 minutes and for one proof. */
  issueChallenge(): { challenge: string; expiresAt: string } {
    const exp = this.ctx.now() + PROOF_CHALLENGE_TTL_MS;
    const body = Buffer.alloc(24);
    randomBytes(16).copy(body, 0);
    body.writeBigUInt64BE(BigInt(exp), 16);
    const challenge = Buffer.concat([body, this.mac(body)]).toString('base64url');
    return { challenge, expiresAt: new Date(exp).toISOString() };
  }

  /**
   * Checks a proof: its shape, the origin it was made for, the challenge (ours, unexpired,
   * unused), its own expiry, the device (known, active, not removed, with a key) and the
   * signature under that key. On success the posture it carries is stored as the device's
   * latest report and returned.
   */
  async verify(proof: unknown, expectedOrigin: string): Promise<DeviceProofResult> {
    const parsed = parseDeviceProof(proof);
    const payload = parsed ? parseDeviceProofPayload(parsed.payload) : null;
    if (!parsed || !payload || payload.deviceId !== parsed.deviceId)
      return fail('bad_proof', 'The device proof is malformed. Ask the extension for a new one.');
    if (payload.origin !== expectedOrigin)
      return fail(
        'wrong_origin',
        `The device proof was made for ${payload.origin}, not this server.`,
      );
    const now = this.ctx.now();
    const challengeExp = this.challengeExpiry(payload.challenge);
    if (challengeExp === null)
      return fail(
        'challenge_invalid',
        'The device proof answers a challenge this server never issued.',
      );
    if (challengeExp <= now)
      return fail('challenge_expired', 'The challenge expired (after 2 minutes). Start again.');
    if (payload.exp <= now) return fail('proof_expired', 'The device proof expired. Start again.');
    if (payload.exp > now + MAX_PROOF_LIFETIME_MS)
      return fail('bad_proof', 'The device proof claims to live longer than 5 minutes.');

    const device = await this.ctx.store.getDevice(payload.deviceId);
    if (!device) return fail('unknown_device', 'This browser is not enrolled with this server.');
    if (device.status !== 'active')
      return fail(
        'device_revoked',
        `This browser was ${device.status === 'revoked' ? 'revoked' : 'wiped'} by an administrator. Enroll it again.`,
      );
    const trust = await this.ctx.store.getDeviceTrust(device.id);
    if (trust?.removedAt)
      return fail('device_removed', 'Palisade was removed from this browser. Enroll it again.');
    if (!trust?.publicKey)
      return fail(
        'no_device_key',
        'This browser has no device key registered. Enroll or pair it again.',
      );

    if (!(await verifySignature(trust.publicKey, parsed.payload, parsed.signature)))
      return fail('bad_signature', 'The device proof is not signed by this browser’s key.');
    if (
      !(await this.ctx.store.useDeviceProofChallenge(
        hashToken(payload.challenge),
        new Date(challengeExp).toISOString(),
      ))
    )
      return fail('challenge_used', 'This challenge was already answered. Start again.');

    const posture = payload.posture
      ? await this.posture.report(device, payload.posture)
      : await this.posture.latest(device.id);
    return {
      ok: true,
      device: {
        id: device.id,
        // Active here (checked above), so `managed` or `enrolled`.
        trust: deviceTrust(device, posture),
        group: device.groupName,
        userId: device.userId,
      },
      posture,
    };
  }

  /** The challenge's expiry (ms) if this server issued it, else null. */
  private challengeExpiry(challenge: string): number | null {
    if (!/^[A-Za-z0-9_-]{54}$/.test(challenge)) return null;
    const bytes = Buffer.from(challenge, 'base64url');
    if (bytes.length !== 40) return null;
    const body = bytes.subarray(0, 24);
    if (!timingSafeEqual(bytes.subarray(24), this.mac(body))) return null;
    return Number(body.readBigUInt64BE(16));
  }

  private mac(body: Buffer): Buffer {
    return createHmac('sha256', this.macKey).update(body).digest().subarray(0, 16);
  }
}

function fail(code: DeviceProofFailure, message: string): DeviceProofResult {
  return { ok: false, code, message };
}

/** ECDSA P-256 / SHA-256 over the payload's base64url text, P1363 signature. */
async function verifySignature(jwkText: string, payload: string, signature: string) {
  try {
    const key = await crypto.subtle.importKey(
      'jwk',
      JSON.parse(jwkText) as JsonWebKey,
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['verify'],
    );
    return await crypto.subtle.verify(
      { name: 'ECDSA', hash: 'SHA-256' },
      key,
      Buffer.from(signature, 'base64url'),
      Buffer.from(payload, 'utf8'),
    );
  } catch {
    return false;
  }
}
