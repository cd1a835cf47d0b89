import type { ApiClient } from './api-client.ts';

/** A new enrollment code for `groupId`, made by `admin` (`POST /api/v1/enrollment-codes`). */
export async function createEnrollmentCode(
  admin: ApiClient,
  groupId: string,
  opts: { maxUses?: number } = {},
): Promise<string> {
  const { enrollmentCode } = await admin.json<{ enrollmentCode: { code: string } }>(
    'POST',
    '/api/v1/enrollment-codes',
    { groupId, ...opts },
  );
  return enrollmentCode.code;
}

/** A new group named `name` and an enrollment code for it, made by `admin`. */
export async function createGroupWithCode(
  admin: ApiClient,
  name: string,
  opts: { maxUses?: number } = {},
): Promise<{ groupId: string; code: string }> {
  const { group } = await admin.json<{ group: { id: string } }>('POST', '/api/v1/groups', {
    name,
  });
  return { groupId: group.id, code: await createEnrollmentCode(admin, group.id, opts) };
}
