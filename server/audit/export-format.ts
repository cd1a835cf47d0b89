import type { StoredAuditEvent } from '../../core/audit/types.ts';
import type { SignedStatementRow } from '../store/types.ts';

/** CSV columns, in order. `detail` is written as JSON. */
export const CSV_COLUMNS = [
  'seq',
  'id',
  'time',
  'receivedAt',
  'kind',
  'level',
  'outcome',
  'action',
  'url',
  'destinationUrl',
  'ruleId',
  'ruleName',
  'policyVersion',
  'deviceId',
  'userId',
  'userEmail',
  'claimedEmail',
  'actor',
  'adminAction',
  'target',
  'site',
  'detail',
  'hashVersion',
  'prevHash',
  'hash',
] as const;

export const CSV_HEADER = CSV_COLUMNS.join(',') + '\r\n';

/**
 * One CSV record (RFC 4180: fields with a comma, quote or line break are quoted, quotes
 * doubled; records end with CRLF). Text that a spreadsheet would run as a formula
 * (leading `=`, `+`, `-`, `@`, tab or CR) gets a leading `'` — an export must not be a
 * way to run code on the auditor's machine (OWASP "CSV injection").
 */
export function csvRow(e: StoredAuditEvent): string {
  const record = e as unknown as Record<string, unknown>;
  return CSV_COLUMNS.map((col) => csvField(record[col])).join(',') + '\r\n';
}

export function csvField(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let s = typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function ndjsonRow(e: StoredAuditEvent): string {
  return JSON.stringify(e) + '\n';
}

/**
 * A framing line of a whole-trail NDJSON export: `{"signedCheckpoint": envelope}` first
 * (when rows were pruned) and `{"signedHead": envelope}` last — the ES256 envelopes
 * (`{ alg, keyId, payload, signature }`) that `palisade audit verify` checks. Event lines
 * never have these members.
 */
export function ndjsonSigned(
  name: 'signedCheckpoint' | 'signedHead',
  signed: SignedStatementRow,
): string {
  return JSON.stringify({ [name]: { alg: 'ES256', ...signed } }) + '\n';
}
