import type { PolicyDocument } from '../../../core/policy/types.ts';
import { query, request } from './request.ts';
import type {
  AccessDecision,
  AccessRequest,
  Device,
  Diagnostic,
  DiffEntry,
  EnrollmentCode,
  Group,
  Invite,
  Policy,
  PolicyVersion,
  Role,
  RolloutGroup,
  UserRow,
} from './types.ts';

const id = encodeURIComponent;

/** Everything under the admin role: groups, codes, users, policies, devices. */
export const adminApi = {
  accessRequests: (status?: AccessRequest['state']) =>
    request<{ requests: AccessRequest[] }>(
      'GET',
      `/access-requests${status ? `?status=${status}` : ''}`,
    ),
  decideAccess: (requestId: string, body: AccessDecision) =>
    request<{ request: AccessRequest }>('POST', `/access-requests/${id(requestId)}/decision`, body),

  groups: () => request<{ groups: Group[] }>('GET', '/groups'),
  createGroup: (name: string) => request<{ group: Group }>('POST', '/groups', { name }),
  updateGroup: (groupId: string, body: { maxDevicesPerUser: number }) =>
    request<{ group: Group }>('PATCH', `/groups/${id(groupId)}`, body),

  codes: () => request<{ enrollmentCodes: EnrollmentCode[] }>('GET', '/enrollment-codes'),
  /** The only answer that carries the code and its link: the server keeps just a hash. */
  createCode: (body: {
    groupId: string;
    expiresAt?: string;
    maxUses?: number;
    emailDomain?: string;
  }) =>
    request<{ enrollmentCode: EnrollmentCode; link: string }>('POST', '/enrollment-codes', body),
  revokeCode: (codeId: string) =>
    request<unknown>('POST', `/enrollment-codes/${id(codeId)}/revoke`, {}),

  users: () => request<{ users: UserRow[] }>('GET', '/users'),
  /** An employee's invite needs `groupId`; the invite proves the email. */
  invite: (body: { email: string; role: Role; name?: string; groupId?: string }) =>
    request<Invite>('POST', '/users/invite', body),
  /** CSV of name,email,group: a link each, or 400 with `details.problems` and nobody invited. */
  inviteMany: (csv: string) =>
    request<{ invites: Invite[] }>('POST', '/users/invite/bulk', { csv }),
  approveUser: (userId: string) =>
    request<{ user: UserRow }>('POST', `/users/${id(userId)}/approve`, {}),
  rejectUser: (userId: string) => request<{ ok: true }>('POST', `/users/${id(userId)}/reject`, {}),
  updateUser: (userId: string, body: { role?: Role; disabled?: boolean; groupId?: string }) =>
    request<{ user?: UserRow }>('PATCH', `/users/${id(userId)}`, body),

  policies: () => request<{ policies: Policy[] }>('GET', '/policies'),
  policy: (policyId: string) => request<{ policy: Policy }>('GET', `/policies/${id(policyId)}`),
  createPolicy: (document: PolicyDocument) =>
    request<{ policy: Policy }>('POST', '/policies', { document }),
  savePolicy: (policyId: string, document: unknown) =>
    request<{ policy: Policy }>('PUT', `/policies/${id(policyId)}`, { document }),
  validate: (document: unknown) =>
    request<{ diagnostics: Diagnostic[] }>('POST', '/policies/validate', { document }),
  diff: (policyId: string) =>
    request<{ diff: DiffEntry[] }>('GET', `/policies/${id(policyId)}/diff`),
  publish: (policyId: string) =>
    request<{ version: number; diff: DiffEntry[] }>(
      'POST',
      `/policies/${id(policyId)}/publish`,
      {},
    ),
  versions: (policyId: string) =>
    request<{ versions: PolicyVersion[] }>('GET', `/policies/${id(policyId)}/versions`),
  rollout: () => request<{ groups: RolloutGroup[] }>('GET', '/rollout'),

  devices: (filter: { q?: string; status?: string; groupId?: string }) =>
    request<{ devices: Device[] }>('GET', `/devices${query(filter)}`),
  device: (deviceId: string) => request<{ device: Device }>('GET', `/devices/${id(deviceId)}`),
  revokeDevice: (deviceId: string) =>
    request<unknown>('POST', `/devices/${id(deviceId)}/revoke`, {}),
  wipeDevice: (deviceId: string) => request<unknown>('POST', `/devices/${id(deviceId)}/wipe`, {}),
};
