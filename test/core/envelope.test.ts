import { describe, expect, it } from 'vitest';
import { base64urlDecode, base64urlEncode } from '../../core/crypto/base64url.ts';
import {
  generateSigningKeyPair,
  signEnvelope,
  verifyEnvelope,
} from '../../core/crypto/envelope.ts';
import type { Subtle } from '../../core/crypto/webcrypto.ts';
import fc from 'fast-check';

const subtle = globalThis.crypto.subtle as unknown as Subtle;

describe('signed policy envelope', async () => {
  const keys = await generateSigningKeyPair(subtle);
  const pinned = { keyId: keys.keyId, jwk: keys.publicJwk };
  const payload = JSON.stringify({ v: 1, version: 3, policy: { urlBlocklist: ['a.test'] } });
  const envelope = await signEnvelope(subtle, payload, keys.keyId, keys.privateJwk);

  it('verifies what was signed', async () => {
    expect(await verifyEnvelope(subtle, envelope, pinned)).toEqual({ ok: true, payload });
  });

  it('fails when any byte of the payload changes', async () => {
    for (let i = 0; i < payload.length; i += 7) {
      const tampered = { ...envelope, payload: payload.slice(0, i) + '#' + payload.slice(i + 1) };
      const result = await verifyEnvelope(subtle, tampered, pinned);
      expect(result.ok).toBe(false);
    }
  });

  it('fails on a flipped signature bit, another key, or a malformed envelope', async () => {
    const sig = base64urlDecode(envelope.signature)!;
    sig[10] = sig[10]! ^ 1;
    expect(
      await verifyEnvelope(subtle, { ...envelope, signature: base64urlEncode(sig) }, pinned),
    ).toMatchObject({
      ok: false,
      code: 'bad_signature',
    });
    const other = await generateSigningKeyPair(subtle);
    const forged = await signEnvelope(subtle, payload, keys.keyId, other.privateJwk);
    expect(await verifyEnvelope(subtle, forged, pinned)).toMatchObject({
      ok: false,
      code: 'bad_signature',
    });
    expect(await verifyEnvelope(subtle, { ...envelope, keyId: 'x' }, pinned)).toMatchObject({
      code: 'wrong_key',
    });
    expect(await verifyEnvelope(subtle, 'nope', pinned)).toMatchObject({ code: 'malformed' });
    expect(await verifyEnvelope(subtle, { ...envelope, signature: '!!' }, pinned)).toMatchObject({
      code: 'malformed',
    });
  });

  it('base64url round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array(), (bytes) => {
        expect(base64urlDecode(base64urlEncode(bytes))).toEqual(bytes);
      }),
    );
    expect(base64urlEncode(new Uint8Array([251, 255]))).toBe(
      Buffer.from([251, 255]).toString('base64url'),
    );
  });
});

describe('utf8Encode', () => {
  it('equals TextEncoder on any string, and so does the portable encoder', async () => {
    const { utf8Encode, utf8EncodePortable } = await import('../../core/crypto/utf8.ts');
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(utf8Encode(s)).toEqual(new TextEncoder().encode(s));
        expect(utf8EncodePortable(s)).toEqual(new TextEncoder().encode(s));
      }),
    );
  });
});
