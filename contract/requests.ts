import { z } from 'zod';
import { JUSTIFICATION_MAX, JUSTIFICATION_MIN } from '../core/policy/justification.ts';
import { parseIpAddress } from '../core/policy/access/cidr.ts';

/** Request body schemas (policy documents are checked by core's validatePolicy instead). */

const b64url = z
  .string()
  .max(16_384)
  .regex(/^[A-Za-z0-9_-]*={0,2}$/, 'must be base64url');
const name = z.string().trim().min(1, 'must not be empty').max(200);
const email = z.email().max(320);
const short = z.string().trim().min(1, 'must not be empty').max(100);
const secret = z.string().min(1).max(200);

const dataContext = z.object({
  url: z.string().max(8192).optional(),
  incognito: z.boolean().optional(),
  os_clipboard: z.boolean().optional(),
  other_profile: z.boolean().optional(),
});

/** A device's posture as the admin's simulator takes it (DevicePosture; reportedAt optional). */
const posture = z.object({
  browser: z.string().min(1).max(32),
  browserVersion: z.string().min(1).max(32),
  os: z.string().max(32),
  extensionVersion: z.string().max(32),
  installType: z.enum(['admin', 'development', 'normal', 'sideload', 'other']),
  incognitoAllowed: z.boolean(),
  policyVersion: z.number().int().min(0).nullable(),
  policySince: z.iso.datetime({ offset: true }).nullable(),
  rulesInPlace: z.boolean(),
  reportedAt: z.iso.datetime({ offset: true }).optional(),
});

/** The fields every WebAuthn credential answer has, registration or authentication. */
const credentialFields = {
  id: b64url.min(1).max(1366),
  rawId: b64url.min(1).max(1366),
  type: z.literal('public-key'),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
};

export const registrationResponse = z.object({
  ...credentialFields,
  response: z.object({
    clientDataJSON: b64url,
    attestationObject: b64url,
    authenticatorData: b64url.optional(),
    transports: z.array(z.string().max(32)).max(16).optional(),
    publicKey: b64url.optional(),
    publicKeyAlgorithm: z.number().int().optional(),
  }),
});

export const authenticationResponse = z.object({
  ...credentialFields,
  response: z.object({
    clientDataJSON: b64url,
    authenticatorData: b64url,
    signature: b64url,
    userHandle: b64url.optional(),
  }),
});

const accessNote = z.string().trim().max(500).optional();
/** A P-256 public key as JWK: the coordinates are 32 bytes each, base64url (43 characters). */
const coordinate = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be 32 bytes, base64url');
const deviceKey = z.object({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: coordinate,
  y: coordinate,
});

