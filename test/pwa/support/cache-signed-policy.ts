import { generateSigningKeyPair, signEnvelope } from '../../../core/crypto/envelope.ts';
import type { Subtle } from '../../../core/crypto/webcrypto.ts';
import type { PolicyPayload } from '../../../core/policy/policy-payload.ts';
import type { CacheStore } from './memory-cache-db.ts';

/**
 * Fills the PWA's cache as a signed-in employee of group g1 (Sam) leaves it: the server's
 * public key, the signed policy envelope of `version` and the session. `policy` is laid over
 * an empty effective policy named Sales. Returns the payload that was signed.
 */
export async function cacheSignedPolicy(
  store: CacheStore,
  opts: {
    version: number;
    issuedAt: string;
    /** When the cache was written. */
    at: string;
    policy: Partial<PolicyPayload['policy']>;
  },
): Promise<PolicyPayload> {
  const subtle = globalThis.crypto.subtle as unknown as Subtle;
  const keys = await generateSigningKeyPair(subtle);
  const payload: PolicyPayload = {
    v: 1,
    version: opts.version,
    issuedAt: opts.issuedAt,
    groupId: 'g1',
    groupName: 'Sales',
    policy: {
      name: 'Sales',
      sources: ['Baseline'],
      urlBlocklist: [],
      urlAllowlist: [],
      dataControls: [],
      httpsOnly: { hosts: [], mode: 'upgrade' },
      apps: [],
      auditUrlDetail: 'origin',
      messages: {},
      ...opts.policy,
    },
  };
  const envelope = await signEnvelope(subtle, JSON.stringify(payload), keys.keyId, keys.privateJwk);
  const at = opts.at;
  store.set('publicKey', {
    key: 'publicKey',
    value: { keyId: keys.keyId, alg: 'ES256', jwk: keys.publicJwk },
    updatedAt: at,
  });
  store.set('policy', { key: 'policy', value: { envelope, version: opts.version }, updatedAt: at });
  store.set('me', {
    key: 'me',
    value: { id: 'u1', name: 'Sam', email: 'sam@corp.test', role: 'employee', groupId: 'g1' },
    updatedAt: at,
  });
  return payload;
}
