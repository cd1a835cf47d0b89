import { decideAccess } from '../../core/policy/access/decide-access.ts';
import { deviceTrust } from '../../core/policy/access/device-trust.ts';
import type { AccessDecision, DevicePosture, DeviceTrust } from '../../core/policy/access/types.ts';
import type { DevicePostureService } from './device-posture-service.ts';
import {
  buildDataControls,
  type DataDecision,
  type DataQuery,
} from '../../core/policy/data-controls.ts';
import { buildUrlMatcher, type UrlDecision } from '../../core/policy/url-filter/url-matcher.ts';
import { urlListsAt } from '../../core/policy/url-schedules.ts';
import type { EffectivePolicy, PolicyDocument } from '../../core/policy/types.ts';
import { mergePolicies } from '../../core/policy/merge-policies.ts';
import { ApiError } from '../errors.ts';
import type { ServiceContext } from './context.ts';
import { effectivePolicy } from './envelope-service.ts';

/** "May this user, on this device, open this app now?" */
export interface AccessQuestion {
  appId: string;
  userId: string;
  /** The device the request would come from; null or absent: a browser without Palisade. */
  deviceId?: string | null;
  /** ISO time; the server's clock when absent. */
  time?: string;
  clientAddress: string;
  /**
   * The device's posture as it would report it. Absent: the posture the device last
   * reported (none yet: every posture condition the rule asks for fails).
   */
  posture?: Omit<DevicePosture, 'reportedAt'> & { reportedAt?: string };
  otherActiveDevices?: number;
}

export interface AccessAnswer {
  app: { id: string; name: string };
  user: { id: string; email: string; groups: string[] };
  device: { id: string; name: string; trust: DeviceTrust } | null;
  time: string;
  decision: AccessDecision;
  /** What the simulation assumed, for the admin reading it. */
  notes: string[];
}

export interface SimulateInput {
  groupId?: string;
  document?: PolicyDocument;
  url?: string;
  data?: DataQuery;
  access?: AccessQuestion;
  /** ISO time to judge rules with `when` at (data actions, and access without its own). */
  time?: string;
}

/**
 * Answers "what happens to this URL / this copy" with the same core functions the
 * extension runs. The policy is the group's live effective policy, plus `document` as if
 * it were published too; or `document` alone when no group is given.
 */
export class Simulator {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly postures: Pick<DevicePostureService, 'latest'>,
  ) {}

  async simulate(input: SimulateInput) {
    if (input.url === undefined && input.data === undefined && input.access === undefined) {
      throw new ApiError(
        'validation_failed',
        'Give a url, a data action or an access question to simulate.',
      );
    }
    const user = input.access ? await this.ctx.store.getUser(input.access.userId) : null;
    if (input.access && !user) {
      throw new ApiError('not_found', `There is no user ${input.access.userId}.`);
    }
    // An access question is asked of the user's group's policy unless a group is named.
    const groupId = input.groupId ?? user?.groupId ?? undefined;
    const policy = await this.policyFor({ ...input, groupId });
    const out: {
      url?: UrlDecision;
      data?: DataDecision;
      access?: AccessAnswer;
      policy: { name: string; sources: string[] };
    } = {
      policy: { name: policy.name, sources: policy.sources },
    };
    const now = new Date(input.time ?? this.ctx.now());
    if (input.url !== undefined) {
      const lists = urlListsAt(policy, now);
      out.url = buildUrlMatcher({
        blocklist: lists.blocklist,
        allowlist: lists.allowlist,
      }).decide(input.url);
    }
    if (input.data !== undefined) {
      out.data = buildDataControls(policy).decide({ ...input.data, now });
    }
    if (input.access && user) {
      out.access = await this.access(policy, { time: input.time, ...input.access }, user);
    }
    return out;
  }

  private async access(
    policy: EffectivePolicy,
    q: AccessQuestion,
    user: { id: string; email: string; name: string; groupName: string | null },
  ): Promise<AccessAnswer> {
    const app = policy.apps.find((a) => a.id === q.appId);
    if (!app) {
      const ids = policy.apps.map((a) => `"${a.id}"`).join(', ') || 'none';
      throw new ApiError(
        'validation_failed',
        `The policy simulated has no app "${q.appId}" (its apps: ${ids}).`,
      );
    }
    const notes: string[] = [];
    let device: AccessAnswer['device'] = null;
    let proven: { id: string; trust: DeviceTrust; group: string | null } | null = null;
    if (q.deviceId) {
      const d = await this.ctx.store.getDevice(q.deviceId);
      if (!d) throw new ApiError('not_found', `There is no device ${q.deviceId}.`);
      const trust = deviceTrust(d);
      device = { id: d.id, name: d.name, trust };
      if (trust === 'none') {
        notes.push(
          `Device "${d.name}" is ${d.status}: it cannot prove itself, so it counts as no Palisade.`,
        );
      } else {
        proven = { id: d.id, trust, group: d.groupName };
      }
      if (d.userId !== user.id) {
        notes.push(
          `Device "${d.name}" is not ${user.name}'s; a real sign-in from it would be theirs only once they claim it.`,
        );
      }
    }
    const now = q.time ? new Date(q.time) : new Date(this.ctx.now());
    // A posture given in the question wins (to ask "what if"); else the device's last report.
    let posture: DevicePosture | null = null;
    if (proven && q.posture) {
      posture = { ...q.posture, reportedAt: q.posture.reportedAt ?? now.toISOString() };
    } else if (proven) {
      posture = await this.postures.latest(proven.id);
      notes.push(
        posture
          ? `Using the posture the device last reported, at ${posture.reportedAt}.`
          : 'The device has not reported its posture yet: every posture condition fails.',
      );
    }
    const groups = user.groupName ? [user.groupName] : [];
    const decision = decideAccess({
      app: { id: app.id, name: app.name, access: app.access },
      user: { id: user.id, email: user.email, groups },
      device: proven,
      posture,
      now,
      clientAddress: q.clientAddress,
      otherActiveDevices: q.otherActiveDevices ?? 0,
    });
    if (!app.access)
      notes.push(
        `App "${app.name}" has no access rule: the defaults apply (any group, an enrolled browser).`,
      );
    return {
      app: { id: app.id, name: app.name },
      user: { id: user.id, email: user.email, groups },
      device,
      time: now.toISOString(),
      decision,
      notes,
    };
  }

  private async policyFor(input: SimulateInput): Promise<EffectivePolicy> {
    if (!input.groupId) {
      if (!input.document)
        throw new ApiError('validation_failed', 'Give a groupId, a document, or both.');
      return mergePolicies([input.document]);
    }
    const group = await this.ctx.store.getGroup(input.groupId);
    if (!group) throw new ApiError('not_found', `There is no group ${input.groupId}.`);
    const live = await this.ctx.store.listLivePolicies();
    const candidate = input.document
      ? [{ name: input.document.name ?? '(draft)', document: input.document }]
      : [];
    return effectivePolicy(group.name, [...live, ...candidate]);
  }
}
