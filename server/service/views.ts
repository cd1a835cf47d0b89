import type { PolicyDocument } from '../../core/policy/types.ts';
import type {
  OidcSigninRow,
  AccessRequestView,
  DeviceView,
  EnrollmentCodeView,
  GroupView,
  PasskeyRow,
  PolicyRow,
  PolicyVersionRow,
  UserView,
} from '../store/types.ts';
import { canonicalJson } from '../util/canonical-json.ts';

/** Store rows → the JSON shapes of docs/api.md. Nothing secret ever leaves through here. */

export const sessionUserJson = (u: UserView) => ({
  id: u.id,
  name: u.name,
  email: u.email,
  emailVerified: u.emailVerified,
  role: u.role,
  groupId: u.groupId,
  groupName: u.groupName,
});

export const userJson = (u: UserView) => ({
  ...sessionUserJson(u),
  disabled: u.disabled,
  emailVerified: u.emailVerified,
  createdAt: u.createdAt,
});

export const grantUserJson = (u: Pick<UserView, 'id' | 'name' | 'email'>) => ({
  id: u.id,
  name: u.name,
  email: u.email,
});

export const passkeyJson = (p: PasskeyRow) => ({
  id: p.id,
  name: p.name,
  createdAt: p.createdAt,
  lastUsedAt: p.lastUsedAt,
  backedUp: p.backedUp,
});

export const deviceJson = (d: DeviceView) => ({
  id: d.id,
  name: d.name,
  userId: d.userId,
  userName: d.userName,
  groupId: d.groupId,
  groupName: d.groupName,
  platform: d.platform,
  browser: d.browser,
  extensionVersion: d.extensionVersion,
  status: d.status,
  enrolledAt: d.enrolledAt,
  lastSeenAt: d.lastSeenAt,
  appliedVersion: d.appliedVersion,
  managed: d.managed,
  claimedEmail: d.claimedEmail,
});

export const groupJson = (g: GroupView) => ({
  id: g.id,
  name: g.name,
  createdAt: g.createdAt,
  userCount: g.userCount,
  deviceCount: g.deviceCount,
  maxDevicesPerUser: g.maxDevicesPerUser,
});

/**
 * An enrollment code as the console lists it. The code itself is stored only hashed, so it
 * (and its link) is in the JSON only right after creation; later the hint tells codes apart.
 */
export const enrollmentCodeJson = (c: EnrollmentCodeView & { code?: string }, origin: string) => ({
  id: c.id,
  code: c.code ?? null,
  hint: c.codeHint,
  emailDomain: c.emailDomain,
  groupId: c.groupId,
  groupName: c.groupName,
  expiresAt: c.expiresAt,
  maxUses: c.maxUses,
  uses: c.uses,
  revoked: c.revoked,
  createdAt: c.createdAt,
  link: c.code ? enrollmentLink(origin, c.code) : null,
});

export const enrollmentLink = (origin: string, code: string) =>
  `${origin}/enroll#${encodeURIComponent(code)}`;

/** A policy with its draft; `dirty` when the draft differs from the live version. */
export function policyJson(p: PolicyRow, live: PolicyDocument | null) {
  const dirty = live === null || canonicalJson(live) !== canonicalJson(p.document);
  return {
    id: p.id,
    name: p.name,
    document: p.document,
    liveVersion: p.liveVersion,
    publishedAt: p.publishedAt,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    dirty,
    hasUnpublishedChanges: dirty,
  };
}

export const policyVersionJson = (v: PolicyVersionRow) => ({
  version: v.version,
  publishedAt: v.publishedAt,
  publishedBy: v.publishedBy,
  document: v.document,
});

/**
 * An access request as the admin console, the employee and the device see it; `state` is
 * `expired` for an approval whose time is up (the device has dropped it by then too).
 */
export const accessRequestJson = (r: AccessRequestView, nowMs: number) => ({
  id: r.id,
  state:
    r.status === 'approved' && r.expiresAt !== null && Date.parse(r.expiresAt) <= nowMs
      ? ('expired' as const)
      : r.status,
  url: r.url,
  blockFilter: r.blockFilter,
  filter: r.filter,
  reason: r.reason,
  scope: r.scope,
  expiresAt: r.expiresAt,
  createdAt: r.createdAt,
  decidedAt: r.decidedAt,
  decidedBy: r.decidedBy,
  note: r.note,
  device: { id: r.deviceId, name: r.deviceName },
  user: r.userId ? { id: r.userId, name: r.userName, email: r.userEmail } : null,
});

/** One sign-in to an app, as the admin console lists it. */
export function signinJson(r: OidcSigninRow) {
  return {
    grantId: r.grantId,
    userId: r.userId,
    deviceId: r.deviceId,
    trust: r.trust,
    clientAddress: r.clientAddress,
    createdAt: r.createdAt,
    endedAt: r.endedAt,
    endReason: r.endReason,
  };
}
