import type { PolicyPayload } from '../../../core/policy/policy-payload.ts';
import { meApi } from '../api/me-api.ts';
import { useCachedResource, type CachedResource } from '../components/use-cached-resource.ts';
import { verifyMyPolicy } from '../lib/verify-my-policy.ts';

/** The signed-in person's effective policy, verified, from the server or this browser's cache. */
export function useMyPolicy(): CachedResource<PolicyPayload> {
  return useCachedResource(
    'policy',
    async () => {
      const { envelope, version } = await meApi.policy();
      return { envelope, version };
    },
    verifyMyPolicy,
  );
}
