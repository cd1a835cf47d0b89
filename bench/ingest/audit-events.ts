import { randomBytes, randomUUID } from 'node:crypto';
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

/** How event ids are made: random UUIDv4 as the extension does now, or time-ordered UUIDv7. */
export type IdKind = 'v4' | 'v7';

/** A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. */
function uuidV7(): string {
  const b = randomBytes(16);
  b.writeUIntBE(Date.now(), 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Events as the extension sends them: origin-level URLs, rule ids, fresh UUIDs. */
export function auditEvents(n: number, seed = 0, ids: IdKind = 'v4'): AuditEvent[] {
  const now = new Date().toISOString();
  const id = ids === 'v7' ? uuidV7 : randomUUID;
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
