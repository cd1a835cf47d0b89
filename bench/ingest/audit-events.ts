import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { AuditEvent } from '../../core/audit/types.ts';

const KINDS = [
  {
    kind: 'navigation',
    action: 'navigate',
    level: 'BLOCK',
    outcome: 'blocked',
    ruleId: 'games.example',
  },
  { kind: 'clipboard', action: 'copy', level: 'BLOCK', outcome: 'blocked', ruleId: 'corp-copy' },
  {
    kind: 'download',
    action: 'download',
    level: 'WARN',
    outcome: 'proceeded',
    ruleId: 'files-download',
  },
  { kind: 'upload', action: 'upload', level: 'REPORT', outcome: 'allowed', ruleId: 'share-upload' },
] as const;

/** How event ids are made: time-ordered UUIDv7 as the extension sends them, or random v4 (older extensions). */
export type IdKind = 'v4' | 'v7';

/** Events as the extension sends them: origin-level URLs, rule ids, fresh UUIDs. */
export function auditEvents(n: number, seed = 0, ids: IdKind = 'v7'): AuditEvent[] {
  const now = new Date().toISOString();
  const id = ids === 'v7' ? uuidv7 : randomUUID;
  return Array.from({ length: n }, (_, i) => {
    const k = KINDS[(i + seed) % KINDS.length]!;
    return {
      id: id(),
      time: now,
      kind: k.kind,
      level: k.level,
      outcome: k.outcome,
      action: k.action,
      url: `https://site-${(i * 7 + seed) % 500}.example`,
      ruleId: k.ruleId,
      ruleName: `Rule ${k.ruleId}`,
      policyVersion: 3,
    };
  });
}
