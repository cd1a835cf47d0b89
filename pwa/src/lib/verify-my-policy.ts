import { verifyEnvelope } from '../../../core/crypto/envelope.ts';
import type { Subtle } from '../../../core/crypto/webcrypto.ts';
import { parsePolicyPayload, type PolicyPayload } from '../../../core/policy/policy-payload.ts';
import { ApiError } from '../api/api-error.ts';
import { meApi } from '../api/me-api.ts';
import type { PublicKey } from '../api/types.ts';
import { cacheDb, type CacheValues } from '../storage/db.ts';

/**
 * Verifies the signed effective policy (fresh from the server or out of IndexedDB) against
 * the server's policy key and returns the payload inside it. What the transparency page
 * and app catalog show comes from the signed bytes, never from an unsigned copy.
 *
 * The key is pinned on first use; a `wrong_key` answer refetches it once (the server may
 * have rotated it), which is no weaker than trusting the same server for the envelope.
 */
export async function verifyMyPolicy(stored: CacheValues['policy']): Promise<PolicyPayload> {
  const subtle = crypto.subtle as unknown as Subtle;
  let key = (await cacheDb.get('publicKey'))?.value ?? (await fetchKey());
  let result = await verifyEnvelope(subtle, stored.envelope, key);
  if (!result.ok && result.code === 'wrong_key') {
    key = await fetchKey();
    result = await verifyEnvelope(subtle, stored.envelope, key);
  }
  if (!result.ok) {
    throw new ApiError(
      'policy_unverified',
      `The policy's signature did not verify (${result.message}); it is not shown.`,
    );
  }
  const payload = parsePolicyPayload(result.payload);
  if (!payload)
    throw new ApiError(
      'policy_unverified',
      'The signed policy is not in a format this app understands.',
    );
  return payload;
}

async function fetchKey(): Promise<PublicKey> {
  const key = await meApi.publicKey();
  await cacheDb.put('publicKey', key);
  return key;
}
