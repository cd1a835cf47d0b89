import { z } from 'zod';
import type { StoredAuditEvent } from '../core/audit/types.ts';
import type { JsonWebKey } from '../core/crypto/webcrypto.ts';
import type { EffectivePolicy, PolicyDocument } from '../core/policy/types.ts';
import { ALERT_TYPES } from './siem.ts';

/**
 * The JSON the server answers, as docs/api.md describes it. Objects are open (extra fields
 * pass) so that an addition is not a break; a field missing or of the wrong type is.
 * Times are ISO 8601 strings.
 */

const id = z.string();
const time = z.string();
const ok = z.object({ ok: z.literal(true) });
export const role = z.enum(['admin', 'auditor', 'employee']);

/**
 * A value whose type core/ already declares: typed as core's, checked by `shape` (the fields
 * that matter), shown in the OpenAPI document as `shape`'s schema.
 */
function typed<T>(shape: z.ZodType) {
  const { $schema: _dialect, ...json } = z.toJSONSchema(shape);
  return z.custom<T>((v) => shape.safeParse(v).success).meta(json);
}

export const sessionUser = z.object({
  id,
  name: z.string(),
  email: z.string(),
  /**
   * False for an account a shared enrollment code made, until an admin approves it (an
   * invite proves the email).
   */
  emailVerified: z.boolean(),
  role,
  groupId: z.string().nullable(),
  groupName: z.string().nullable(),
});

export const user = sessionUser.extend({ disabled: z.boolean(), createdAt: time });

/** The person a device belongs to, as a device sees them. */
export const grantUser = z.object({ id, name: z.string(), email: z.string() });

export const passkey = z.object({
  id,
  name: z.string(),
  createdAt: time,
  lastUsedAt: time.nullable(),
  backedUp: z.boolean(),
});

export const deviceStatus = z.enum(['active', 'revoked', 'wiped', 'wipe_pending']);

export const devicePosture = z.object({
  browser: z.string(),
  browserVersion: z.string(),
  os: z.string(),
  extensionVersion: z.string(),
  installType: z.enum(['admin', 'development', 'normal', 'sideload', 'other']),
  incognitoAllowed: z.boolean(),
  policyVersion: z.number().nullable(),
  policySince: time.nullable(),
  rulesInPlace: z.boolean(),
  reportedAt: time,
});

export const device = z.object({
  id,
  name: z.string(),
  userId: z.string().nullable(),
  userName: z.string().nullable(),
  groupId: z.string().nullable(),
  groupName: z.string().nullable(),
  platform: z.string().nullable(),
  browser: z.string().nullable(),
  extensionVersion: z.string().nullable(),
  status: deviceStatus,
  enrolledAt: time,
  lastSeenAt: time.nullable(),
  appliedVersion: z.number().nullable(),
  /** Force-installed by the organisation's browser policy, rather than paired by a person. */
  managed: z.boolean(),
  /** The userEmail a managed browser's configuration names: a claim, never proof. */
  claimedEmail: z.string().nullable(),
});

/** The admin's view of a device: its key, its latest posture and its presence. */
export const adminDevice = device.extend({
  hasKey: z.boolean(),
  posture: devicePosture.nullable(),
  /** Set while the device has not reported for the configured minutes. */
  silentSince: time.nullable(),
  /** When its uninstall URL reported the extension removed. */
  removedAt: time.nullable(),
});

export const group = z.object({
  id,
  name: z.string(),
  createdAt: time,
  userCount: z.number(),
  deviceCount: z.number(),
  /** How many active devices each person in the group may have. */
  maxDevicesPerUser: z.number(),
});

/**
 * The code is stored hashed: `code` and `link` are set only in the answer that created it;
 * afterwards `hint` (its last characters) tells codes apart.
 */
export const enrollmentCode = z.object({
  id,
  code: z.string().nullable(),
  hint: z.string(),
  /** Only addresses at this domain may enroll with it; null for any. */
  emailDomain: z.string().nullable(),
  groupId: id,
  groupName: z.string(),
  expiresAt: time.nullable(),
  maxUses: z.number().nullable(),
  uses: z.number(),
  revoked: z.boolean(),
  createdAt: time,
  link: z.string().nullable(),
});

/** A single-use invitation link for one person (`name` is null when none was given). */
export const invite = z.object({
  email: z.string(),
  name: z.string().nullable(),
  link: z.string(),
  expiresAt: time,
});

const policyDocument = typed<PolicyDocument>(z.looseObject({ name: z.string() }));

/** A policy as the admin API returns it; the draft document is what the editor changes. */
export const policy = z.object({
  id,
  name: z.string(),
  document: policyDocument,
  /** The latest published version of this policy, if any. */
  liveVersion: z.number().nullable(),
  publishedAt: time.nullable(),
  createdAt: time,
  updatedAt: time,
  /** True when the draft differs from the live version. */
  dirty: z.boolean(),
  hasUnpublishedChanges: z.boolean(),
});

