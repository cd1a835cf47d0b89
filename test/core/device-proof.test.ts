import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64urlEncode } from '../../core/crypto/base64url.ts';
import { utf8Decode, utf8Encode } from '../../core/crypto/utf8.ts';
import { parseDevicePosture } from '../../core/policy/access/device-posture.ts';
import {
  encodeDeviceProofPayload,
  parseDeviceProof,
  parseDeviceProofPayload,
} from '../../core/policy/access/device-proof.ts';

const POSTURE = {
  browser: 'chrome',
  browserVersion: '131.0.6778.85',
  os: 'mac',
  extensionVersion: '1.2.0',
  installType: 'admin',
  incognitoAllowed: true,
  policyVersion: 12,
  policySince: '2026-12-03T10:00:00.000Z',
  rulesInPlace: true,
};
const SIG = 'A'.repeat(86);
const PAYLOAD = {
  challenge: 'c'.repeat(54),
  origin: 'https://emm.test',
  deviceId: 'd-1',
  exp: 1_800_000_000_000,
};
const b64 = (text: string) => base64urlEncode(utf8Encode(text));

describe('parseDeviceProof', () => {
  it.each([
    {
      name: 'a well-formed proof',
      value: { deviceId: 'd-1', payload: 'eyJ9', signature: SIG },
      ok: true,
    },
    { name: 'not an object', value: 'proof', ok: false },
    { name: 'an array', value: [], ok: false },
    {
      name: 'a device id with spaces',
      value: { deviceId: 'd 1', payload: 'eyJ9', signature: SIG },
      ok: false,
    },
    {
      name: 'a payload outside base64url',
      value: { deviceId: 'd-1', payload: 'ey+J9', signature: SIG },
      ok: false,
    },
    {
      name: 'a payload over 4 KB',
      value: { deviceId: 'd-1', payload: 'a'.repeat(4097), signature: SIG },
      ok: false,
    },
    {
      name: 'a DER-length signature',
      value: { deviceId: 'd-1', payload: 'eyJ9', signature: 'A'.repeat(96) },
      ok: false,
    },
    { name: 'a missing signature', value: { deviceId: 'd-1', payload: 'eyJ9' }, ok: false },
  ])('$name → $ok', ({ value, ok }) => {
    expect(parseDeviceProof(value) !== null).toBe(ok);
  });
});

describe('parseDeviceProofPayload', () => {
  it.each([
    { name: 'the payload as encoded', text: JSON.stringify(PAYLOAD), ok: true },
    { name: 'with a posture', text: JSON.stringify({ ...PAYLOAD, posture: POSTURE }), ok: true },
    {
      name: 'with a malformed posture',
      text: JSON.stringify({ ...PAYLOAD, posture: { ...POSTURE, os: 7 } }),
      ok: false,
    },
    { name: 'a fractional expiry', text: JSON.stringify({ ...PAYLOAD, exp: 1.5 }), ok: false },
    { name: 'no origin', text: JSON.stringify({ ...PAYLOAD, origin: undefined }), ok: false },
    { name: 'not JSON', text: '{challenge', ok: false },
    { name: 'a JSON array', text: '[1]', ok: false },
  ])('$name → $ok', ({ text, ok }) => {
    expect(parseDeviceProofPayload(b64(text)) !== null).toBe(ok);
  });

  it('refuses bytes that are not UTF-8', () => {
    expect(parseDeviceProofPayload(base64urlEncode(new Uint8Array([0x7b, 0xff, 0x7d])))).toBeNull();
  });

  it('round-trips what the device encodes (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          challenge: fc.string({ maxLength: 200 }),
          origin: fc.webUrl().map((u) => new URL(u).origin),
          deviceId: fc.stringMatching(/^[A-Za-z0-9_.:-]{1,100}$/),
          exp: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        }),
        (payload) => {
          expect(parseDeviceProofPayload(encodeDeviceProofPayload(payload))).toEqual(payload);
        },
      ),
    );
  });

  it('never throws on arbitrary text (property)', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        parseDeviceProofPayload(text);
        parseDeviceProofPayload(b64(text));
      }),
    );
  });
});

describe('parseDevicePosture', () => {
  it.each([
    { name: 'a full report', value: POSTURE, ok: true },
    {
      name: 'no policy yet',
      value: { ...POSTURE, policyVersion: null, policySince: null },
      ok: true,
    },
    {
      name: 'an extra signal (nothing else is collected)',
      value: { ...POSTURE, tabs: 3 },
      ok: false,
    },
    { name: 'an unknown install type', value: { ...POSTURE, installType: 'store' }, ok: false },
    { name: 'a version as a number', value: { ...POSTURE, browserVersion: 131 }, ok: false },
    { name: 'a non-date policySince', value: { ...POSTURE, policySince: 'yesterday' }, ok: false },
    { name: 'an empty browser', value: { ...POSTURE, browser: '' }, ok: false },
    { name: 'a missing field', value: { ...POSTURE, rulesInPlace: undefined }, ok: false },
  ])('$name → $ok', ({ value, ok }) => {
    expect(parseDevicePosture(value) !== null).toBe(ok);
  });
});

describe('utf8Decode', () => {
  it('is the inverse of utf8Encode on well-formed text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(utf8Decode(utf8Encode(s))).toBe(s);
      }),
    );
  });

  it.each([
    { name: 'an overlong slash', bytes: [0xc0, 0xaf] },
    { name: 'a lone continuation byte', bytes: [0x80] },
    { name: 'a truncated sequence', bytes: [0xe2, 0x82] },
    { name: 'an encoded surrogate', bytes: [0xed, 0xa0, 0x80] },
    { name: 'past U+10FFFF', bytes: [0xf4, 0x90, 0x80, 0x80] },
  ])('refuses $name', ({ bytes }) => {
    expect(utf8Decode(new Uint8Array(bytes))).toBeNull();
  });
});
