import { verifyEnvelope } from '../../core/crypto/envelope.ts';
import type { Subtle } from '../../core/crypto/webcrypto.ts';
import { parsePolicyPayload, type PolicyPayload } from '../../core/policy/policy-payload.ts';
import type { Enrollment } from './state-store.ts';

export type VerifiedPolicy =
  | { ok: true; payload: PolicyPayload }
  | {
      ok: false;
      reason: 'malformed' | 'wrong_key' | 'bad_signature' | 'bad_payload';
      message: string;
    };

/**
 * Verifies a signed envelope against the key pinned at enrollment, then parses it. Used
 * both for what the server sends and for what storage gives back at start-up, so neither
 * a proxy nor a tampered profile can loosen the policy.
 */
export async function verifyPolicy(
  subtle: Subtle,
  envelope: unknown,
  key: Enrollment['publicKey'],
): Promise<VerifiedPolicy> {
  const verified = await verifyEnvelope(subtle, envelope, { keyId: key.keyId, jwk: key.jwk });
  if (!verified.ok) return { ok: false, reason: verified.code, message: verified.message };
  const payload = parsePolicyPayload(verified.payload);
  if (!payload)
    return { ok: false, reason: 'bad_payload', message: 'signed payload is not a policy' };
  return { ok: true, payload: withDefaults(payload) };
}

/**
 * The server sends a complete EffectivePolicy, but a field added in a later version must
 * not crash an older extension: fill what the enforcers read with safe defaults.
 */
export function withDefaults(p: PolicyPayload): PolicyPayload {
  const policy = p.policy;
  return {
    ...p,
    policy: {
      ...policy,
      name: policy.name ?? p.groupName,
      apps: Array.isArray(policy.apps) ? policy.apps : [],
      httpsOnly: policy.httpsOnly ?? { hosts: [], mode: 'upgrade' },
      auditUrlDetail: policy.auditUrlDetail ?? 'origin',
      messages: policy.messages ?? {},
    },
  };
}
