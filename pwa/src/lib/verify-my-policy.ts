import { verifyEnvelope } from '../../../core/crypto/envelope.ts';
import type { Subtle } from '../../../core/crypto/webcrypto.ts';
import { parsePolicyPayload, type PolicyPayload } from '../../../core/policy/policy-payload.ts';
import { ApiError } from '../api/api-error.ts';
import { authApi } from '../api/auth-api.ts';
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
 *
 * Like the extension (docs/device-trust.md), it shows a policy only if it names the
 * person's own group — another group's envelope is just as validly signed — and never one
 * older than the one already cached for that group.
 */
export async function verifyMyPolicy(stored: CacheValues['policy']): Promise<PolicyPayload> {
  const payload = await verifiedPayload(stored);
  await checkGroup(payload);
  const cached = (await cacheDb.get('policy'))?.value;
  if (cached && cached.envelope.signature !== stored.envelope.signature) {
    const previous = await verifiedPayload(cached).catch(() => null);
    if (previous && previous.groupId === payload.groupId && previous.version > payload.version) {
      throw new ApiError(
        'policy_unverified',
        `This policy (version ${payload.version}) is older than the one already shown (version ${previous.version}); it is not shown.`,
      );
    }
  }
  return payload;
}

async function verifiedPayload(stored: CacheValues['policy']): Promise<PolicyPayload> {
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

/**
 * The group comes from the person's signed-in session (`/auth/me`), cached; a mismatch
 * asks the server once more, since an admin may have just moved them.
 */
async function checkGroup(payload: PolicyPayload): Promise<void> {
  let groupId = (await cacheDb.get('me'))?.value.groupId;
  if (groupId !== payload.groupId) {
    const fresh = await authApi.me().catch(() => null);
    if (fresh) {
      await cacheDb.put('me', fresh.user);
      groupId = fresh.user.groupId;
    }
  }
  if (groupId !== payload.groupId) {
    throw new ApiError(
      'policy_unverified',
      'This signed policy is for another group than yours; it is not shown.',
    );
  }
}

async function fetchKey(): Promise<PublicKey> {
  const key = await meApi.publicKey();
  await cacheDb.put('publicKey', key);
  return key;
}
