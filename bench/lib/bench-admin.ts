import type { PolicyDocument } from '../../core/policy/types.ts';
import { ApiClient } from '../../test/helpers/api-client.ts';
import { createGroupWithCode } from '../../test/helpers/enrollment-code.ts';
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
  const { groupId, code } = await createGroupWithCode(admin, 'bench', opts);
  const { policy } = await admin.json<{ policy: { id: string } }>('POST', '/api/v1/policies', {
    document: draft,
  });
  return { admin, groupId, enrollmentCode: code, policyId: policy.id };
}
