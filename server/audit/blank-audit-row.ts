import type { NewAuditRow } from '../store/types.ts';
import { CHAIN_VERSION } from './hash-chain.ts';

/**
 * A new row's optional columns, all empty, at the current chain version: what the server
 * writes spreads it and sets what its event says.
 */
export const BLANK_AUDIT_ROW: Omit<NewAuditRow, 'eventId' | 'time' | 'kind' | 'receivedAt'> = {
  level: null,
  outcome: null,
  url: null,
  destinationUrl: null,
  ruleId: null,
  ruleName: null,
  action: null,
  policyVersion: null,
  detail: null,
  deviceId: null,
  userId: null,
  userEmail: null,
  claimedEmail: null,
  actor: null,
  adminAction: null,
  target: null,
  site: null,
  hashVersion: CHAIN_VERSION,
};
