import { API_BASE, query, request } from './request.ts';
import type { AuditFilter, AuditPage, AuditStats, ChainVerification } from './types.ts';

/** The auditor's view of the audit trail. */
export const auditApi = {
  search: (filter: AuditFilter, cursor?: string | null, limit = 50) =>
    request<AuditPage>('GET', `/audit${query({ ...filter, cursor, limit })}`),
  stats: (range: { from?: string; to?: string }) =>
    request<AuditStats>('GET', `/audit/stats${query(range)}`),
  verify: () => request<ChainVerification>('GET', '/audit/verify'),
  /** A link, not a fetch: the browser streams the download with the session cookie. */
  exportUrl: (filter: AuditFilter, format: 'csv' | 'ndjson') =>
    `${API_BASE}/audit/export${query({ ...filter, format })}`,
};
