/**
 * The shapes of docs/api.md as the PWA sees them. Times are ISO 8601 strings.
 */
import type { StoredAuditEvent } from '../../../core/audit/types.ts';
import type { SignedEnvelope } from '../../../core/crypto/envelope.ts';
import type { JsonWebKey } from '../../../core/crypto/webcrypto.ts';
import type { Diagnostic, EffectivePolicy, PolicyDocument } from '../../../core/policy/types.ts';

export type Role = 'admin' | 'auditor' | 'employee';

export interface User {
  id: string;
  name: string;
  email: string;
  role: Role;
  groupId?: string | null;
  groupName?: string | null;
}

export interface UserRow {
  id: string;
  name: string;
  email: string;
  role: Role;
  groupId?: string | null;
  disabled: boolean;
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
  managed: boolean;
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
}

export interface EnrollmentCode {
  id: string;
  code: string;
  groupId: string;
  groupName?: string;
  expiresAt?: string | null;
  maxUses?: number | null;
  uses: number;
  revoked: boolean;
  createdAt?: string;
  link?: string;
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
