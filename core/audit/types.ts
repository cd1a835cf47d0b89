import type { Level } from '../policy/types.ts';

/** What a device reports. Only actions a policy acted on are ever recorded. */
export const DEVICE_EVENT_KINDS = [
  'navigation', // a URL filter or httpsOnly blocked a navigation
  'clipboard', // copy / cut / paste under a data control
  'print',
  'download',
  'upload',
  'policy', // a policy that failed signature verification was refused
] as const;
export type DeviceEventKind = (typeof DEVICE_EVENT_KINDS)[number];

export const OUTCOMES = ['blocked', 'proceeded', 'cancelled', 'allowed'] as const;
/**
 * `blocked`: prevented. `proceeded`: a WARN the user chose to continue past.
 * `cancelled`: a WARN the user backed out of. `allowed`: a REPORT rule let it through.
 */
export type Outcome = (typeof OUTCOMES)[number];

/**
 * What a device's event says: every field but its `id`, in the order the trail stores them
 * (the store keeps the id as `eventId`, first).
 */
export const AUDIT_EVENT_BODY_FIELDS = [
  'time',
  'kind',
  'level',
  'outcome',
  'url',
  'destinationUrl',
  'ruleId',
  'ruleName',
  'action',
  'policyVersion',
  'detail',
] as const satisfies readonly (keyof AuditEvent)[];
/** Every field a device's event may carry; a device cannot add others. */
export const AUDIT_EVENT_FIELDS = ['id', ...AUDIT_EVENT_BODY_FIELDS] as const;

/** An audit event as produced by the extension. */
export interface AuditEvent {
  /** Producer-chosen unique id (UUID); a retried batch carries the same ids. */
  id: string;
  /** ISO 8601 time the action happened on the device. */
  time: string;
  kind: DeviceEventKind;
  level: Exclude<Level, 'ALLOW'>;
  outcome: Outcome;
  /** The page or download URL, reduced to the policy's `auditUrlDetail`; absent for `none`. */
  url?: string;
  /** For clipboard events: where the content went, reduced the same way. */
  destinationUrl?: string;
  /** The deciding URL filter, or the data control's `rule_id`. */
  ruleId?: string;
  ruleName?: string;
  action?: 'copy' | 'cut' | 'paste' | 'print' | 'download' | 'upload' | 'navigate';
  policyVersion?: number;
  /** Extra non-personal detail, e.g. `{ reason: 'bad_signature' }`. */
  detail?: Record<string, string | number | boolean>;
}

/** An event as the server stores it: the device's event plus who, when and the chain. */
export interface StoredAuditEvent extends Omit<AuditEvent, 'kind' | 'level' | 'outcome'> {
  seq: number;
  /** `access`: the OpenID Provider let someone into an app, or refused (server-written). */
  kind: DeviceEventKind | 'admin' | 'access';
  level?: Exclude<Level, 'ALLOW'>;
  outcome?: Outcome;
  receivedAt: string;
  deviceId?: string;
  userId?: string;
  userEmail?: string;
  /** The email a managed browser's configuration claims (unproven; see `userEmail`). */
  claimedEmail?: string;
  /** Admin events: who did what to what. */
  actor?: string;
  adminAction?: string;
  target?: string;
  /** Host of `url`, derived by the server (feeds the charts). */
  site?: string;
  /** How `hash` was computed: 1 (rows stored before RFC 8785 hashing) or 2. */
  hashVersion: number;
  prevHash: string;
  hash: string;
}
