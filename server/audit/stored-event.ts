import type { StoredAuditEvent } from '../../core/audit/types.ts';
import type { AuditRow } from '../store/types.ts';

/**
 * A stored row as the API and the exports return it — every column, `site` and
 * `hashVersion` included — and, without `hash`, exactly what the chain hashes. Absent
 * values are left out rather than null, so the JSON stays small and the hash does not
 * depend on how a database spells "nothing".
 */
export function toStoredEvent(row: Omit<AuditRow, 'hash'> & { hash?: string }): StoredAuditEvent {
  const e: Record<string, unknown> = {
    seq: row.seq,
    id: row.eventId,
    time: row.time,
    kind: row.kind,
    receivedAt: row.receivedAt,
    hashVersion: row.hashVersion,
    prevHash: row.prevHash,
  };
  const optional = {
    level: row.level,
    outcome: row.outcome,
    url: row.url,
    destinationUrl: row.destinationUrl,
    ruleId: row.ruleId,
    ruleName: row.ruleName,
    action: row.action,
    policyVersion: row.policyVersion,
    detail: row.detail === null ? null : (JSON.parse(row.detail) as unknown),
    deviceId: row.deviceId,
    userId: row.userId,
    userEmail: row.userEmail,
    claimedEmail: row.claimedEmail,
    actor: row.actor,
    adminAction: row.adminAction,
    target: row.target,
    site: row.site,
    hash: row.hash,
  };
  for (const [k, v] of Object.entries(optional)) if (v !== null && v !== undefined) e[k] = v;
  return e as unknown as StoredAuditEvent;
}
