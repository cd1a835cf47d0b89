import type { Subtle } from '../../core/crypto/webcrypto.ts';
import type { DeviceKeyStore } from '../platform/types.ts';

/** The public half as the server registers it (docs/api.md, `deviceKey`). */
export interface DevicePublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
}

const ALG = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/**
 * The device key: an ECDSA P-256 pair made with WebCrypto at enrollment and at pairing,
 * its private half non-extractable, kept in IndexedDB (`platform.deviceKeys`). It signs
 * device proofs; the bearer credential stays for the sync API. Revoke and wipe drop it, so
 * a device without it must enroll again before it can prove itself.
 */
export class DeviceKey {
  constructor(private readonly deps: { keys: DeviceKeyStore; subtle: Subtle }) {}

  /** A new pair and its public JWK; stored only once the server has registered it (`keep`). */
  async create(): Promise<{ pair: CryptoKeyPair; jwk: DevicePublicJwk }> {
    const pair = (await this.deps.subtle.generateKey(ALG, false, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    // The public key of a pair is always extractable; the private one stays inside.
    const { x, y } = await this.deps.subtle.exportKey('jwk', pair.publicKey as never);
    if (typeof x !== 'string' || typeof y !== 'string') throw new Error('public key without x, y');
    return { pair, jwk: { kty: 'EC', crv: 'P-256', x, y } };
  }

  keep(pair: CryptoKeyPair): Promise<void> {
    return this.deps.keys.put(pair);
  }

  drop(): Promise<void> {
    return this.deps.keys.remove();
  }

  async present(): Promise<boolean> {
    return (await this.deps.keys.get()) !== null;
  }

  /** base64url P1363 signature over the UTF-8 of `text`, or null when there is no key. */
  async sign(text: string): Promise<string | null> {
    const pair = await this.deps.keys.get();
    if (!pair) return null;
    const sig = await this.deps.subtle.sign(
      { name: 'ECDSA', hash: 'SHA-256' },
      pair.privateKey as never,
      new TextEncoder().encode(text),
    );
    return base64url(new Uint8Array(sig));
  }
}

function base64url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
