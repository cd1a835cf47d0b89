import { deviceTrust } from '../../core/policy/access/device-trust.ts';
import type {
  AccessDecision,
  AccessInput,
  DevicePosture,
  DeviceTrust,
  FailedCondition,
} from '../../core/policy/access/types.ts';
import type { AuditService } from '../audit/audit-service.ts';
import type { ServiceContext } from '../service/context.ts';
import { effectivePolicy } from '../service/envelope-service.ts';
import { OIDC_TTL } from './oidc-provider.ts';
import type { OidcClientRow, OidcSigninRow, UserView } from '../store/types.ts';

/** `services.deviceProof.verify`'s answer (interfaces of the device key). */
export type ProofVerification =
  | {
      ok: true;
      device: { id: string; trust: DeviceTrust; group: string | null; userId: string | null };
      posture: DevicePosture | null;
    }
  | { ok: false; code: string; message: string };

/**
 * What conditional access needs from the rest of the server: the device proof, the posture
 * a device last reported, and the policy engine's `decideAccess`. Passed in, so this is the
 * one module that joins them.
 */
export interface AccessDeps {
  deviceProof: {
    issueChallenge(): { challenge: string; expiresAt: string };
    verify(proof: unknown, expectedOrigin: string): Promise<ProofVerification>;
  };
  latestPosture(deviceId: string): Promise<DevicePosture | null>;
  decideAccess(input: AccessInput): AccessDecision;
}

/** An app family as `decideAccess` takes it. */
export type AccessApp = AccessInput['app'];

export interface SignInCheck {
  decision: AccessDecision;
  app: AccessApp;
  device: { id: string; trust: DeviceTrust; group: string | null } | null;
  posture: DevicePosture | null;
}

/**
 * Decides whether a person may open an app: at sign-in, from the device proof the page
 * obtained from the extension, and again whenever the app refreshes its tokens. Every
 * decision is written to the audit trail as an `access` event.
 */
export class ConditionalAccess {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly audit: AuditService,
    readonly deps: AccessDeps,
  ) {}

  /**
   * The app family a client belongs to, as the person's group's live policy defines it;
   * null when that policy has no such family (then nobody in the group may open it).
   */
  async appFor(client: OidcClientRow, user: UserView): Promise<AccessApp | null> {
    const live = await this.ctx.store.listLivePolicies();
    const policy = effectivePolicy(user.groupName ?? '', live);
    const family = policy.apps.find((a) => a.id === client.appId);
    if (!family) return null;
    return {
      id: family.id,
      name: family.name,
      ...(family.access ? { access: family.access } : {}),
    };
  }

  /** At the interaction: verifies the proof (null when the extension did not answer) and decides. */
  async checkSignIn(input: {
    client: OidcClientRow;
    user: UserView;
    proof: unknown;
    clientAddress: string;
  }): Promise<SignInCheck> {
    const { client, user, clientAddress } = input;
    let device: SignInCheck['device'] = null;
    let posture: DevicePosture | null = null;
    let note: string | undefined;
    if (input.proof !== null && input.proof !== undefined) {
      const verified = await this.deps.deviceProof.verify(input.proof, this.ctx.config.origin);
      if (!verified.ok) note = `device proof refused: ${verified.code}`;
      else if (verified.device.userId !== null && verified.device.userId !== user.id) {
        // Someone else's browser: it proves nothing about this person's device.
        note = 'device proof refused: the device belongs to another person';
      } else {
        const { id, trust, group } = verified.device;
        device = { id, trust, group };
        posture = verified.posture;
      }
    }
    const { decision, app } = await this.decide(client, user, device, posture, clientAddress, {
      phase: 'sign-in',
      ...(note ? { note } : {}),
    });
    return { decision, app, device, posture };
  }

  /**
   * When the app refreshes: the same rule, on what is known now — the person (disabled?
   * moved group?), the device's status and latest posture, the clock — and the network
   * the person signed in from (a refresh comes from the app's server, not their browser).
   */
  async checkRefresh(signin: OidcSigninRow, client: OidcClientRow): Promise<boolean> {
    const { store } = this.ctx;
    const user = await store.getUser(signin.userId);
    if (!user || user.disabled) return false;
    let device: SignInCheck['device'] = null;
    let posture: DevicePosture | null = null;
    if (signin.deviceId) {
      const row = await store.getDevice(signin.deviceId);
      if (row?.status === 'active' && (row.userId === null || row.userId === user.id)) {
        posture = await this.deps.latestPosture(row.id);
        device = { id: row.id, trust: deviceTrust(row, posture), group: row.groupName };
      }
    }
    const { decision } = await this.decide(client, user, device, posture, signin.clientAddress, {
      phase: 'refresh',
    });
    return decision.allow;
  }

  /** `decideAccess` for the client's app family, recorded as an `access` audit event. */
  private async decide(
    client: OidcClientRow,
    user: UserView,
    device: SignInCheck['device'],
    posture: DevicePosture | null,
    clientAddress: string,
    event: { phase: 'sign-in' | 'refresh'; note?: string },
  ): Promise<{ decision: AccessDecision; app: { id: string; name: string } }> {
    const app = await this.appFor(client, user);
    const decision = app
      ? this.deps.decideAccess({
          app,
          user: { id: user.id, email: user.email, groups: user.groupName ? [user.groupName] : [] },
          device,
          posture,
          now: new Date(this.ctx.now()),
          clientAddress,
          otherActiveDevices: await this.otherActiveDevices(client, user.id, device?.id ?? null),
        })
      : notPublished(client);
    // Only the app's id and name: its access rule (the networks, groups and hours it
    // allows) is the admin's, not something to show the person refused.
    const shownApp = app ? { id: app.id, name: app.name } : { id: client.appId, name: client.name };
    await this.audit.recordAccess({
      app: shownApp,
      clientId: client.id,
      user,
      deviceId: device?.id ?? null,
      allow: decision.allow,
      failed: decision.failed,
      clientAddress,
      ...event,
    });
    return { decision, app: shownApp };
  }

  /**
   * Other devices of this person signed in to an app of the same family right now (§5,
   * `maxDevicesPerUser`): live sign-ins, one count per device, this device left out.
   */
  private async otherActiveDevices(
    client: OidcClientRow,
    userId: string,
    deviceId: string | null,
  ): Promise<number> {
    const live = await this.ctx.store.listOidcSignins({ userId, live: true, limit: 1000 });
    // A sign-in whose grant has run out without an end recorded counts no more.
    const since = this.ctx.now() - OIDC_TTL.Grant * 1000;
    const devices = new Set(
      live
        .filter((s) => Date.parse(s.createdAt) > since)
        .filter((s) => s.appId === client.appId && s.deviceId && s.deviceId !== deviceId)
        .map((s) => s.deviceId),
    );
    return devices.size;
  }
}

function notPublished(client: OidcClientRow): AccessDecision {
  const failed: FailedCondition[] = [
    {
      condition: 'group',
      message: `${client.name} is not among the apps your group's policy lists; ask your administrator for access.`,
    },
  ];
  return { allow: false, failed: failed as [FailedCondition, ...FailedCondition[]] };
}
