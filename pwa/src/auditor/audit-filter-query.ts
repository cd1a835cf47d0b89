import type { AuditFilter } from '../api/types.ts';

export const FILTER_KEYS = ['from', 'to', 'userId', 'deviceId', 'kind', 'ruleId', 'url'] as const;

/** The audit filter lives in the address (`/audit?kind=navigation&from=…`): shareable, survives reload. */
export function filterFromQuery(q: URLSearchParams): AuditFilter {
  const f: AuditFilter = {};
  for (const k of FILTER_KEYS) {
    const v = q.get(k);
    if (v) f[k] = v;
  }
  return f;
}

export function filterToQuery(f: AuditFilter): string {
  const q = new URLSearchParams();
  for (const k of FILTER_KEYS) {
    const v = f[k]?.trim();
    if (v) q.set(k, v);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}
