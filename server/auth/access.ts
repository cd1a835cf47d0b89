import type { Role } from '../store/types.ts';

/**
 * Who may call what: THE one place that maps every route to the roles allowed.
 * `route()` (routes/define-route.ts) refuses to register a route missing here, and the
 * authorization test walks this table for every role.
 */
export type Access =
  | { kind: 'public'; why: string }
  | { kind: 'person'; roles: readonly Role[] }
  /** `anyStatus`: a revoked or wiped device is let in too (to be told so, signed). */
  | { kind: 'device'; anyStatus?: true };

const EVERYONE: readonly Role[] = ['admin', 'auditor', 'employee'];
const EMPLOYEE: readonly Role[] = ['employee', 'admin'];
const ADMIN: readonly Role[] = ['admin'];
const AUDITOR: readonly Role[] = ['auditor', 'admin'];

// skipauth: every `pub()` entry says why the route needs no authentication.
const pub = (why: string): Access => ({ kind: 'public', why });
const people = (roles: readonly Role[]): Access => ({ kind: 'person', roles });
const device: Access = { kind: 'device' };
const anyDevice: Access = { kind: 'device', anyStatus: true };

export const ROUTES = {
  'GET /healthz': pub('liveness probe for load balancers; says nothing but ok'),
  'GET /metrics': pub('Prometheus scrape; aggregate counters only, no identities'),
  'GET /api/v1/public-key': pub('the policy verification key is public by design'),
  'GET /api/v1/openapi.json': pub(
    'the API description, as public as docs/api.md; it names routes and shapes, never data',
  ),
  'POST /api/v1/auth/register/options': pub(
    'authorized by the one-time setup/invite token in the body',
  ),
  'POST /api/v1/auth/register/verify': pub(
    'authorized by the setup/invite token and the WebAuthn response',
  ),
  'POST /api/v1/auth/login/options': pub('starts a sign-in; rate limited'),
  'POST /api/v1/auth/login/verify': pub(
    'the WebAuthn assertion is the authentication; rate limited',
  ),
  'POST /api/v1/enroll/options': pub('authorized by the enrollment code in the body; rate limited'),
  'POST /api/v1/enroll/verify': pub(
    'authorized by the enrollment code and the WebAuthn response; rate limited',
  ),
  'POST /api/v1/device/pair': pub(
    'authorized by the single-use pairing token in the body; rate limited',
  ),
  'POST /api/v1/device/enroll': pub('authorized by the enrollment code in the body; rate limited'),
  'GET /api/v1/device/uninstalled': pub(
    'opened by the browser when the extension is removed; authorized by the per-device uninstall token in the URL; rate limited',
  ),
  'GET /api/v1/oidc/interactions/:uid': pub(
    'only sends the browser on to the sign-in page; the provider started this interaction',
  ),
  'GET /api/v1/oidc/interactions/:uid/details': pub(
    "bound to this browser by the provider's signed interaction cookie; names only the app",
  ),
  'GET /api/v1/device/push': pub(
    'plain GET only answers 426; the WebSocket authenticates by its first message',
  ),

  'POST /api/v1/auth/logout': people(EVERYONE),
  'GET /api/v1/auth/me': people(EVERYONE),
  'GET /api/v1/auth/passkeys': people(EVERYONE),
  'POST /api/v1/auth/passkeys/options': people(EVERYONE),
  'POST /api/v1/auth/passkeys/verify': people(EVERYONE),
  'DELETE /api/v1/auth/passkeys/:id': people(EVERYONE),

  'POST /api/v1/oidc/interactions/:uid/proof': people(EVERYONE),

  'GET /api/v1/me/devices': people(EMPLOYEE),
  'POST /api/v1/me/devices': people(EMPLOYEE),
  'POST /api/v1/me/devices/:id/pairing-token': people(EMPLOYEE),
  'POST /api/v1/me/device-claims': people(EMPLOYEE),
  'GET /api/v1/me/policy': people(EMPLOYEE),
  'GET /api/v1/me/access-requests': people(EMPLOYEE),

  'GET /api/v1/groups': people(ADMIN),
  'POST /api/v1/groups': people(ADMIN),
  'PATCH /api/v1/groups/:id': people(ADMIN),
  'GET /api/v1/enrollment-codes': people(ADMIN),
  'POST /api/v1/enrollment-codes': people(ADMIN),
  'POST /api/v1/enrollment-codes/:id/revoke': people(ADMIN),
  'GET /api/v1/users': people(ADMIN),
  'POST /api/v1/users/invite': people(ADMIN),
  'POST /api/v1/users/invite/bulk': people(ADMIN),
  'POST /api/v1/users/:id/approve': people(ADMIN),
  'POST /api/v1/users/:id/reject': people(ADMIN),
  'PATCH /api/v1/users/:id': people(ADMIN),
  'GET /api/v1/policies': people(ADMIN),
  'POST /api/v1/policies': people(ADMIN),
  'POST /api/v1/policies/validate': people(ADMIN),
  'POST /api/v1/policies/simulate': people(ADMIN),
  'GET /api/v1/policies/:id': people(ADMIN),
  'PUT /api/v1/policies/:id': people(ADMIN),
  'GET /api/v1/policies/:id/diff': people(ADMIN),
  'POST /api/v1/policies/:id/publish': people(ADMIN),
  'GET /api/v1/policies/:id/versions': people(ADMIN),
  'GET /api/v1/rollout': people(ADMIN),
  'GET /api/v1/devices': people(ADMIN),
  'GET /api/v1/devices/:id': people(ADMIN),
  'POST /api/v1/devices/:id/revoke': people(ADMIN),
  'POST /api/v1/devices/:id/wipe': people(ADMIN),
  'GET /api/v1/access-requests': people(ADMIN),
  'POST /api/v1/access-requests/:id/decision': people(ADMIN),

  'GET /api/v1/integrations': people(ADMIN),
  'POST /api/v1/integrations': people(ADMIN),
  'GET /api/v1/integrations/:id': people(ADMIN),
  'PATCH /api/v1/integrations/:id': people(ADMIN),
  'DELETE /api/v1/integrations/:id': people(ADMIN),
  'POST /api/v1/integrations/:id/test': people(ADMIN),
  'GET /api/v1/alert-rules': people(ADMIN),
  'POST /api/v1/alert-rules': people(ADMIN),
  'PATCH /api/v1/alert-rules/:id': people(ADMIN),
  'DELETE /api/v1/alert-rules/:id': people(ADMIN),
  'GET /api/v1/alerts': people(AUDITOR),
  'GET /api/v1/oidc/clients': people(ADMIN),
  'POST /api/v1/oidc/clients': people(ADMIN),
  'DELETE /api/v1/oidc/clients/:id': people(ADMIN),
  'GET /api/v1/oidc/clients/:id/signins': people(ADMIN),
  'POST /api/v1/oidc/keys/rotate': people(ADMIN),

  'GET /api/v1/audit': people(AUDITOR),
  'GET /api/v1/audit/export': people(AUDITOR),
  'GET /api/v1/audit/verify': people(AUDITOR),
  'GET /api/v1/audit/stats': people(AUDITOR),

  'GET /api/v1/device/policy': device,
  'POST /api/v1/device/audit': device,
  'POST /api/v1/device/ack': device,
  'POST /api/v1/device/claim': device,
  'GET /api/v1/device/me': device,
  'POST /api/v1/device/access-requests': device,
  'GET /api/v1/device/access-requests': device,
  'GET /api/v1/device/exceptions': device,
  'GET /api/v1/device/commands': anyDevice,
} as const satisfies Record<string, Access>;

export type RouteKey = keyof typeof ROUTES;
