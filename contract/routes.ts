import type { z } from 'zod';
import { DELTA_MEDIA_TYPE } from './media-types.ts';
import { oidcSchemas, queries, schemas } from './requests.ts';
import { responses as r } from './responses.ts';
import { siemSchemas } from './siem.ts';

/**
 * Every route of the API, keyed as server/auth/access.ts's ROUTES is: what it takes (body,
 * query) and what it answers. The server validates with these, the PWA and the extension
 * type their clients from them, GET /api/v1/openapi.json is built from them.
 */
export interface RouteContract {
  /** A JSON body (absent: the route reads none). */
  body?: z.ZodType;
  query?: z.ZodType;
  /** The JSON answer; absent when the answer is not JSON (then `raw` says what it is). */
  response?: z.ZodType;
  /** The success status when it is not 200. */
  status?: number;
  /**
   * JSON answers in other media types, chosen by the request's `Accept`: each type with its
   * schema (`response` is the `application/json` one).
   */
  alsoAnswers?: Record<string, z.ZodType>;
  /** Answers 304 Not Modified, with no body, to an `If-None-Match` naming its ETag. */
  conditional?: true;
  raw?: { contentType: string; description: string };
}

const empty = schemas.empty;

export const contract = {
  'GET /healthz': { response: r.ok },
  'GET /metrics': {
    raw: { contentType: 'text/plain; version=0.0.4', description: 'Prometheus text format' },
  },
  'GET /api/v1/public-key': { response: r.publicKey },
  'GET /api/v1/openapi.json': { response: r.openApi },
  'POST /api/v1/auth/register/options': {
    body: schemas.registerOptions,
    response: r.webauthnOptions,
  },
  'POST /api/v1/auth/register/verify': { body: schemas.registerVerify, response: r.user },
  'POST /api/v1/auth/login/options': { body: empty, response: r.webauthnOptions },
  'POST /api/v1/auth/login/verify': { body: schemas.loginVerify, response: r.user },
  'POST /api/v1/enroll/options': { body: schemas.enrollOptions, response: r.webauthnOptions },
  'POST /api/v1/enroll/verify': { body: schemas.enrollVerify, response: r.user },
  'POST /api/v1/device/pair': { body: schemas.pair, response: r.deviceGrant },
  'POST /api/v1/device/enroll': { body: schemas.managedEnroll, response: r.deviceGrant },
  'GET /api/v1/device/uninstalled': {
    query: queries.uninstalled,
    raw: {
      contentType: 'text/html',
      description: 'a page telling the person Palisade was removed',
    },
  },
  'GET /api/v1/oidc/interactions/:uid': {
    status: 303,
    raw: { contentType: 'text/html', description: "a redirect to the PWA's sign-in page" },
  },
  'GET /api/v1/oidc/interactions/:uid/details': { response: r.interaction },
  'GET /api/v1/device/push': {
    status: 426,
    raw: {
      contentType: 'application/json',
      description: 'a WebSocket endpoint: a plain GET is answered 426 upgrade_required',
    },
  },

  'POST /api/v1/auth/logout': { response: r.ok },
  'GET /api/v1/auth/me': { response: r.user },
  'GET /api/v1/auth/passkeys': { response: r.passkeys },
  'POST /api/v1/auth/passkeys/options': { body: empty, response: r.webauthnOptions },
  'POST /api/v1/auth/passkeys/verify': { body: schemas.passkeyVerify, response: r.passkey },
  'DELETE /api/v1/auth/passkeys/:id': { response: r.ok },

  'POST /api/v1/oidc/interactions/:uid/proof': {
    body: oidcSchemas.proofBody,
    response: r.interactionResult,
  },

  'GET /api/v1/me/devices': { response: r.devices },
  'POST /api/v1/me/devices': { body: schemas.newDevice, response: r.newDevice },
  'POST /api/v1/me/devices/:id/pairing-token': { body: empty, response: r.singleUseToken },
  'POST /api/v1/me/device-claims': { body: empty, response: r.singleUseToken },
  'GET /api/v1/me/policy': { response: r.myPolicy },
  'GET /api/v1/me/access-requests': { response: r.accessRequests },

  'GET /api/v1/groups': { response: r.groups },
  'POST /api/v1/groups': { body: schemas.newGroup, response: r.group },
  'PATCH /api/v1/groups/:id': { body: schemas.groupPatch, response: r.group },
  'GET /api/v1/enrollment-codes': { response: r.enrollmentCodes },
  'POST /api/v1/enrollment-codes': {
    body: schemas.newEnrollmentCode,
    response: r.newEnrollmentCode,
  },
  'POST /api/v1/enrollment-codes/:id/revoke': { body: empty, response: r.enrollmentCode },
  'GET /api/v1/users': { response: r.users },
  'POST /api/v1/users/invite': { body: schemas.invite, response: r.invite },
  'POST /api/v1/users/invite/bulk': { body: schemas.bulkInvite, response: r.invites },
  'POST /api/v1/users/:id/approve': { body: empty, response: r.adminUser },
  'POST /api/v1/users/:id/reject': { body: empty, response: r.ok },
  'PATCH /api/v1/users/:id': { body: schemas.userPatch, response: r.adminUser },
  'GET /api/v1/policies': { response: r.policies },
  'POST /api/v1/policies': { body: schemas.policyBody, response: r.policy },
  'POST /api/v1/policies/validate': { body: schemas.policyBody, response: r.diagnostics },
  'POST /api/v1/policies/simulate': { body: schemas.simulate, response: r.simulation },
  'GET /api/v1/policies/:id': { response: r.policy },
  'PUT /api/v1/policies/:id': { body: schemas.policyBody, response: r.policy },
  'GET /api/v1/policies/:id/diff': { response: r.diff },
  'POST /api/v1/policies/:id/publish': { body: empty, response: r.published },
  'GET /api/v1/policies/:id/versions': { response: r.versions },
  'GET /api/v1/rollout': { response: r.rollout },
  'GET /api/v1/devices': { query: queries.devices, response: r.adminDevices },
  'GET /api/v1/devices/:id': { response: r.adminDevice },
  'POST /api/v1/devices/:id/revoke': { body: empty, response: r.device },
  'POST /api/v1/devices/:id/wipe': { body: empty, response: r.device },
  'GET /api/v1/access-requests': { query: queries.accessRequests, response: r.accessRequests },
  'POST /api/v1/access-requests/:id/decision': {
    body: schemas.accessDecision,
    response: r.accessRequest,
  },

  'GET /api/v1/integrations': { response: r.integrations },
  'POST /api/v1/integrations': {
    body: siemSchemas.newIntegration,
    response: r.integrationWithSecret,
  },
  'GET /api/v1/integrations/:id': { response: r.integration },
  'PATCH /api/v1/integrations/:id': {
    body: siemSchemas.integrationPatch,
    response: r.integrationWithSecret,
  },
  'DELETE /api/v1/integrations/:id': { response: r.ok },
  'POST /api/v1/integrations/:id/test': { body: empty, response: r.integrationTest },
  'GET /api/v1/alert-rules': { response: r.alertRules },
  'POST /api/v1/alert-rules': { body: siemSchemas.newAlertRule, response: r.alertRule },
  'PATCH /api/v1/alert-rules/:id': { body: siemSchemas.alertRulePatch, response: r.alertRule },
  'DELETE /api/v1/alert-rules/:id': { response: r.ok },
  'GET /api/v1/alerts': { query: queries.alerts, response: r.alerts },
  'GET /api/v1/oidc/clients': { response: r.oidcClients },
  'POST /api/v1/oidc/clients': {
    body: oidcSchemas.newClient,
    status: 201,
    response: r.newOidcClient,
  },
  'DELETE /api/v1/oidc/clients/:id': {
    status: 204,
    raw: { contentType: 'none', description: 'no content' },
  },
  'GET /api/v1/oidc/clients/:id/signins': { query: queries.signins, response: r.signins },
  'POST /api/v1/oidc/keys/rotate': { body: empty, response: r.rotatedKeys },

  'GET /api/v1/audit': { query: queries.audit, response: r.auditPage },
  'GET /api/v1/audit/export': {
    query: queries.auditExport,
    raw: {
      contentType: 'text/csv',
      description: 'the trail as CSV or (format=ndjson) application/x-ndjson, streamed',
    },
  },
  'GET /api/v1/audit/verify': { response: r.chainVerification },
  'GET /api/v1/audit/stats': { query: queries.auditStats, response: r.auditStats },

  'GET /api/v1/device/policy': {
    response: r.signedEnvelope,
    alsoAnswers: { [DELTA_MEDIA_TYPE]: r.policyDeltas },
    conditional: true,
  },
  'POST /api/v1/device/audit': { body: schemas.auditBatch, response: r.ingested },
  'POST /api/v1/device/ack': { body: schemas.ack, response: r.ok },
  'POST /api/v1/device/claim': { body: schemas.deviceClaim, response: r.deviceAndUser },
  'GET /api/v1/device/me': { response: r.deviceAndUser },
  'POST /api/v1/device/access-requests': { body: schemas.accessRequest, response: r.accessRequest },
  'GET /api/v1/device/access-requests': { response: r.accessRequests },
  'GET /api/v1/device/exceptions': { response: r.signedExceptionList },
  'GET /api/v1/device/commands': { query: queries.commands, response: r.commands },
} as const satisfies Record<string, RouteContract>;

export type Contract = typeof contract;
export type ContractKey = keyof Contract;

/** The JSON a route answers, as the client receives it. */
export type ResponseOf<K extends ContractKey> = Contract[K] extends { response: z.ZodType }
  ? z.output<Contract[K]['response']>
  : never;
/** The JSON body a route takes, as the client writes it (defaults may be left out). */
export type BodyOf<K extends ContractKey> = Contract[K] extends { body: z.ZodType }
  ? z.input<Contract[K]['body']>
  : never;
