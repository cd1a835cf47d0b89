import { z } from 'zod';
import type { StoredAuditEvent } from '../core/audit/types.ts';
import type { JsonWebKey } from '../core/crypto/webcrypto.ts';
import type { AccessCondition, AccessDecision, DeviceTrust } from '../core/policy/access/types.ts';
import type { DataDecision } from '../core/policy/data-controls.ts';
import { LEVELS, type EffectivePolicy, type PolicyDocument } from '../core/policy/types.ts';
import type { UrlDecision } from '../core/policy/url-filter/url-matcher.ts';
import { ALERT_TYPES } from './alert-types.ts';

/**
 * The JSON the server answers, as docs/api.md describes it. Our own objects are strict: a
 * field the server sends that is not described here fails the tests' check of every answer
 * (test/helpers/contract-check.ts), as a field missing or of the wrong type does, so the
 * contract cannot fall behind the server. Only what others define stays open: WebAuthn
 * options (SimpleWebAuthn's), JWKs, and core's own types checked by core (`typed`).
 * Clients only take types from here, so an addition still breaks no deployed client.
 * Times are ISO 8601 strings.
 */

const id = z.string();
const time = z.string();
const ok = z.strictObject({ ok: z.literal(true) });
export const role = z.enum(['admin', 'auditor', 'employee']);

/**
 * A value whose type core/ already declares: typed as core's, checked by `shape` (the fields
 * that matter), shown in the OpenAPI document as `shape`'s schema.
 */
function typed<T>(shape: z.ZodType) {
  const { $schema: _dialect, ...json } = z.toJSONSchema(shape);
  return z.custom<T>((v) => shape.safeParse(v).success).meta(json);
}

