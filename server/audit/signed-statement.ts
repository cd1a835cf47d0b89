import { signEnvelope, verifyEnvelope, type SigningKeyPair } from '../../core/crypto/envelope.ts';
import type { JsonWebKey } from '../../core/crypto/webcrypto.ts';
import { subtle } from '../signing-key.ts';
import type { SignedStatementRow } from '../store/types.ts';
import { canonicalJson } from '../util/canonical-json.ts';

/** "The chain, as this server holds it, ends at `seq` with `hash`", at `signedAt`. */
export interface HeadStatement {
  type: 'palisade.audit.head';
  seq: number;
  hash: string;
  signedAt: string;
}

/** "Rows up to `seq` were pruned; the next row's prevHash is `hash`." */
export interface CheckpointStatement {
  type: 'palisade.audit.checkpoint';
  seq: number;
  hash: string;
  prunedAt: string;
}

export type AuditStatement = HeadStatement | CheckpointStatement;

/** The public key as `GET /api/v1/public-key` gives it. */
export interface PublicKeyInfo {
  keyId: string;
  jwk: JsonWebKey;
}

/**
 * Signs a statement with the server's ES256 key (the key devices pin for policies): the
 * payload is its RFC 8785 text, and the `type` keeps a head, a checkpoint and a policy
 * envelope from being passed off as one another.
 */
export async function signStatement(
  key: SigningKeyPair,
  statement: AuditStatement,
): Promise<SignedStatementRow> {
  const { keyId, payload, signature } = await signEnvelope(
    subtle,
    canonicalJson(statement),
    key.keyId,
    key.privateJwk,
  );
  return { keyId, payload, signature };
}

/**
 * Checks a stored or exported signed statement against the public key and returns what
 * it says, or why it cannot be trusted.
 */
export async function openStatement<T extends AuditStatement['type']>(
  signed: SignedStatementRow | null | undefined,
  type: T,
  key: PublicKeyInfo,
): Promise<
  { ok: true; statement: Extract<AuditStatement, { type: T }> } | { ok: false; reason: string }
> {
  if (!signed) return { ok: false, reason: 'it is not signed' };
  const verified = await verifyEnvelope(subtle, { alg: 'ES256', ...signed }, key);
  if (!verified.ok) return { ok: false, reason: `its signature is not valid: ${verified.message}` };
  let statement: unknown;
  try {
    statement = JSON.parse(verified.payload);
  } catch {
    return { ok: false, reason: 'its payload is not JSON' };
  }
  const s = statement as Partial<AuditStatement>;
  if (s.type !== type || !Number.isSafeInteger(s.seq) || typeof s.hash !== 'string') {
    return { ok: false, reason: `its payload is not a ${type} statement` };
  }
  return { ok: true, statement: s as Extract<AuditStatement, { type: T }> };
}
