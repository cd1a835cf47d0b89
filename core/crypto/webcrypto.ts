/**
 * The slice of WebCrypto that core/ uses. core/ has no DOM or Node typings, so the
 * caller passes its own `crypto.subtle` (the browser's, the service worker's or Node's
 * `globalThis.crypto.subtle`); the same code then signs and verifies everywhere.
 */
export type KeyHandle = object & { readonly __keyHandle?: never };

export interface JsonWebKey {
  kty?: string;
  crv?: string;
  x?: string;
  y?: string;
  d?: string;
  [k: string]: unknown;
}

export interface Subtle {
  generateKey(
    algorithm: { name: 'ECDSA'; namedCurve: 'P-256' },
    extractable: boolean,
    usages: string[],
  ): Promise<unknown>;
  importKey(
    format: 'jwk',
    key: JsonWebKey,
    algorithm: { name: 'ECDSA'; namedCurve: 'P-256' },
    extractable: boolean,
    usages: string[],
  ): Promise<unknown>;
  exportKey(format: 'jwk', key: never): Promise<JsonWebKey>;
  sign(
    algorithm: { name: 'ECDSA'; hash: 'SHA-256' },
    key: never,
    data: Uint8Array,
  ): Promise<ArrayBuffer>;
  verify(
    algorithm: { name: 'ECDSA'; hash: 'SHA-256' },
    key: never,
    signature: Uint8Array,
    data: Uint8Array,
  ): Promise<boolean>;
  digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer>;
}
