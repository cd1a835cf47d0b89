import type { AlertType } from '../../contract/alert-types.ts';
import type { PolicyDocument } from '../../core/policy/types.ts';

/**
 * The rows the store reads and writes. Times are ISO 8601 UTC strings
 * (`2026-11-28T12:00:00.000Z`), so they compare as text in SQLite and cast in PostgreSQL.
 */
export type Role = 'admin' | 'auditor' | 'employee';
export type DeviceStatus = 'active' | 'revoked' | 'wiped' | 'wipe_pending';

export interface UserRow {
  id: string;
  name: string;
  email: string;
  role: Role;
  groupId: string | null;
  disabled: boolean;
  /** The WebAuthn user handle (base64url), what a discoverable credential returns. */
  webauthnUserId: string;
  /**
   * Whether the email is proven: by an admin's invite for it, or an admin's approval of an
   * account a shared enrollment code created. Nothing is linked by an unverified email.
   */
  emailVerified: boolean;
  createdAt: string;
}

export interface UserView extends UserRow {
  groupName: string | null;
}

export interface PasskeyRow {
  /** The credential id, base64url. */
  id: string;
  userId: string;
  name: string;
  publicKey: Uint8Array;
  counter: number;
  transports: string[];
  deviceType: string;
  backedUp: boolean;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface ChallengeRow {
  challenge: string;
  purpose: string;
  /** JSON the service wrote; the store does not read it. */
  context: string;
  expiresAt: string;
}

export interface SessionRow {
  tokenHash: string;
  userId: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  /** The passkey the session signed in with (null for a session begun by registering one). */
  passkeyId: string | null;
}

export interface InviteRow {
  tokenHash: string;
  kind: 'setup' | 'invite';
  email: string | null;
  role: Role;
  /** For an employee's invite: the name the admin gave and the group they join. */
  name: string | null;
  groupId: string | null;
  createdBy: string | null;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

export interface GroupRow {
  id: string;
  name: string;
  createdAt: string;
  /** How many active devices one user of the group may have. */
  maxDevicesPerUser: number;
}

export interface GroupView extends GroupRow {
  userCount: number;
  deviceCount: number;
}

export interface EnrollmentCodeRow {
  id: string;
  /** SHA-256 of the normalised code (`hashToken`): the code itself is shown once, at creation. */
  codeHash: string;
  /** The code's last four characters, so an admin can tell codes apart in the list. */
  codeHint: string;
  /** When set, accounts created with the code must have an email at this domain. */
  emailDomain: string | null;
  groupId: string;
  createdBy: string | null;
  createdAt: string;
  expiresAt: string | null;
  maxUses: number | null;
  uses: number;
  revoked: boolean;
}

export interface EnrollmentCodeView extends EnrollmentCodeRow {
  groupName: string;
}

export interface DeviceRow {
  id: string;
  name: string;
  userId: string | null;
  groupId: string;
  platform: string;
  browser: string;
  extensionVersion: string | null;
  status: DeviceStatus;
  managed: boolean;
  enrolledAt: string;
  lastSeenAt: string | null;
  appliedVersion: number | null;
  /**
   * The `userEmail` from a managed browser's configuration: what the admin's deployment
   * says, never proof. It links the device to no account; only the user's passkey does.
   */
  claimedEmail: string | null;
}

export interface DeviceView extends DeviceRow {
  userName: string | null;
  userEmail: string | null;
  groupName: string;
}

export interface DeviceFilter {
  q?: string;
  status?: DeviceStatus;
  groupId?: string;
  userId?: string;
}

export interface PairingTokenRow {
  tokenHash: string;
  deviceId: string;
  userId: string;
  expiresAt: string;
}

/** A single-use token with which a signed-in user proves that a browser's device is theirs. */
export interface DeviceClaimRow {
  tokenHash: string;
  userId: string;
  expiresAt: string;
}

export interface PolicyRow {
  id: string;
  name: string;
  document: PolicyDocument;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  liveVersion: number | null;
  publishedAt: string | null;
}

export interface PolicyVersionRow {
  policyId: string;
  version: number;
  document: PolicyDocument;
  publishedAt: string;
  publishedBy: string | null;
}

/** A policy's live (latest published) version, what merging reads. */
export interface LivePolicyRow {
  policyId: string;
  name: string;
  version: number;
  document: PolicyDocument;
  createdAt: string;
}

export interface GroupEnvelopeRow {
  groupId: string;
  version: number;
  /** The signed envelope as JSON text, served as is. */
  envelope: string;
  etag: string;
  updatedAt: string;
}

/**
 * A signed delta from one of a group's envelopes to the next (delta-sync): what a device
 * holding `baseVersion` fetches instead of the full envelope.
 */
export interface GroupDeltaRow {
  groupId: string;
  baseVersion: number;
  /** The ETag of the base envelope, which a device names in If-None-Match. */
  baseEtag: string;
  version: number;
  /** The signed delta envelope as JSON text, served as is. */
  delta: string;
  createdAt: string;
}

/** How many deltas a group keeps: a device further behind gets the full envelope. */
export const GROUP_DELTAS_KEPT = 8;

export interface AuditRow {
  seq: number;
  eventId: string;
  time: string;
  kind: string;
  level: string | null;
  outcome: string | null;
  url: string | null;
  destinationUrl: string | null;
  ruleId: string | null;
  ruleName: string | null;
  action: string | null;
  policyVersion: number | null;
  /** JSON text of the event's `detail`. */
  detail: string | null;
  receivedAt: string;
  deviceId: string | null;
  userId: string | null;
  userEmail: string | null;
  /** A managed device's claimed email (DeviceRow.claimedEmail) at ingest; hashed like the rest. */
  claimedEmail: string | null;
  actor: string | null;
  adminAction: string | null;
  target: string | null;
  /** Host of `url`, derived at ingest for the stats; hashed from chain version 2 on. */
  site: string | null;
  /**
   * How `hash` was computed: 1 — the original scheme (hand-written canonical JSON of the
   * API fields, `site` not covered), rows stored before the upgrade; 2 — RFC 8785 (JCS)
   * over every column (`server/audit/hash-chain.ts`).
   */
  hashVersion: number;
  prevHash: string;
  hash: string;
}

export type NewAuditRow = Omit<AuditRow, 'seq' | 'prevHash' | 'hash'>;

/** The end of the stored chain that new rows link onto: its last row's seq and hash. */
export interface ChainTip {
  seq: number;
  hash: string;
}

/**
 * Links a batch onto the chain (sequence, previous hash, dedupe): pure, given what the
 * store read in the append's transaction — the tip, and which of the batch's event ids
 * are already stored. `server/audit/link-audit-rows.ts` is the one implementation.
 */
export type ChainLink = (batch: {
  rows: NewAuditRow[];
  tip: ChainTip;
  stored: ReadonlySet<string>;
}) => AuditRow[];

export interface AuditFilter {
  from?: string;
  to?: string;
  userId?: string;
  deviceId?: string;
  kind?: string;
  ruleId?: string;
  /** Substring of the URL. */
  url?: string;
}

export interface AuditPageRequest {
  order: 'asc' | 'desc';
  /** Exclusive: rows after (asc) or before (desc) this seq. */
  cursor?: number;
  limit: number;
}

export interface AuditCheckpointRow {
  /** The last pruned seq; the next row's prevHash must equal `hash`. */
  seq: number;
  hash: string;
  prunedAt: string;
  /**
   * The server's ES256 signature over the checkpoint statement (`signed-statement.ts`),
   * so a rewritten checkpoint is detected; null only on a checkpoint written before
   * checkpoints were signed (it is signed at the next start).
   */
  signed: SignedStatementRow | null;
}

/** A signed statement as stored: the envelope's key id, exact payload text and signature. */
export interface SignedStatementRow {
  keyId: string;
  payload: string;
  signature: string;
}

/** A signed chain head: the server's signature over `{ seq, hash, signedAt }`. */
export interface AuditHeadRow {
  seq: number;
  hash: string;
  signedAt: string;
  signed: SignedStatementRow;
}

export interface AuditStatsRow {
  overTime: { bucket: string; count: number }[];
  topRules: { ruleId: string; count: number }[];
  topSites: { site: string; count: number }[];
}

/** The prevHash of the first row of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** An access request's life: asked, then approved (until it expires or is revoked) or denied. */
export type AccessRequestStatus = 'pending' | 'approved' | 'denied' | 'revoked';
/** Whom an approval covers: the requesting user on all their devices, or that device only. */
export type AccessScope = 'user' | 'device';

/** A "Request access" from a blocked page (docs/access-requests.md). */
export interface AccessRequestRow {
  id: string;
  deviceId: string;
  /** The device's user when it asked (null for a managed browser nobody claimed). */
  userId: string | null;
  /** The blocked URL as the device reports it (reduced to the policy's auditUrlDetail). */
  url: string | null;
  /** The block filter that decided, as the admin wrote it. */
  blockFilter: string;
  /** The exact-host allow filter an approval grants (core/exceptions/access-exception.ts). */
  filter: string;
  reason: string;
  status: AccessRequestStatus;
  scope: AccessScope | null;
  /** Approved: when the exception ends (null = until revoked). */
  expiresAt: string | null;
  createdAt: string;
  decidedAt: string | null;
  /** Email of the admin who decided. */
  decidedBy: string | null;
  /** The admin's note (a denial says why). */
  note: string | null;
}

/** A request with the names the admin console shows. */
export interface AccessRequestView extends AccessRequestRow {
  deviceName: string | null;
  userName: string | null;
  userEmail: string | null;
}

export interface AccessRequestFilter {
  status?: AccessRequestStatus;
  deviceId?: string;
  userId?: string;
  limit: number;
}

/** The decision written on a request still in the status `from`. */
export interface AccessDecision {
  status: Exclude<AccessRequestStatus, 'pending'>;
  scope?: AccessScope;
  expiresAt?: string | null;
  decidedAt: string;
  decidedBy: string;
  note?: string | null;
}

/**
 * What proves a device and what it last said about itself (device-key feature): its
 * registered public key, the hash of its uninstall token, the latest posture report and
 * the presence the server derived (silent, removed).
 */
export interface DeviceTrustRow {
  deviceId: string;
  /** The device's ECDSA P-256 public key as JWK text; null once dropped (revoke, wipe, removal). */
  publicKey: string | null;
  keyCreatedAt: string | null;
  /** `hashToken` of the token in the device's uninstall URL; null once used or dropped. */
  uninstallTokenHash: string | null;
  /** JSON text of the last `ReportedPosture`. */
  posture: string | null;
  postureAt: string | null;
  /** Set when the device stopped reporting for longer than the configured minutes. */
  silentSince: string | null;
  /** Set when the uninstall URL was opened: the extension was removed from that browser. */
  removedAt: string | null;
}

// — SIEM streaming and alerts —

export type IntegrationKind = 'syslog' | 'webhook';
/** `cef` only over syslog; `json` is the stored event as the API returns it; `ocsf` see docs/siem.md. */
export type PayloadFormat = 'cef' | 'json' | 'ocsf';

/** Syslog over TCP (RFC 6587 octet counting), optionally TLS. */
export interface SyslogTarget {
  host: string;
  port: number;
  tls: boolean;
  /** PEM of the CA (or certificate) to trust instead of the system store: pins the receiver. */
  caPem: string | null;
  /** RFC 5424 facility, 0–23 (13, "log audit", by default). */
  facility: number;
}

export interface WebhookTarget {
  url: string;
}

/** A destination the audit trail is streamed to. */
export interface IntegrationRow {
  id: string;
  name: string;
  kind: IntegrationKind;
  format: PayloadFormat;
  target: SyslogTarget | WebhookTarget;
  /** The webhook signing secret, sealed by `secret-box.ts` (or plain when no key is configured). */
  secret: string | null;
  /** Every audit event, or only the alerts the alert rules raise. */
  events: 'all' | 'alerts';
  enabled: boolean;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * A reader of the audit trail with its own cursor — a destination (`integration:<id>`) or
 * the alert engine (`alerts`). The row is the durable outbox: everything after `cursorSeq`
 * is still to deliver. The lease says which instance delivers, and until when.
 */
export interface ConsumerRow {
  name: string;
  /** The last audit seq delivered (acknowledged by the receiver). */
  cursorSeq: number;
  leaseOwner: string | null;
  leaseUntil: string | null;
  /** Failed attempts since the last success (the backoff exponent). */
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  lastDeliveredAt: string | null;
  /** Events delivered in all. */
  delivered: number;
}

export interface IntegrationView extends IntegrationRow {
  state: ConsumerRow;
}

export type { AlertType };

export interface AlertRuleRow {
  id: string;
  name: string;
  type: AlertType;
  /** rule_blocks: this many blocks… */
  threshold: number | null;
  /** …within this many minutes (also the quiet period before it fires again for that user). */
  windowMinutes: number | null;
  /** rule_blocks: only this policy rule (null: any rule). */
  policyRuleId: string | null;
  enabled: boolean;
  createdBy: string | null;
  createdAt: string;
}

/** An alert that fired; its id is also the id of the audit event that carries it. */
export interface AlertRow {
  id: string;
  alertRuleId: string;
  ruleName: string;
  type: AlertType;
  /** Who or what it is about: a device id, `user|rule`, a seq. */
  subject: string;
  summary: string;
  firedAt: string;
}

// — OpenID Provider (conditional access) —

/** One of oidc-provider's persistent models (session, grant, code, token, interaction…). */
export interface OidcModelRow {
  /** oidc-provider's model name: `Session`, `Grant`, `AccessToken`, `Interaction`… */
  model: string;
  id: string;
  /** The model's payload as JSON text, as oidc-provider hands it over. */
  payload: string;
  grantId: string | null;
  uid: string | null;
  userCode: string | null;
  expiresAt: string | null;
  consumedAt: string | null;
}

/** An app registered as an OpenID Connect client. */
export interface OidcClientRow {
  id: string;
  name: string;
  redirectUris: string[];
  /** The app family (`apps[].id` in the policy) whose access rule applies. */
  appId: string;
  backchannelLogoutUri: string | null;
  /** SHA-256 (hex) of the client secret, which is shown once and never stored. */
  secretHash: string;
  createdAt: string;
}

/** An ES256 key the provider signs ID tokens with; retired keys stay for verification. */
export interface OidcKeyRow {
  kid: string;
  /** The private JWK as JSON text. */
  privateJwk: string;
  createdAt: string;
  /** When a newer key replaced it; null for the signing key. */
  retiredAt: string | null;
}

/** One sign-in to an app: the grant, with the device that proved itself and how it ended. */
export interface OidcSigninRow {
  grantId: string;
  clientId: string;
  userId: string;
  deviceId: string | null;
  trust: 'managed' | 'enrolled' | 'none';
  appId: string;
  /** oidc-provider's session uid (the `sid` sent in logout tokens). */
  sessionUid: string | null;
  /** The `sid` of the app's ID token, which its logout token names. */
  sid: string | null;
  clientAddress: string;
  /** The posture reported with the proof, JSON text. */
  posture: string | null;
  createdAt: string;
  endedAt: string | null;
  endReason: string | null;
}

export interface OidcSigninFilter {
  clientId?: string;
  userId?: string;
  deviceId?: string;
  /** Only sign-ins that have not ended. */
  live?: boolean;
  limit: number;
}

/** Where new rows link on: the last stored row, else the prune checkpoint, else genesis. */
export function chainTip(
  last: ChainTip | null | undefined,
  checkpoint: ChainTip | null | undefined,
): ChainTip {
  return last ?? checkpoint ?? { seq: 0, hash: GENESIS_HASH };
}