export const schemas = {
  empty: z.object({}),
  accessRequest: z.object({
    url: z.string().max(8192).nullable().optional(),
    blockFilter: z.string().min(1).max(2048),
    filter: z.string().min(1).max(2048),
    reason: z
      .string()
      .trim()
      .min(JUSTIFICATION_MIN, `must be at least ${JUSTIFICATION_MIN} characters`)
      .max(JUSTIFICATION_MAX),
  }),
  accessDecision: z.discriminatedUnion('decision', [
    z.object({
      decision: z.literal('approve'),
      duration: z.enum(['1h', '1d', 'always']),
      scope: z.enum(['user', 'device']),
      note: accessNote,
    }),
    z.object({ decision: z.literal('deny'), note: accessNote }),
    z.object({ decision: z.literal('revoke'), note: accessNote }),
  ]),
  registerOptions: z.object({ token: secret, name, email }),
  registerVerify: z.object({ token: secret, response: registrationResponse }),
  loginVerify: z.object({ response: authenticationResponse }),
  enrollOptions: z.object({ code: z.string().min(1).max(64), name, email }),
  enrollVerify: z.object({ code: z.string().min(1).max(64), response: registrationResponse }),
  passkeyVerify: z.object({ response: registrationResponse, name: name.optional() }),
  newDevice: z.object({ name, platform: short, browser: short }),
  pair: z.object({
    token: secret,
    extensionVersion: short,
    platform: short,
    browser: short,
    deviceKey: deviceKey.optional(),
  }),
  managedEnroll: z.object({
    enrollmentCode: z.string().min(1).max(64),
    userEmail: email.optional(),
    name: name.optional(),
    extensionVersion: short,
    platform: short,
    browser: short,
    deviceKey: deviceKey.optional(),
  }),
  newGroup: z.object({ name }),
  groupPatch: z.object({ maxDevicesPerUser: z.number().int().min(1).max(1000) }),
  newEnrollmentCode: z.object({
    groupId: z.string().min(1).max(64),
    expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
    maxUses: z.number().int().min(1).max(1_000_000).nullable().optional(),
    emailDomain: z
      .string()
      .trim()
      .toLowerCase()
      .max(253)
      .regex(/^(?!-)[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'must be a domain such as example.com')
      .nullable()
      .optional(),
  }),
  invite: z
    .object({
      email,
      role: z.enum(['admin', 'auditor', 'employee']),
      name: name.optional(),
      groupId: z.string().min(1).max(64).optional(),
    })
    .refine((i) => i.role !== 'employee' || i.groupId, {
      message: "an employee's invite needs the group they join",
      path: ['groupId'],
    }),
  bulkInvite: z.object({ csv: z.string().min(1).max(1_000_000) }),
  deviceClaim: z.object({ token: secret }),
  userPatch: z
    .object({
      role: z.enum(['admin', 'auditor', 'employee']).optional(),
      disabled: z.boolean().optional(),
      groupId: z.string().min(1).max(64).nullable().optional(),
    })
    .refine((p) => Object.keys(p).length > 0, 'give at least one of role, disabled, groupId'),
  policyBody: z.object({ document: z.unknown() }),
  simulate: z.object({
    groupId: z.string().min(1).max(64).optional(),
    time: z.iso.datetime({ offset: true }).optional(),
    document: z.unknown().optional(),
    url: z.string().max(8192).optional(),
    data: z
      .object({
        action: z.enum(['copy', 'cut', 'paste', 'print', 'download', 'upload']),
        source: dataContext.optional(),
        destination: dataContext.optional(),
      })
      .optional(),
    access: z
      .object({
        appId: z.string().min(1).max(63),
        userId: z.string().min(1).max(64),
        deviceId: z.string().min(1).max(64).nullable().optional(),
        time: z.iso.datetime({ offset: true }).optional(),
        clientAddress: z
          .string()
          .max(64)
          .refine(
            (a) => parseIpAddress(a) !== null,
            'must be an IPv4 or IPv6 address such as "203.0.113.7"',
          ),
        posture: posture.optional(),
        otherActiveDevices: z.number().int().min(0).max(1000).optional(),
      })
      .optional(),
  }),
  auditBatch: z.object({ events: z.array(z.unknown()) }),
  ack: z.object({ version: z.number().int().min(0) }),
};

/** oidc-provider's client registration, as the admin gives it. */
const appUrl = z
  .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
  .max(2000)
  .refine((u) => !u.includes('#'), 'must not have a #fragment');

export const oidcSchemas = {
  newClient: z.object({
    name: z.string().trim().min(1, 'must not be empty').max(100),
    redirectUris: z.array(appUrl).min(1, 'give at least one redirect URI').max(10),
    appId: z.string().trim().min(1, 'must name an app family id of the policy').max(100),
    backchannelLogoutUri: appUrl.nullish(),
  }),
  proofBody: z.object({
    /** The extension's device proof, checked by the device-proof service; null: none answered. */
    proof: z.unknown().nullable(),
  }),
};

const time = z.iso.datetime({ offset: true }).transform((t) => new Date(t).toISOString());
const auditFilter = {
  from: time.optional(),
  to: time.optional(),
  userId: z.string().max(64).optional(),
  deviceId: z.string().max(64).optional(),
  kind: z.string().max(32).optional(),
  ruleId: z.string().max(2048).optional(),
  url: z.string().max(2048).optional(),
};
/** The device's own challenge: echoed inside each signed command, so an answer cannot be replayed. */
const challenge = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);

/** Query strings (every value arrives as a string, hence the coercions). */
export const queries = {
  accessRequests: z.object({
    status: z.enum(['pending', 'approved', 'denied', 'revoked']).optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
  }),
  devices: z.object({
    q: z.string().max(200).optional(),
    status: z.enum(['active', 'revoked', 'wiped', 'wipe_pending']).optional(),
    groupId: z.string().max(64).optional(),
  }),
  commands: z.object({ challenge }),
  /** `runtime.setUninstallURL`'s URL: the device id and its uninstall token (docs/api.md). */
  uninstalled: z.object({ device: z.string().min(1).max(100), token: challenge }),
  signins: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
  alerts: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
  audit: z.object({
    ...auditFilter,
    cursor: z
      .string()
      .regex(/^\d{1,15}$/, 'must be a cursor from a previous page')
      .optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  }),
  auditExport: z.object({ ...auditFilter, format: z.enum(['csv', 'ndjson']).default('csv') }),
  auditStats: z.object({ from: time.optional(), to: time.optional() }),
};
