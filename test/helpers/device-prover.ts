import {
  encodeDeviceProofPayload,
  type DeviceProof,
} from '../../core/policy/access/device-proof.ts';

const subtle = globalThis.crypto.subtle;

/** What a test browser's extension reports with a proof. */
export const TEST_POSTURE = {
  browser: 'chrome',
  browserVersion: '131.0.6778.85',
  os: 'linux',
  extensionVersion: '1.0.0',
  installType: 'admin',
  incognitoAllowed: true,
  policyVersion: 1,
  policySince: new Date().toISOString(),
  rulesInPlace: true,
} as const;

/**
 * A device key as the extension makes it (non-extractable P-256) and the proofs it signs,
 * for tests that play the extension's part against the real server.
 */
export class DeviceProver {
  private constructor(
    private readonly pair: CryptoKeyPair,
    readonly publicJwk: JsonWebKey,
  ) {}

  deviceId = '';

  static async create(): Promise<DeviceProver> {
    const pair = (await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const { kty, crv, x, y } = await subtle.exportKey('jwk', pair.publicKey);
    return new DeviceProver(pair, { kty, crv, x, y });
  }

  async prove(challenge: string, origin: string, now = Date.now()): Promise<DeviceProof> {
    const payload = encodeDeviceProofPayload({
      challenge,
      origin,
      deviceId: this.deviceId,
      exp: now + 60_000,
      posture: TEST_POSTURE,
    });
    const sig = await subtle.sign(
      { name: 'ECDSA', hash: 'SHA-256' },
      this.pair.privateKey,
      new TextEncoder().encode(payload),
    );
    return { deviceId: this.deviceId, payload, signature: Buffer.from(sig).toString('base64url') };
  }
}
