/**
 * The shapes of the API as the PWA sees them: inferred from contract/, so a field renamed
 * on the server breaks this compile. Times are ISO 8601 strings.
 */
import type { z } from 'zod';
import type { queries } from '../../../contract/requests.ts';
import type * as c from '../../../contract/responses.ts';
import type { BodyOf } from '../../../contract/routes.ts';
import type { StoredAuditEvent } from '../../../core/audit/types.ts';
import type { Diagnostic } from '../../../core/policy/types.ts';

type Out<S extends z.ZodType> = z.output<S>;

export type Role = Out<typeof c.role>;
/**
 * The signed-in person (GET /auth/me). `emailVerified` is optional only because a session
 * cached by an older version of the app lacks it; the server always sends it.
 */
export type User = Omit<Out<typeof c.sessionUser>, 'emailVerified'> &
  Partial<Pick<Out<typeof c.sessionUser>, 'emailVerified'>>;
/** A person as the admin's user list shows them. */
export type UserRow = Out<typeof c.user>;
/** A single-use invitation link for one person (`name` is null when none was given). */
export type Invite = Out<typeof c.invite>;

/**
 * One problem of a bulk invite (the 400's `details.problems`, not a success answer): `line`
 * of the CSV when the CSV itself is wrong, `row` (0-based, among the people) when a person
 * cannot be invited (listed twice, has an account).
 */
export interface InviteProblem {
  line?: number;
  row?: number;
  message: string;
}

export type Passkey = Out<typeof c.passkey>;
export type DeviceStatus = Out<typeof c.deviceStatus>;
type AdminDevice = Out<typeof c.adminDevice>;
/** A device; the admin's views add its key, posture and presence. */
export type Device = Out<typeof c.device> &
  Partial<Pick<AdminDevice, 'hasKey' | 'posture' | 'silentSince' | 'removedAt'>>;
export type MyPolicy = Out<typeof c.responses.myPolicy>;
export type PublicKey = Out<typeof c.publicKey>;
export type Group = Out<typeof c.group>;
/**
 * The code is stored hashed: `code` and `link` are set only in the answer that created it;
 * afterwards `hint` (its last characters) tells codes apart.
 */
export type EnrollmentCode = Out<typeof c.enrollmentCode>;
/** A policy as the admin API returns it; the draft document is what the editor changes. */
export type Policy = Out<typeof c.policy>;
export type PolicyVersion = Out<typeof c.policyVersion>;
export type DiffEntry = Out<typeof c.diffEntry>;
export type RolloutGroup = Out<typeof c.rolloutGroup>;

export type { Diagnostic, StoredAuditEvent };

export type AuditPage = Out<typeof c.auditPage>;
export type AuditStats = Out<typeof c.auditStats>;
export type ChainVerification = Out<typeof c.chainVerification>;

/** The filters of the audit search; all optional, all strings as they sit in the URL. */
export type AuditFilter = Omit<z.input<typeof queries.audit>, 'cursor' | 'limit'>;

/** An access request from a blocked page (docs/access-requests.md). */
export type AccessRequest = Out<typeof c.accessRequest>;
export type AccessDecision = BodyOf<'POST /api/v1/access-requests/:id/decision'>;
