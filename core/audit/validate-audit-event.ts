import { LEVELS } from '../policy/types.ts';
import { AUDIT_EVENT_FIELDS, type AuditEvent, DEVICE_EVENT_KINDS, OUTCOMES } from './types.ts';

const KEYS: ReadonlySet<string> = new Set(AUDIT_EVENT_FIELDS);
const ACTIONS = ['copy', 'cut', 'paste', 'print', 'download', 'upload', 'navigate'];
const ID = /^[A-Za-z0-9_-]{8,64}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;

export type AuditEventResult = { ok: true; event: AuditEvent } | { ok: false; message: string };

/**
 * Validates one event from a device. Events cross a trust boundary (a device may be
 * compromised), so every field is checked and unknown fields are refused: a device cannot
 * smuggle extra data into the trail.
 */
export function validateAuditEvent(input: unknown): AuditEventResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return fail('must be an object');
  }
  const e = input as Record<string, unknown>;
  for (const key of Object.keys(e)) if (!KEYS.has(key)) return fail(`unknown field "${key}"`);
  if (typeof e.id !== 'string' || !ID.test(e.id)) {
    return fail('id must be 8–64 characters of letters, digits, "-" or "_" (a UUID)');
  }
  if (typeof e.time !== 'string' || !ISO.test(e.time) || Number.isNaN(Date.parse(e.time))) {
    return fail('time must be an ISO 8601 date-time such as 2026-01-31T12:00:00.000Z');
  }
  if (!DEVICE_EVENT_KINDS.includes(e.kind as never)) {
    return fail(`kind must be one of ${DEVICE_EVENT_KINDS.join(', ')}`);
  }
  if (e.level === 'ALLOW' || !LEVELS.includes(e.level as never)) {
    return fail('level must be BLOCK, WARN or REPORT');
  }
  if (!OUTCOMES.includes(e.outcome as never))
    return fail(`outcome must be one of ${OUTCOMES.join(', ')}`);
  for (const key of ['url', 'destinationUrl'] as const) {
    const v = e[key];
    if (v !== undefined && (typeof v !== 'string' || v.length > 4096)) {
      return fail(`${key} must be a string of at most 4096 characters`);
    }
  }
  for (const key of ['ruleId', 'ruleName'] as const) {
    const v = e[key];
    if (v !== undefined && (typeof v !== 'string' || v.length > 2048)) {
      return fail(`${key} must be a string of at most 2048 characters`);
    }
  }
  if (e.action !== undefined && !ACTIONS.includes(e.action as string)) {
    return fail(`action must be one of ${ACTIONS.join(', ')}`);
  }
  if (
    e.policyVersion !== undefined &&
    (!Number.isSafeInteger(e.policyVersion) || (e.policyVersion as number) < 0)
  ) {
    return fail('policyVersion must be a non-negative integer');
  }
  if (e.detail !== undefined) {
    const problem = checkDetail(e.detail);
    if (problem) return fail(problem);
  }
  return { ok: true, event: e as unknown as AuditEvent };
}

function checkDetail(detail: unknown): string | null {
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
    return 'detail must be an object of short strings, numbers or booleans';
  }
  const entries = Object.entries(detail);
  if (entries.length > 16) return 'detail may hold at most 16 fields';
  for (const [k, v] of entries) {
    if (k.length > 64) return 'detail keys must be at most 64 characters';
    const okType =
      typeof v === 'number' || typeof v === 'boolean' || (typeof v === 'string' && v.length <= 512);
    if (!okType)
      return `detail.${k} must be a number, a boolean or a string of at most 512 characters`;
  }
  return null;
}

function fail(message: string): AuditEventResult {
  return { ok: false, message };
}
