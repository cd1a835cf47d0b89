import { decideAccess } from '../../core/policy/access/decide-access.ts';
import { AuditService } from '../audit/audit-service.ts';
import { OidcService } from '../oidc/oidc-service.ts';
import { AccessRequestService } from './access-request-service.ts';
import { Challenges } from './challenges.ts';
import type { ServiceContext } from './context.ts';
import { CredentialIndex, indexedStore } from './credential-index.ts';
import { DeviceEvents } from './device-events.ts';
import { DevicePostureService } from './device-posture-service.ts';
import { DeviceProofService } from './device-proof-service.ts';
import { DeviceService } from './device-service.ts';
import { EnrollmentCodeService } from './enrollment-code-service.ts';
import { EnvelopeService } from './envelope-service.ts';
import { GroupService } from './group-service.ts';
import { IdentityService } from './identity-service.ts';
import { InviteService } from './invite-service.ts';
import { PolicyService } from './policy-service.ts';
import { RateLimiter } from './rate-limiter.ts';
import { SessionService } from './session-service.ts';
import { Simulator } from './simulator.ts';
import { UserService } from './user-service.ts';
import { WebAuthn } from './webauthn.ts';
import { AlertEngine } from '../siem/alert-engine.ts';
import { AlertRuleService } from '../siem/alert-rule-service.ts';
import { IntegrationService } from '../siem/integration-service.ts';
import { SecretBox } from '../siem/secret-box.ts';
import { SiemDelivery } from '../siem/siem-delivery.ts';

export type Services = ReturnType<typeof createServices>;

/** Wires the services together over one context (store, key, push, config). */
export function createServices(input: Omit<ServiceContext, 'now'> & { now?: () => number }) {
  const credentials = new CredentialIndex();
  const ctx: ServiceContext = {
    ...input,
    // Every device write that changes what sync reads forgets the device in the index.
    store: indexedStore(input.store, credentials),
    now: input.now ?? Date.now,
  };
  const audit = new AuditService(ctx);
  const envelopes = new EnvelopeService(ctx);
  const invites = new InviteService(ctx, audit);
  const codes = new EnrollmentCodeService(ctx, audit);
  const webauthn = new WebAuthn(ctx, new Challenges(ctx));
  const deviceEvents = new DeviceEvents((error) =>
    ctx.log.error('device event listener failed', { error: String(error) }),
  );
  const posture = new DevicePostureService(ctx, audit, deviceEvents);
  const secrets = new SecretBox(ctx.config.secretsKey);
  const siem = new SiemDelivery(ctx, new AlertEngine(ctx, audit), secrets);
  ctx.metrics.siemDestinations = () => siem.destinations();
  ctx.metrics.siemFailures = () => siem.failures;
  const deviceProof = new DeviceProofService(ctx, posture);
  const oidc = new OidcService(ctx, audit, {
    deviceProof,
    latestPosture: (deviceId) => posture.latest(deviceId),
    decideAccess,
  });
  // A lost device or a disabled person is signed out of every app (back-channel logout).
  deviceEvents.on('lost', async ({ deviceId, reason }) => {
    await oidc.endDevice(deviceId, reason);
  });
  const users = new UserService(ctx, envelopes, audit);
  users.onDisabled = (userId) => oidc.endUser(userId, 'person disabled');
  return {
    ctx,
    audit,
    envelopes,
    invites,
    codes,
    sessions: new SessionService(ctx),
    rateLimiter: new RateLimiter(ctx),
    identity: new IdentityService(ctx, webauthn, invites, codes, audit),
    groups: new GroupService(ctx, envelopes, audit),
    users,
    devices: new DeviceService(ctx, codes, audit, envelopes, credentials, deviceEvents),
    deviceEvents,
    posture,
    deviceProof,
    oidc,
    policies: new PolicyService(ctx, envelopes, audit),
    simulator: new Simulator(ctx, posture),
    secrets,
    siem,
    integrations: new IntegrationService(ctx, audit, secrets),
    alertRules: new AlertRuleService(ctx, audit),
    access: new AccessRequestService(ctx, audit),
  };
}
