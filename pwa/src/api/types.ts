/**
 * The shapes of docs/api.md as the PWA sees them. Times are ISO 8601 strings.
 */
import type { StoredAuditEvent } from '../../../core/audit/types.ts';
import type { DevicePosture } from '../../../core/policy/access/types.ts';
import type { SignedEnvelope } from '../../../core/crypto/envelope.ts';
import type { JsonWebKey } from '../../../core/crypto/webcrypto.ts';
import type { Diagnostic, EffectivePolicy, PolicyDocument } from '../../../core/policy/types.ts';

export type Role = 'admin' | 'auditor' | 'employee';

export interface User {
  id: string;
  name: string;
  email: string;
  /**
   * False for an account a shared enrollment code made, until an admin approves it (an
   * invite proves the email). Absent in a session cached by an older version of the app.
   */
  emailVerified?: boolean;
  role: Role;
  groupId?: string | null;
  groupName?: string | null;
}

export interface UserRow {
  id: string;
  name: string;
  email: string;
  emailVerified: boolean;
  role: Role;
  groupId?: string | null;
  groupName?: string | null;
  disabled: boolean;
  /** Not in the server's answer yet; shown when it is. */
  createdAt?: string;
}

/** A single-use invitation link for one person (`name` is null when none was given). */
export interface Invite {
  email: string;
  name: string | null;
  link: string;
  expiresAt: string;
}

/**
 * One problem of a bulk invite: `line` of the CSV when the CSV itself is wrong, `row`
 * (0-based, among the people) when a person cannot be invited (listed twice, has an account).
 */
export interface InviteProblem {
  line?: number;
  row?: number;
  message: string;
}

export interface Passkey {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt?: string | null;
  backedUp?: boolean;
}

export type DeviceStatus = 'active' | 'revoked' | 'wiped' | 'wipe_pending';

export interface Device {
  id: string;
  name: string;
  userId?: string | null;
  userName?: string | null;
  groupId?: string | null;
  groupName?: string | null;
  platform?: string | null;
  browser?: string | null;
  extensionVersion?: string | null;
  status: DeviceStatus;
  enrolledAt: string;
  lastSeenAt?: string | null;
  appliedVersion?: number | null;
  /** Force-installed by the organisation's browser policy, rather than paired by a person. */
  managed: boolean;
  /**
   * The userEmail a managed browser's configuration names: a claim, never proof. `userId`
   * and `userName` are set only once a signed-in person proves the device is theirs.
   */
  claimedEmail?: string | null;
  /** Admin views only: whether a device key is registered (device proofs possible). */
  hasKey?: boolean;
  /** Admin views only: the latest posture report, with when the server received it. */
  posture?: DevicePosture | null;
  /** Admin views only: set while the device has not reported for the configured minutes. */
  silentSince?: string | null;
  /** Admin views only: when its uninstall URL reported the extension removed. */
  removedAt?: string | null;
}

export interface MyPolicy {
  envelope: SignedEnvelope;
  policy: EffectivePolicy;
  version: number;
}

export interface PublicKey {
  keyId: string;
  alg: 'ES256';
  jwk: JsonWebKey;
}

export interface Group {
  id: string;
  name: string;
  createdAt?: string;
  deviceCount?: number;
  userCount?: number;
  /** How many active devices each person in the group may have (the server's default is 5). */
  maxDevicesPerUser?: number;
}

/**
 * The code is stored hashed: `code` and `link` are set only in the answer that created it;
 * afterwards `hint` (its last characters) tells codes apart.
 */
export interface EnrollmentCode {
  id: string;
  code: string | null;
  hint: string;
  /** Only addresses at this domain may enroll with it; null for any. */
  emailDomain?: string | null;
  groupId: string;
  groupName?: string;
  expiresAt?: string | null;
  maxUses?: number | null;
  uses: number;
  revoked: boolean;
  createdAt?: string;
  link?: string | null;
}

/** A policy as the admin API returns it; the draft document is what the editor changes. */
export interface Policy {
  id: string;
  name?: string;
  document: PolicyDocument;
  /** The latest published version of this policy, if any. */
  liveVersion?: number | null;
  version?: number | null;
  publishedAt?: string | null;
  updatedAt?: string;
  createdAt?: string;
  /** True when the draft differs from the live version. */
  dirty?: boolean;
  hasUnpublishedChanges?: boolean;
}

export interface PolicyVersion {
  version: number;
  publishedAt: string;
  publishedBy?: string;
  document?: PolicyDocument;
}

export interface DiffEntry {
  path: string;
  op: 'add' | 'remove' | 'change';
  before?: unknown;
  after?: unknown;
}

export interface RolloutGroup {
  groupId: string;
  groupName: string;
  version: number | null;
  devices: { total: number; current: number; behind: Device[] };
}

export type { Diagnostic, StoredAuditEvent };

export interface AuditPage {
  events: StoredAuditEvent[];
  nextCursor: string | null;
}

export interface AuditStats {
  overTime: { bucket: string; count: number }[];
  topRules: { ruleId: string; count: number }[];
  topSites: { site: string; count: number }[];
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  firstBroken?: { seq: number; reason: string };
}

/** The filters of the audit search; all optional, all strings as they sit in the URL. */
export interface AuditFilter {
  from?: string;
  to?: string;
  userId?: string;
  deviceId?: string;
  kind?: string;
  ruleId?: string;
  url?: string;
}
