import { base64urlDecode, base64urlEncode } from '../../crypto/base64url.ts';
import { utf8Decode, utf8Encode } from '../../crypto/utf8.ts';
import { parseDevicePosture, type ReportedPosture } from './device-posture.ts';

/**
 * A device proof: the extension's answer to a server challenge, signed with the device's
 * non-extractable ECDSA P-256 key (docs/device-trust.md, "Device keys").
 *
 * `payload` is base64url of the JSON {@link DeviceProofPayload}; `signature` is base64url of
 * the ECDSA P-256 / SHA-256 signature over the payload's base64url text, in IEEE P1363
 * form (r‖s), as WebCrypto produces it.
 */
export interface DeviceProof {
  deviceId: string;
  payload: string;
  signature: string;
}

/** What the device signs. `posture` rides along signed, so it cannot be swapped on the way. */
export interface DeviceProofPayload {
  challenge: string;
  /** The origin of the page that asked: the server's own. */
  origin: string;
  deviceId: string;
  /** Expiry, ms since the epoch. */
  exp: number;
  posture?: ReportedPosture;
}

const ID = /^[A-Za-z0-9_.:-]{1,100}$/;
const B64URL = /^[A-Za-z0-9_-]+$/;

/** The proof's shape, or null: strings of bounded size, base64url where they must be. */
export function parseDeviceProof(value: unknown): DeviceProof | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const { deviceId, payload, signature } = value as Record<string, unknown>;
  if (typeof deviceId !== 'string' || !ID.test(deviceId)) return null;
  if (typeof payload !== 'string' || payload.length > 4096 || !B64URL.test(payload)) return null;
  // A P-256 P1363 signature is 64 bytes: 86 base64url characters.
  if (typeof signature !== 'string' || signature.length !== 86 || !B64URL.test(signature))
    return null;
  return { deviceId, payload, signature };
}

/** Decodes and checks a proof's payload; null when it is not exactly a payload. */
export function parseDeviceProofPayload(payload: string): DeviceProofPayload | null {
  const bytes = base64urlDecode(payload);
  if (!bytes) return null;
  let json: unknown;
  try {
    const text = utf8Decode(bytes);
    if (text === null) return null;
    json = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  const p = json as Record<string, unknown>;
  if (typeof p.challenge !== 'string' || p.challenge.length > 200) return null;
  if (typeof p.origin !== 'string' || p.origin.length > 2048) return null;
  if (typeof p.deviceId !== 'string' || !ID.test(p.deviceId)) return null;
  if (typeof p.exp !== 'number' || !Number.isSafeInteger(p.exp)) return null;
  const out: DeviceProofPayload = {
    challenge: p.challenge,
    origin: p.origin,
    deviceId: p.deviceId,
    exp: p.exp,
  };
  if (p.posture !== undefined) {
    const posture = parseDevicePosture(p.posture);
    if (!posture) return null;
    out.posture = posture;
  }
  return out;
}

/** The payload as the device encodes it before signing. */
export function encodeDeviceProofPayload(payload: DeviceProofPayload): string {
  return base64urlEncode(utf8Encode(JSON.stringify(payload)));
}
