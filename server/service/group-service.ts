import type { AuditService } from '../audit/audit-service.ts';
import { ApiError } from '../errors.ts';
import { UniqueViolation } from '../store/store.ts';
import type { UserView } from '../store/types.ts';
import { newId } from '../util/tokens.ts';
import { isoNow, type ServiceContext } from './context.ts';
import type { EnvelopeService } from './envelope-service.ts';

/** How many active devices a user of a new group may have, until an admin changes it. */
export const DEFAULT_MAX_DEVICES_PER_USER = 5;

/** Groups: what policies target and what devices belong to. */
export class GroupService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly envelopes: EnvelopeService,
    private readonly audit: AuditService,
  ) {}

  list() {
    return this.ctx.store.listGroups();
  }

  /**
   * Creates a group and signs its effective policy right away (the organisation-wide
   * policies, plus any published policy that already names it) at the current version,
   * so its first devices have a policy to fetch.
   */
  async create(by: UserView, name: string) {
    const group = {
      id: newId(),
      name,
      createdAt: isoNow(this.ctx),
      maxDevicesPerUser: DEFAULT_MAX_DEVICES_PER_USER,
    };
    try {
      await this.ctx.store.createGroup(group);
    } catch (err) {
      if (err instanceof UniqueViolation)
        throw new ApiError('conflict', `A group named "${name}" already exists.`);
      throw err;
    }
    // Under the publish lock, so a publish running meanwhile (here or on another instance)
    // cannot slip between reading the live policies and writing this envelope.
    await this.ctx.store.withLock('envelopes', async () => {
      const [live, version] = await Promise.all([
        this.ctx.store.listLivePolicies(),
        this.ctx.store.currentPolicyVersion(),
      ]);
      await this.ctx.store.putGroupEnvelopes(await this.envelopes.build([group], live, version));
    });
    await this.audit.record(by, 'group.create', `group:${group.id}`, { name });
    return (await this.ctx.store.listGroups()).find((g) => g.id === group.id)!;
  }

  /** Changes a group's settings (today: how many devices each of its users may have). */
  async update(by: UserView, id: string, patch: { maxDevicesPerUser?: number }) {
    if (!(await this.ctx.store.updateGroup(id, patch))) {
      throw new ApiError('not_found', `There is no group ${id}.`);
    }
    await this.audit.record(by, 'group.update', `group:${id}`, { ...patch });
    return (await this.ctx.store.listGroups()).find((g) => g.id === id)!;
  }
}
