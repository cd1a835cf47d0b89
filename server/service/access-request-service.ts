import { isGrantableFilter } from '../../core/exceptions/access-exception.ts';
import { signExceptionList } from '../../core/exceptions/exception-list.ts';
import type { AuditService } from '../audit/audit-service.ts';
import { ApiError } from '../errors.ts';
import { subtle } from '../signing-key.ts';
import type {
  AccessRequestStatus,
  AccessRequestView,
  AccessScope,
  DeviceRow,
  UserView,
} from '../store/types.ts';
import { newId } from '../util/tokens.ts';
import { isoNow, type ServiceContext } from './context.ts';

/** How long an approval lasts; `always` until an admin revokes it. */
export const ACCESS_DURATIONS = { '1h': 3_600_000, '1d': 86_400_000, always: null } as const;
export type AccessDuration = keyof typeof ACCESS_DURATIONS;

/** A device asking for more than this at once is refused until some are decided. */
export const MAX_PENDING_PER_DEVICE = 20;

export type AccessDecisionInput =
  | { decision: 'approve'; duration: AccessDuration; scope: AccessScope; note?: string }
  | { decision: 'deny'; note?: string }
  | { decision: 'revoke'; note?: string };

const FROM: Record<AccessDecisionInput['decision'], AccessRequestStatus> = {
  approve: 'pending',
  deny: 'pending',
  revoke: 'approved',
};

/**
 * "Request access" from the blocked page (docs/access-requests.md): a device files a
 * request, an admin approves it for a time and a scope (or denies it), and every device
 * the approval covers gets its new signed exception list pushed at once. The exceptions
 * are never in the group's policy: each device's list is signed for that device from the
 * approvals in force, so an expired one is simply no longer in it.
 */
export class AccessRequestService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly audit: AuditService,
  ) {}

  async request(
    device: DeviceRow,
    body: { url?: string | null; blockFilter: string; filter: string; reason: string },
  ): Promise<AccessRequestView> {
    const { store } = this.ctx;
    if (!isGrantableFilter(body.filter)) {
      throw new ApiError(
        'bad_request',
        'filter must be one exact host as a URL filter with a leading dot, e.g. ".social.example".',
      );
    }
    const open = await store.listAccessRequests({
      deviceId: device.id,
      status: 'pending',
      limit: MAX_PENDING_PER_DEVICE,
    });
    const same = open.find((r) => r.filter === body.filter);
    if (same) return same; // asking twice (a reload of the blocked page) is one request
    if (open.length >= MAX_PENDING_PER_DEVICE) {
      throw new ApiError(
        'conflict',
        `This device already has ${MAX_PENDING_PER_DEVICE} requests waiting for an admin.`,
      );
    }
    const id = newId();
    await store.createAccessRequest({
      id,
      deviceId: device.id,
      userId: device.userId,
      url: body.url ?? null,
      blockFilter: body.blockFilter,
      filter: body.filter,
      reason: body.reason,
      status: 'pending',
      scope: null,
      expiresAt: null,
      createdAt: isoNow(this.ctx),
      decidedAt: null,
      decidedBy: null,
      note: null,
    });
    const user = device.userId ? await store.getUser(device.userId) : null;
    await this.audit.record(user ?? 'system', 'access.request', `access-request:${id}`, {
      device: device.id,
      filter: body.filter,
      reason: body.reason,
    });
    return (await store.getAccessRequest(id))!;
  }

  list(filter: { status?: AccessRequestStatus; limit?: number }) {
    return this.ctx.store.listAccessRequests({ ...filter, limit: filter.limit ?? 200 });
  }

  /** The device's own requests, newest first (what its blocked pages show). */
  forDevice(device: DeviceRow) {
    return this.ctx.store.listAccessRequests({ deviceId: device.id, limit: 50 });
  }

  forUser(user: UserView) {
    return this.ctx.store.listAccessRequests({ userId: user.id, limit: 100 });
  }

  async decide(
    admin: UserView,
    id: string,
    input: AccessDecisionInput,
  ): Promise<AccessRequestView> {
    const { store } = this.ctx;
    const request = await store.getAccessRequest(id);
    if (!request) throw new ApiError('not_found', 'No such access request.');
    if (input.decision === 'approve' && input.scope === 'user' && !request.userId) {
      throw new ApiError(
        'bad_request',
        'This device has no user: approve it for the device (scope "device").',
      );
    }
    const now = this.ctx.now();
    const decided = await store.decideAccessRequest(id, FROM[input.decision], {
      status:
        input.decision === 'approve'
          ? 'approved'
          : input.decision === 'deny'
            ? 'denied'
            : 'revoked',
      scope: input.decision === 'approve' ? input.scope : undefined,
      expiresAt:
        input.decision === 'approve'
          ? expiry(now, input.duration)
          : input.decision === 'revoke'
            ? request.expiresAt
            : null,
      decidedAt: new Date(now).toISOString(),
      decidedBy: admin.email,
      note: input.note?.trim() || null,
    });
    if (!decided) {
      throw new ApiError(
        'conflict',
        `This request is ${request.status}, so it cannot be ${input.decision === 'revoke' ? 'revoked' : 'decided'} now.`,
      );
    }
    const detail: Record<string, string> = { filter: decided.filter, device: decided.deviceId };
    if (input.decision === 'approve') {
      detail.scope = input.scope;
      detail.duration = input.duration;
    }
    if (decided.note) detail.note = decided.note;
    await this.audit.record(admin, `access.${input.decision}`, `access-request:${id}`, detail);
    await this.pushTo(decided);
    return decided;
  }

  /**
   * The device's signed exception list: the approvals in force now for it and its user,
   * as the JSON of a signed envelope (served and pushed byte for byte).
   */
  async signedExceptions(device: Pick<DeviceRow, 'id' | 'userId'>): Promise<string> {
    const now = isoNow(this.ctx);
    const granted = await this.ctx.store.listGrantedAccess(device.id, device.userId, now);
    const signed = await signExceptionList(
      subtle,
      {
        deviceId: device.id,
        issuedAt: now,
        exceptions: granted.map((g) => ({ id: g.id, filter: g.filter, expiresAt: g.expiresAt })),
      },
      this.ctx.signingKey,
    );
    return JSON.stringify(signed);
  }

  /** Every device a decision concerns hears of it: its list, and its requests' states. */
  private async pushTo(request: AccessRequestView): Promise<void> {
    const ids = new Set([request.deviceId]);
    if (request.scope === 'user' && request.userId) {
      for (const d of await this.ctx.store.listDevices({ userId: request.userId })) {
        if (d.status === 'active') ids.add(d.id);
      }
    }
    for (const id of ids) this.ctx.push.exceptions(id);
  }
}

function expiry(now: number, duration: AccessDuration): string | null {
  const ms = ACCESS_DURATIONS[duration];
  return ms === null ? null : new Date(now + ms).toISOString();
}
