import type { AuditEvent } from '../../../core/audit/types.ts';

/** A blocked print event with the id `event-0001` for 1 and so on: order shows in the ids. */
export const numberedEvent = (i: number): AuditEvent => ({
  id: `event-${String(i).padStart(4, '0')}`,
  time: new Date(0).toISOString(),
  kind: 'print',
  level: 'BLOCK',
  outcome: 'blocked',
});
