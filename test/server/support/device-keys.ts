import {
  encodeDeviceProofPayload,
  type DeviceProof,
} from '../../../core/policy/access/device-proof.ts';
import type { ReportedPosture } from '../../../core/policy/access/device-posture.ts';

const subtle = globalThis.crypto.subtle;

export const POSTURE: ReportedPosture = {
  browser: 'chrome',
  browserVersion: '131.0.6778.85',
  os: 'linux',
  extensionVersion: '1.0.0',
  installType: 'admin',
  incognitoAllowed: false,
  policyVersion: 1,
  policySince: '2026-12-04T00:00:00.000Z',
  rulesInPlace: true,
};

/** A device key as the extension makes it: non-extractable, the public half as JWK. */
export async function deviceKey() {
  const pair = (await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const { kty, crv, x, y } = await subtle.exportKey('jwk', pair.publicKey);
  return { pair, jwk: { kty, crv, x, y } };
}

export async function sign(
  key: CryptoKey,
  p: {
    challenge: string;
    origin: string;
    deviceId: string;
    exp: number;
    posture?: ReportedPosture;
  },
): Promise<DeviceProof> {
  const payload = encodeDeviceProofPayload(p);
  const sig = await subtle.sign(
    { name: 'ECDSA', hash: 'SHA-256' },
    key,
    new TextEncoder().encode(payload),
  );
  return { deviceId: p.deviceId, payload, signature: Buffer.from(sig).toString('base64url') };
}
