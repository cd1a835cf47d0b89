import { randomUUID } from 'node:crypto';
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

/** Events as the extension sends them: origin-level URLs, rule ids, fresh UUIDs. */
export function auditEvents(n: number, seed = 0): AuditEvent[] {
  const now = new Date().toISOString();
  return Array.from({ length: n }, (_, i) => {
    const k = KINDS[(i + seed) % KINDS.length]!;
    return {
      id: randomUUID(),
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
