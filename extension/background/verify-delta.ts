import { verifyEnvelope } from '../../core/crypto/envelope.ts';
import type { Subtle } from '../../core/crypto/webcrypto.ts';
import {
  parsePolicyDelta,
  patchPolicyPayload,
  rebuiltText,
  sha256Text,
  type PolicyDelta,
} from '../../core/policy/policy-delta.ts';
import { parsePolicyPayload, type PolicyPayload } from '../../core/policy/policy-payload.ts';
import type { SignedEnvelope } from '../../core/crypto/envelope.ts';
import type { Enrollment, StoredPolicy } from './state-store.ts';
import { verifyPolicy, withDefaults, type VerifiedPolicy } from './verify-policy.ts';

export type VerifiedDelta =
  | { ok: true; delta: PolicyDelta }
  | {
      ok: false;
      reason: 'malformed' | 'wrong_key' | 'bad_signature' | 'bad_payload';
      message: string;
    };

/**
 * Verifies a signed delta exactly as a full envelope is verified (same pinned key, same
 * code), then parses it: a tampered or re-signed delta is refused like a tampered policy.
 */
export async function verifyDelta(
  subtle: Subtle,
  envelope: unknown,
  key: Enrollment['publicKey'],
): Promise<VerifiedDelta> {
  const verified = await verifyEnvelope(subtle, envelope, { keyId: key.keyId, jwk: key.jwk });
  if (!verified.ok) return { ok: false, reason: verified.code, message: verified.message };
  const delta = parsePolicyDelta(verified.payload);
  if (!delta) return { ok: false, reason: 'bad_payload', message: 'signed payload is not a delta' };
  return { ok: true, delta };
}

/**
 * Re-verifies what storage holds at start-up: a full envelope, or — after a delta — the
 * full payload rebuilt from it beside the signed delta whose SHA-256 binds those bytes.
 */
export async function verifyStoredPolicy(
  subtle: Subtle,
  stored: StoredPolicy,
  key: Enrollment['publicKey'],
): Promise<VerifiedPolicy> {
  if (stored.payload === undefined) return verifyPolicy(subtle, stored.envelope, key);
  const verified = await verifyDelta(subtle, stored.envelope, key);
  if (!verified.ok) return verified;
  if ((await sha256Text(subtle, stored.payload)) !== verified.delta.payloadSha256) {
    return {
      ok: false,
      reason: 'bad_signature',
      message: 'the stored policy is not the one the signed delta names',
    };
  }
  const payload = parsePolicyPayload(stored.payload);
  if (!payload || payload.version !== verified.delta.version)
    return { ok: false, reason: 'bad_payload', message: 'stored payload is not a policy' };
  return { ok: true, payload: withDefaults(payload) };
}

export type ReplayedDeltas =
  | { ok: true; payload: PolicyPayload; text: string; last: SignedEnvelope }
  | Extract<VerifiedPolicy, { ok: false }>;

/**
 * At start-up, the stored deltas not yet folded into the stored policy: each verified as it
 * was on arrival and applied in turn; the SHA-256 the last one signs is checked on the
 * result (it binds the final bytes, so an earlier step that went wrong shows there too).
 */
export async function replayStoredDeltas(
  subtle: Subtle,
  base: PolicyPayload,
  deltas: readonly SignedEnvelope[],
  key: Enrollment['publicKey'],
): Promise<ReplayedDeltas> {
  let payload = base;
  let signed: PolicyPayload = base;
  let last: PolicyDelta | null = null;
  for (const envelope of deltas) {
    const verified = await verifyDelta(subtle, envelope, key);
    if (!verified.ok) return verified;
    const patched = patchPolicyPayload(payload, verified.delta);
    if (!patched.ok) return { ok: false, reason: 'bad_payload', message: patched.message };
    signed = patched.payload;
    payload = withDefaults(signed);
    last = verified.delta;
  }
  const text = last ? await rebuiltText(subtle, signed, last) : null;
  if (text === null)
    return {
      ok: false,
      reason: 'bad_payload',
      message: 'the policy rebuilt from the stored deltas is not the signed one',
    };
  return { ok: true, payload, text, last: deltas.at(-1)! };
}