export const policyVersion = z.object({
  version: z.number(),
  publishedAt: time,
  publishedBy: z.string().nullable(),
  document: policyDocument,
});

export const diffEntry = z.object({
  path: z.string(),
  op: z.enum(['add', 'remove', 'change']),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
});

export const diagnostic = z.object({
  path: z.string(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
});

export const signedEnvelope = z.object({
  alg: z.literal('ES256'),
  keyId: z.string(),
  payload: z.string(),
  signature: z.string(),
});

const jwk = typed<JsonWebKey>(z.looseObject({ kty: z.string() }));
export const publicKey = z.object({ keyId: z.string(), alg: z.literal('ES256'), jwk });

/** What a device gets once paired or enrolled. */
export const deviceGrant = z.object({
  deviceId: id,
  /** The group the device's envelopes must name. */
  groupId: id,
  credential: z.string(),
  user: grantUser.nullable(),
  publicKey,
  serverUrl: z.string(),
  /** Where `runtime.setUninstallURL` points, when the device registered a key. */
  uninstallUrl: z.string().optional(),
});

/** An access request from a blocked page (docs/access-requests.md). */
export const accessRequest = z.object({
  id,
  state: z.enum(['pending', 'approved', 'expired', 'denied', 'revoked']),
  url: z.string().nullable(),
  blockFilter: z.string(),
  /** The exact-host allow filter an approval grants. */
  filter: z.string(),
  reason: z.string(),
  scope: z.enum(['user', 'device']).nullable(),
  expiresAt: time.nullable(),
  createdAt: time,
  decidedAt: time.nullable(),
  decidedBy: z.string().nullable(),
  note: z.string().nullable(),
  device: z.object({ id, name: z.string().nullable() }),
  user: z.object({ id, name: z.string().nullable(), email: z.string().nullable() }).nullable(),
});

export const storedAuditEvent = typed<StoredAuditEvent>(
  z.looseObject({
    seq: z.number(),
    id: z.string(),
    kind: z.string(),
    receivedAt: time,
    hashVersion: z.number(),
    prevHash: z.string(),
    hash: z.string(),
  }),
);

export const auditPage = z.object({
  events: z.array(storedAuditEvent),
  nextCursor: z.string().nullable(),
});

export const chainVerification = z.object({
  ok: z.boolean(),
  checked: z.number(),
  firstBroken: z.object({ seq: z.number(), reason: z.string() }).optional(),
  signedHead: z.object({ seq: z.number(), hash: z.string(), signedAt: time }).nullable(),
  unsignedRows: z.number(),
});

export const auditStats = z.object({
  overTime: z.array(z.object({ bucket: z.string(), count: z.number() })),
  topRules: z.array(z.object({ ruleId: z.string(), count: z.number() })),
  topSites: z.array(z.object({ site: z.string(), count: z.number() })),
});

export const rolloutGroup = z.object({
  groupId: id,
  groupName: z.string(),
  version: z.number().nullable(),
  devices: z.object({ total: z.number(), current: z.number(), behind: z.array(device) }),
});

/** WebAuthn options (SimpleWebAuthn's `PublicKeyCredential*OptionsJSON`), passed through. */
const webauthnOptions = z.looseObject({ challenge: z.string() });

export const integration = z.object({
  id,
  name: z.string(),
  kind: z.enum(['syslog', 'webhook']),
  format: z.enum(['cef', 'json', 'ocsf']),
  events: z.enum(['all', 'alerts']),
  enabled: z.boolean(),
  target: z.union([
    z.object({
      host: z.string(),
      port: z.number(),
      tls: z.boolean(),
      caPem: z.string().nullable(),
      facility: z.number(),
    }),
    z.object({ url: z.string() }),
  ]),
  hasSecret: z.boolean(),
  secretSealed: z.boolean(),
  createdAt: time,
  updatedAt: time,
  /** Never the secret; `lagEvents` audit rows are after the cursor. */
  delivery: z.object({
    cursorSeq: z.number(),
    lagEvents: z.number(),
    lagSeconds: z.number(),
    delivered: z.number(),
    attempts: z.number(),
    lastError: z.string().nullable(),
    lastAttemptAt: time.nullable(),
    lastDeliveredAt: time.nullable(),
    nextAttemptAt: time.nullable(),
    leaseOwner: z.string().nullable(),
  }),
});
const integrationWithSecret = z.object({ integration, secret: z.string().optional() });

export const alertType = z.enum(ALERT_TYPES);
export const alertRule = z.object({
  id,
  name: z.string(),
  type: alertType,
  threshold: z.number().nullable(),
  windowMinutes: z.number().nullable(),
  policyRuleId: z.string().nullable(),
  enabled: z.boolean(),
  createdAt: time,
});
export const alert = z.object({
  id,
  alertRuleId: id,
  ruleName: z.string(),
  type: alertType,
  subject: z.string(),
  summary: z.string(),
  firedAt: time,
});

export const signinInteraction = z.object({
  uid: z.string(),
  client: z.object({ id, name: z.string() }),
  /** For the extension's device proof. */
  challenge: z.string(),
  expiresAt: time,
});
export const failedCondition = z.object({ condition: z.string(), message: z.string() });
export const signinOutcome = z.discriminatedUnion('allow', [
  z.object({ allow: z.literal(true), redirectTo: z.string() }),
  z.object({
    allow: z.literal(false),
    app: z.object({ id, name: z.string() }),
    failed: z.array(failedCondition),
    redirectTo: z.string(),
  }),
]);
export const appClient = z.object({
  id,
  name: z.string(),
  redirectUris: z.array(z.string()),
  appId: z.string(),
  backchannelLogoutUri: z.string().nullable(),
  createdAt: time,
});
export const appSignin = z.object({
  grantId: z.string(),
  userId: id,
  deviceId: z.string().nullable(),
  trust: z.enum(['managed', 'enrolled', 'none']),
  clientAddress: z.string(),
  createdAt: time,
  endedAt: time.nullable(),
  endReason: z.string().nullable(),
});

export const responses = {
  ok,
  user: z.object({ user: sessionUser }),
  webauthnOptions,
  deviceGrant,
  passkeys: z.object({ passkeys: z.array(passkey) }),
  passkey: z.object({ passkey }),
  devices: z.object({ devices: z.array(device) }),
  adminDevices: z.object({ devices: z.array(adminDevice) }),
  adminDevice: z.object({ device: adminDevice }),
  device: z.object({ device }),
  newDevice: z.object({ device, credential: z.string() }),
  deviceAndUser: z.object({ device, user: grantUser.nullable() }),
  singleUseToken: z.object({ token: z.string(), expiresAt: time }),
  myPolicy: z.object({
    envelope: signedEnvelope,
    policy: typed<EffectivePolicy>(z.looseObject({})),
    version: z.number(),
  }),
  accessRequests: z.object({ requests: z.array(accessRequest) }),
  accessRequest: z.object({ request: accessRequest }),
  groups: z.object({ groups: z.array(group) }),
  group: z.object({ group }),
  enrollmentCodes: z.object({ enrollmentCodes: z.array(enrollmentCode) }),
  newEnrollmentCode: z.object({ enrollmentCode, link: z.string().nullable() }),
  enrollmentCode: z.object({ enrollmentCode }),
  users: z.object({ users: z.array(user) }),
  adminUser: z.object({ user }),
  invite,
  invites: z.object({ invites: z.array(invite) }),
  policies: z.object({ policies: z.array(policy) }),
  policy: z.object({ policy }),
  diagnostics: z.object({ diagnostics: z.array(diagnostic) }),
  simulation: z.object({
    url: z.unknown().optional(),
    data: z.unknown().optional(),
    access: z.unknown().optional(),
  }),
  diff: z.object({ diff: z.array(diffEntry) }),
  published: z.looseObject({ version: z.number(), diff: z.array(diffEntry) }),
  versions: z.object({ versions: z.array(policyVersion) }),
  rollout: z.object({ groups: z.array(rolloutGroup) }),
  publicKey,
  auditPage,
  chainVerification,
  auditStats,
  ingested: z.looseObject({ accepted: z.number(), duplicates: z.number() }),
  commands: z.object({ commands: z.array(signedEnvelope) }),
  signedEnvelope,
  signedExceptionList: signedEnvelope,
  integrations: z.object({ integrations: z.array(integration), secretsSealed: z.boolean() }),
  integration: z.object({ integration }),
  integrationWithSecret,
  integrationTest: z.object({ ok: z.boolean(), error: z.string().nullable() }),
  alertRules: z.object({ alertRules: z.array(alertRule) }),
  alertRule: z.object({ alertRule }),
  alerts: z.object({ alerts: z.array(alert) }),
  interaction: z.object({ interaction: signinInteraction }),
  interactionResult: signinOutcome,
  oidcClients: z.object({ clients: z.array(appClient) }),
  newOidcClient: z.object({ client: appClient, secret: z.string() }),
  signins: z.object({ signins: z.array(appSignin) }),
  /** GET /api/v1/openapi.json: this contract as OpenAPI 3.1. */
  openApi: z.looseObject({
    openapi: z.literal('3.1.0'),
    paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  }),
  rotatedKeys: z.object({ kid: z.string(), retiredKids: z.array(z.string()) }),
};