export const sessionUser = z.strictObject({
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
export const grantUser = z.strictObject({ id, name: z.string(), email: z.string() });

export const passkey = z.strictObject({
  id,
  name: z.string(),
  createdAt: time,
  lastUsedAt: time.nullable(),
  backedUp: z.boolean(),
});

export const deviceStatus = z.enum(['active', 'revoked', 'wiped', 'wipe_pending']);

export const devicePosture = z.strictObject({
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

export const device = z.strictObject({
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

export const group = z.strictObject({
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
export const enrollmentCode = z.strictObject({
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
export const invite = z.strictObject({
  email: z.string(),
  name: z.string().nullable(),
  link: z.string(),
  expiresAt: time,
});

const policyDocument = typed<PolicyDocument>(z.looseObject({ name: z.string() }));

/** A policy as the admin API returns it; the draft document is what the editor changes. */
export const policy = z.strictObject({
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

export const policyVersion = z.strictObject({
  version: z.number(),
  publishedAt: time,
  publishedBy: z.string().nullable(),
  document: policyDocument,
});

export const diffEntry = z.strictObject({
  path: z.string(),
  op: z.enum(['add', 'remove', 'change']),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
});

export const diagnostic = z.strictObject({
  path: z.string(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
});

export const signedEnvelope = z.strictObject({
  alg: z.literal('ES256'),
  keyId: z.string(),
  payload: z.string(),
  signature: z.string(),
});

const jwk = typed<JsonWebKey>(z.looseObject({ kty: z.string() }));
export const publicKey = z.strictObject({ keyId: z.string(), alg: z.literal('ES256'), jwk });

/** What a device gets once paired or enrolled. */
export const deviceGrant = z.strictObject({
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
export const accessRequest = z.strictObject({
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
  device: z.strictObject({ id, name: z.string().nullable() }),
  user: z
    .strictObject({ id, name: z.string().nullable(), email: z.string().nullable() })
    .nullable(),
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

export const auditPage = z.strictObject({
  events: z.array(storedAuditEvent),
  nextCursor: z.string().nullable(),
});

export const chainVerification = z.strictObject({
  ok: z.boolean(),
  checked: z.number(),
  firstBroken: z.strictObject({ seq: z.number(), reason: z.string() }).optional(),
  signedHead: z.strictObject({ seq: z.number(), hash: z.string(), signedAt: time }).nullable(),
  unsignedRows: z.number(),
});

export const auditStats = z.strictObject({
  overTime: z.array(z.strictObject({ bucket: z.string(), count: z.number() })),
  topRules: z.array(z.strictObject({ ruleId: z.string(), count: z.number() })),
  topSites: z.array(z.strictObject({ site: z.string(), count: z.number() })),
});

export const rolloutGroup = z.strictObject({
  groupId: id,
  groupName: z.string(),
  version: z.number().nullable(),
  devices: z.strictObject({ total: z.number(), current: z.number(), behind: z.array(device) }),
});

/** WebAuthn options (SimpleWebAuthn's `PublicKeyCredential*OptionsJSON`), passed through. */
const webauthnOptions = z.looseObject({ challenge: z.string() });

export const integration = z.strictObject({
  id,
  name: z.string(),
  kind: z.enum(['syslog', 'webhook']),
  format: z.enum(['cef', 'json', 'ocsf']),
  events: z.enum(['all', 'alerts']),
  enabled: z.boolean(),
  target: z.union([
    z.strictObject({
      host: z.string(),
      port: z.number(),
      tls: z.boolean(),
      caPem: z.string().nullable(),
      facility: z.number(),
    }),
    z.strictObject({ url: z.string() }),
  ]),
  hasSecret: z.boolean(),
  secretSealed: z.boolean(),
  createdAt: time,
  updatedAt: time,
  /** Never the secret; `lagEvents` audit rows are after the cursor. */
  delivery: z.strictObject({
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
const integrationWithSecret = z.strictObject({ integration, secret: z.string().optional() });

export const alertType = z.enum(ALERT_TYPES);
export const alertRule = z.strictObject({
  id,
  name: z.string(),
  type: alertType,
  threshold: z.number().nullable(),
  windowMinutes: z.number().nullable(),
  policyRuleId: z.string().nullable(),
  enabled: z.boolean(),
  /** The admin who made it. */
  createdBy: z.string().nullable(),
  createdAt: time,
});
export const alert = z.strictObject({
  id,
  alertRuleId: id,
  ruleName: z.string(),
  type: alertType,
  subject: z.string(),
  summary: z.string(),
  firedAt: time,
});

export const signinInteraction = z.strictObject({
  uid: z.string(),
  client: z.strictObject({ id, name: z.string() }),
  /** For the extension's device proof. */
  challenge: z.string(),
  expiresAt: time,
});
/** core's AccessCondition (the checks below keep the two lists the same). */
const accessCondition = z.enum([
  'group',
  'device_trust',
  'browser_version',
  'policy_age',
  'incognito',
  'seen',
  'rules_in_place',
  'when',
  'where',
  'device_limit',
]);
export const failedCondition = z.strictObject({ condition: accessCondition, message: z.string() });
/** The simulator's answers: core's decisions for a URL, a data action, an app sign-in. */
const urlDecision = z.strictObject({
  verdict: z.enum(['block', 'allow']),
  filter: z.string().nullable(),
  list: z.enum(['blocklist', 'allowlist']).nullable(),
  index: z.number(),
});
const dataDecision = z.strictObject({
  level: z.enum(LEVELS).nullable(),
  rule: z.strictObject({ rule_id: z.string(), name: z.string() }).nullable(),
  detections: z.record(z.string(), z.number()).optional(),
  justify: z.literal(true).optional(),
});
const deviceTrust = z.enum(['managed', 'enrolled', 'none']);
const accessDecision = z.discriminatedUnion('allow', [
  z.strictObject({ allow: z.literal(true), failed: z.tuple([]) }),
  z.strictObject({ allow: z.literal(false), failed: z.array(failedCondition) }),
]);
export const simulation = z.strictObject({
  /** The effective policy simulated: its name and the policies merged into it. */
  policy: z.strictObject({ name: z.string(), sources: z.array(z.string()) }),
  url: urlDecision.optional(),
  data: dataDecision.optional(),
  access: z
    .strictObject({
      app: z.strictObject({ id, name: z.string() }),
      user: z.strictObject({ id, email: z.string(), groups: z.array(z.string()) }),
      device: z.strictObject({ id, name: z.string(), trust: deviceTrust }).nullable(),
      time,
      decision: accessDecision,
      /** What the simulation assumed, for the admin reading it. */
      notes: z.array(z.string()),
    })
    .optional(),
});

// The decisions are core's: these fail to compile when core's types and the schemas differ.
const _url: UrlDecision = {} as z.output<typeof urlDecision>;
const _urlBack: z.output<typeof urlDecision> = _url;
const _data: DataDecision = {} as z.output<typeof dataDecision>;
const _dataBack: z.output<typeof dataDecision> = _data;
const _access: AccessDecision = {} as z.output<typeof accessDecision>;
const _accessBack: z.output<typeof accessDecision> = _access;
const _condition: AccessCondition = {} as z.output<typeof accessCondition>;
const _conditionBack: z.output<typeof accessCondition> = _condition;
const _trust: DeviceTrust = {} as z.output<typeof deviceTrust>;
const _trustBack: z.output<typeof deviceTrust> = _trust;
void [_urlBack, _dataBack, _accessBack, _conditionBack, _trustBack];

export const signinOutcome = z.discriminatedUnion('allow', [
  z.strictObject({ allow: z.literal(true), redirectTo: z.string() }),
  z.strictObject({
    allow: z.literal(false),
    app: z.strictObject({ id, name: z.string() }),
    failed: z.array(failedCondition),
    redirectTo: z.string(),
  }),
]);
export const appClient = z.strictObject({
  id,
  name: z.string(),
  redirectUris: z.array(z.string()),
  appId: z.string(),
  backchannelLogoutUri: z.string().nullable(),
  createdAt: time,
});
export const appSignin = z.strictObject({
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
  user: z.strictObject({ user: sessionUser }),
  webauthnOptions,
  deviceGrant,
  passkeys: z.strictObject({ passkeys: z.array(passkey) }),
  passkey: z.strictObject({ passkey }),
  devices: z.strictObject({ devices: z.array(device) }),
  adminDevices: z.strictObject({ devices: z.array(adminDevice) }),
  adminDevice: z.strictObject({ device: adminDevice }),
  device: z.strictObject({ device }),
  newDevice: z.strictObject({ device, credential: z.string() }),
  deviceAndUser: z.strictObject({ device, user: grantUser.nullable() }),
  singleUseToken: z.strictObject({ token: z.string(), expiresAt: time }),
  myPolicy: z.strictObject({
    envelope: signedEnvelope,
    policy: typed<EffectivePolicy>(z.looseObject({})),
    version: z.number(),
  }),
  accessRequests: z.strictObject({ requests: z.array(accessRequest) }),
  accessRequest: z.strictObject({ request: accessRequest }),
  groups: z.strictObject({ groups: z.array(group) }),
  group: z.strictObject({ group }),
  enrollmentCodes: z.strictObject({ enrollmentCodes: z.array(enrollmentCode) }),
  newEnrollmentCode: z.strictObject({ enrollmentCode, link: z.string().nullable() }),
  enrollmentCode: z.strictObject({ enrollmentCode }),
  users: z.strictObject({ users: z.array(user) }),
  adminUser: z.strictObject({ user }),
  invite,
  invites: z.strictObject({ invites: z.array(invite) }),
  policies: z.strictObject({ policies: z.array(policy) }),
  policy: z.strictObject({ policy }),
  diagnostics: z.strictObject({ diagnostics: z.array(diagnostic) }),
  simulation,
  diff: z.strictObject({ diff: z.array(diffEntry) }),
  published: z.strictObject({ version: z.number(), diff: z.array(diffEntry) }),
  versions: z.strictObject({ versions: z.array(policyVersion) }),
  rollout: z.strictObject({ groups: z.array(rolloutGroup) }),
  publicKey,
  auditPage,
  chainVerification,
  auditStats,
  ingested: z.strictObject({ accepted: z.number(), duplicates: z.number() }),
  commands: z.strictObject({ commands: z.array(signedEnvelope) }),
  signedEnvelope,
  /** The signed deltas from the version a device names to the current one (docs/delta-sync.md). */
  policyDeltas: z.strictObject({ deltas: z.array(signedEnvelope).min(1) }),
  signedExceptionList: signedEnvelope,
  integrations: z.strictObject({ integrations: z.array(integration), secretsSealed: z.boolean() }),
  integration: z.strictObject({ integration }),
  integrationWithSecret,
  integrationTest: z.strictObject({ ok: z.boolean(), error: z.string().nullable() }),
  alertRules: z.strictObject({ alertRules: z.array(alertRule) }),
  alertRule: z.strictObject({ alertRule }),
  alerts: z.strictObject({ alerts: z.array(alert) }),
  interaction: z.strictObject({ interaction: signinInteraction }),
  interactionResult: signinOutcome,
  oidcClients: z.strictObject({ clients: z.array(appClient) }),
  newOidcClient: z.strictObject({ client: appClient, secret: z.string() }),
  signins: z.strictObject({ signins: z.array(appSignin) }),
  /** GET /api/v1/openapi.json: this contract as OpenAPI 3.1. */
  openApi: z.looseObject({
    openapi: z.literal('3.1.0'),
    paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  }),
  rotatedKeys: z.strictObject({ kid: z.string(), retiredKids: z.array(z.string()) }),
};
