import { signEnvelope, verifyEnvelope, type SignedEnvelope } from '../crypto/envelope.ts';
import type { JsonWebKey, Subtle } from '../crypto/webcrypto.ts';
import type { AccessException } from './access-exception.ts';

export const EXCEPTIONS_TYP = 'palisade.exceptions';
/** More than any device should hold; a longer list is refused as malformed. */
export const MAX_EXCEPTIONS = 1000;

/**
 * The exceptions one device enforces (its own and its user's), signed with the pinned
 * policy key. `typ` keeps it from ever parsing as a policy payload or a device command.
 * The whole list is sent each time, so a device replaces what it had; `issuedAt` only grows,
 * so a replayed older list (one still holding a revoked exception) is refused.
 */
export interface ExceptionList {
  v: 1;
  typ: typeof EXCEPTIONS_TYP;
  deviceId: string;
  issuedAt: string;
  exceptions: AccessException[];
}

export function signExceptionList(
  subtle: Subtle,
  fields: Omit<ExceptionList, 'v' | 'typ'>,
  key: { keyId: string; privateJwk: JsonWebKey },
): Promise<SignedEnvelope> {
  const list: ExceptionList = { v: 1, typ: EXCEPTIONS_TYP, ...fields };
  return signEnvelope(subtle, JSON.stringify(list), key.keyId, key.privateJwk);
}

export type ExceptionListCheck =
  | { ok: true; list: ExceptionList; issuedAtMs: number }
  | {
      ok: false;
      code: 'malformed' | 'wrong_key' | 'bad_signature' | 'wrong_device' | 'stale';
      message: string;
    };

/**
 * Verifies a signed exception list for this device: the pinned key, this device's id, a
 * well-formed list, and issued no earlier than the list it replaces (`notBeforeMs`).
 * Accepts `unknown`: it arrives from the network or out of storage.
 */
export async function verifyExceptionList(
  subtle: Subtle,
  signed: unknown,
  expect: { pinned: { keyId: string; jwk: JsonWebKey }; deviceId: string; notBeforeMs?: number },
): Promise<ExceptionListCheck> {
  const verified = await verifyEnvelope(subtle, signed, expect.pinned);
  if (!verified.ok) return verified;
  const list = parseExceptionList(verified.payload);
  if (!list) return { ok: false, code: 'malformed', message: 'not a signed exception list' };
  if (list.deviceId !== expect.deviceId) {
    return { ok: false, code: 'wrong_device', message: `the list is for device ${list.deviceId}` };
  }
  const issuedAtMs = Date.parse(list.issuedAt);
  if (expect.notBeforeMs !== undefined && issuedAtMs < expect.notBeforeMs) {
    return { ok: false, code: 'stale', message: 'the list is older than the one in force' };
  }
  return { ok: true, list, issuedAtMs };
}

function parseExceptionList(text: string): ExceptionList | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const p = v as Record<string, unknown>;
  if (p.v !== 1 || p.typ !== EXCEPTIONS_TYP || typeof p.deviceId !== 'string') return null;
  if (typeof p.issuedAt !== 'string' || Number.isNaN(Date.parse(p.issuedAt))) return null;
  if (!Array.isArray(p.exceptions) || p.exceptions.length > MAX_EXCEPTIONS) return null;
  if (!p.exceptions.every(isException)) return null;
  return v as ExceptionList;
}

function isException(v: unknown): v is AccessException {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  return (
    typeof e.id === 'string' &&
    e.id.length > 0 &&
    e.id.length <= 64 &&
    typeof e.filter === 'string' &&
    e.filter.length > 0 &&
    e.filter.length <= 2048 &&
    (e.expiresAt === null ||
      (typeof e.expiresAt === 'string' && !Number.isNaN(Date.parse(e.expiresAt))))
  );
}
