import type { AccessRequest } from '../api/types.ts';

/** How an access request's state reads, for admins and employees alike. */
export const ACCESS_STATE: Record<AccessRequest['state'], string> = {
  pending: 'Waiting for an admin',
  approved: 'Approved',
  expired: 'Expired',
  denied: 'Denied',
  revoked: 'Revoked',
};
