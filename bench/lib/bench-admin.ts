import type { PolicyDocument } from '../../core/policy/types.ts';
import { ApiClient } from '../../test/helpers/api-client.ts';
import { registerWithLink } from '../../test/helpers/passkey-flows.ts';
import { SoftAuthenticator } from '../../test/helpers/soft-authenticator.ts';

/** What every benchmark's server starts with: an admin, a group, its code, a draft policy. */
export interface BenchAdmin {
  /** The first admin, registered through the passkey flow. */
  admin: ApiClient;
  groupId: string;
  enrollmentCode: string;
  /** The policy created as a draft (not yet published). */
  policyId: string;
}

/**
 * Registers the first admin with the server's setup link, then creates the group "bench",
 * an enrollment code for it (`maxUses` when given) and `draft` as a policy.
 */
export async function setUpBenchAdmin(
  origin: string,
  setupLink: string,
  draft: PolicyDocument,
  opts: { maxUses?: number } = {},
): Promise<BenchAdmin> {
  const admin = new ApiClient(origin);
  await registerWithLink(admin, setupLink, new SoftAuthenticator(), {
    name: 'Bench Admin',
    email: 'admin@bench.test',
  });
  const { group } = await admin.json<{ group: { id: string } }>('POST', '/api/v1/groups', {
    name: 'bench',
  });
  const { enrollmentCode } = await admin.json<{ enrollmentCode: { code: string } }>(
    'POST',
    '/api/v1/enrollment-codes',
    { groupId: group.id, ...(opts.maxUses ? { maxUses: opts.maxUses } : {}) },
  );
  const { policy } = await admin.json<{ policy: { id: string } }>('POST', '/api/v1/policies', {
    document: draft,
  });
  return { admin, groupId: group.id, enrollmentCode: enrollmentCode.code, policyId: policy.id };
}
