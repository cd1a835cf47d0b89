import { base64urlDecode, base64urlEncode } from './base64url.ts';
import type { JsonWebKey, Subtle } from './webcrypto.ts';
import { utf8Encode } from './utf8.ts';

/**
 * A signed policy as it travels from the server to devices and the PWA. The signature
 * covers the exact UTF-8 bytes of `payload`, so any change to them (a proxy, a tampered
 * cache) fails verification.
 */
export interface SignedEnvelope {
  alg: 'ES256';
  keyId: string;
  payload: string;
  /** base64url of the IEEE P1363 (r‖s) ECDSA signature WebCrypto produces. */
  signature: string;
}

const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const ES256 = { name: 'ECDSA', hash: 'SHA-256' } as const;

export interface SigningKeyPair {
  keyId: string;
  privateJwk: JsonWebKey;
  publicJwk: JsonWebKey;
}

/** Makes a new ES256 key pair; the key id is derived from the public key. */
export async function generateSigningKeyPair(subtle: Subtle): Promise<SigningKeyPair> {
  const pair = (await subtle.generateKey(ECDSA, true, ['sign', 'verify'])) as {
    privateKey: never;
    publicKey: never;
  };
  const privateJwk = await subtle.exportKey('jwk', pair.privateKey);
  const publicJwk = await subtle.exportKey('jwk', pair.publicKey);
  return { keyId: await keyIdOf(subtle, publicJwk), privateJwk, publicJwk };
}

/** A short stable id of a public key: base64url of the first 12 bytes of SHA-256(x‖y). */
export async function keyIdOf(subtle: Subtle, publicJwk: JsonWebKey): Promise<string> {
  const digest = await subtle.digest('SHA-256', utf8Encode(`${publicJwk.x}.${publicJwk.y}`));
  return base64urlEncode(new Uint8Array(digest).slice(0, 12));
}

export async function signEnvelope(
  subtle: Subtle,
  payload: string,
  keyId: string,
  privateJwk: JsonWebKey,
): Promise<SignedEnvelope> {
  const key = await subtle.importKey('jwk', privateJwk, ECDSA, false, ['sign']);
  const signature = await subtle.sign(ES256, key as never, utf8Encode(payload));
  return { alg: 'ES256', keyId, payload, signature: base64urlEncode(new Uint8Array(signature)) };
}

export type VerifyResult =
  | { ok: true; payload: string }
  | { ok: false; code: 'malformed' | 'wrong_key' | 'bad_signature'; message: string };

/**
 * Verifies an envelope against the pinned public key. Accepts `unknown` because the
 * envelope arrives over the network or out of storage.
 */
export async function verifyEnvelope(
  subtle: Subtle,
  envelope: unknown,
  pinned: { keyId: string; jwk: JsonWebKey },
): Promise<VerifyResult> {
  if (!isEnvelopeShape(envelope)) {
    return { ok: false, code: 'malformed', message: 'not a signed policy envelope' };
  }
  if (envelope.keyId !== pinned.keyId) {
    return {
      ok: false,
      code: 'wrong_key',
      message: `signed with key ${envelope.keyId}, expected the pinned key ${pinned.keyId}`,
    };
  }
  const signature = base64urlDecode(envelope.signature);
  if (!signature || signature.length !== 64) {
    return { ok: false, code: 'malformed', message: 'signature is not a 64-byte ES256 signature' };
  }
  const key = await verifyKey(subtle, pinned.jwk);
  const valid = await subtle.verify(ES256, key as never, signature, utf8Encode(envelope.payload));
  return valid
    ? { ok: true, payload: envelope.payload }
    : { ok: false, code: 'bad_signature', message: 'signature does not match the policy bytes' };
}

/** Imported keys by pinned JWK object: a device verifies every policy with the same key. */
const imported = new WeakMap<JsonWebKey, Promise<unknown>>();

function verifyKey(subtle: Subtle, jwk: JsonWebKey): Promise<unknown> {
  let key = imported.get(jwk);
  if (!key) {
    key = subtle.importKey('jwk', publicOnly(jwk), ECDSA, false, ['verify']);
    imported.set(jwk, key);
    key.catch(() => imported.delete(jwk)); // a bad key is retried, not remembered
  }
  return key;
}

function publicOnly(jwk: JsonWebKey): JsonWebKey {
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
}

function isEnvelopeShape(v: unknown): v is SignedEnvelope {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  return (
    e.alg === 'ES256' &&
    typeof e.keyId === 'string' &&
    typeof e.payload === 'string' &&
    typeof e.signature === 'string'
  );
}
