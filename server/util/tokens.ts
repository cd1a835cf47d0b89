import { createHash, hash, randomBytes, randomUUID } from 'node:crypto';

/**
 * Secrets and ids. Every secret the server hands out (session tokens, device credentials,
 * invite and pairing tokens) is random, sent once, and stored only as its SHA-256 — a
 * leaked database does not let anyone act as a user or a device.
 */

/** A random secret of `bytes` bytes, base64url (32 bytes = 256 bits). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** SHA-256 of a UTF-8 string, base64url — how secrets are stored and looked up. */
export function hashToken(token: string): string {
  // One-shot: no Hash object per call (every device poll hashes its credential).
  return hash('sha256', token, 'base64url');
}

/** SHA-256 of a UTF-8 string, lowercase hex — the audit chain's hash. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** An opaque id. UUIDs sort nowhere in particular, which is fine: ids are opaque. */
export function newId(): string {
  return randomUUID();
}

// Crockford's base32 without I, L, O, U: easy to read out and type on a Chromebook.
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A human-typable enrollment code, 12 characters (60 bits) in groups of four. */
export function enrollmentCode(): string {
  const bytes = randomBytes(12);
  let out = '';
  for (let i = 0; i < 12; i++) {
    out += CODE_ALPHABET[bytes[i]! & 31]!;
    if (i === 3 || i === 7) out += '-';
  }
  return out;
}

/** Normalises what a person typed: case, spaces, dashes and look-alike letters. */
export function normalizeEnrollmentCode(input: string): string {
  const s = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return s.length === 12 ? `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8)}` : s;
}
