import { diffPolicy, type PolicyChange } from '../../core/policy/diff-policy.ts';
import type { PolicyDocument } from '../../core/policy/types.ts';
import { validatePolicy } from '../../core/policy/validate-policy.ts';
import type { AuditService } from '../audit/audit-service.ts';
import { ApiError } from '../errors.ts';
import type { PolicyRow, UserView } from '../store/types.ts';
import { Mutex } from '../store/mutex.ts';
import { newId } from '../util/tokens.ts';
import { isoNow, type ServiceContext } from './context.ts';
import { isOrgWide, type EnvelopeService } from './envelope-service.ts';

/**
 * Policy drafts, their immutable published versions, and publishing: a publish computes
 * and signs the effective policy of every group it affects and tells their devices.
 */
export class PolicyService {
  /** Publishes run one at a time, so each signs from the state the previous one left. */
  private readonly publishing = new Mutex();

  constructor(
    private readonly ctx: ServiceContext,
    private readonly envelopes: EnvelopeService,
    private readonly audit: AuditService,
  ) {}

  /**
   * The validated document, or a 422 carrying every diagnostic. With `groups`, access rules
   * must name existing groups (drafts are checked so; a publish is not refused because a
   * group was deleted since — the rule then lets nobody in through that group).
   */
  parse(input: unknown, groups?: readonly string[]): PolicyDocument {
    const { document, diagnostics } = validatePolicy(input, { groups });
    if (!document) {
      const errors = diagnostics.filter((d) => d.severity === 'error');
      const first = errors[0];
      const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
      throw new ApiError(
        'invalid_policy',
        `The policy has errors: ${first?.path || 'policy'}: ${first?.message}${more}`,
        {
          details: { diagnostics },
        },
      );
    }
    return document;
  }

  async validate(input: unknown) {
    return validatePolicy(input, { groups: await this.groupNames() }).diagnostics;
  }

  private async groupNames(): Promise<string[]> {
    return (await this.ctx.store.listGroups()).map((g) => g.name);
  }

  async list() {
    const [policies, live] = await Promise.all([
      this.ctx.store.listPolicies(),
      this.liveDocuments(),
    ]);
    return policies.map((p) => ({ policy: p, live: live.get(p.id) ?? null }));
  }

  async get(id: string): Promise<{ policy: PolicyRow; live: PolicyDocument | null }> {
    const policy = await this.ctx.store.getPolicy(id);
    if (!policy) throw new ApiError('not_found', `There is no policy ${id}.`);
    const live =
      policy.liveVersion === null
        ? null
        : await this.ctx.store.getPolicyVersion(id, policy.liveVersion);
    return { policy, live: live?.document ?? null };
  }

  async create(by: UserView, input: unknown) {
    const document = this.parse(input, await this.groupNames());
    const now = isoNow(this.ctx);
    const row: PolicyRow = {
      id: newId(),
      name: nameOf(document),
      document,
      createdBy: by.id,
      createdAt: now,
      updatedAt: now,
      liveVersion: null,
      publishedAt: null,
    };
    await this.ctx.store.createPolicy(row);
    await this.audit.record(by, 'policy.create', `policy:${row.id}`, { name: row.name });
    return { policy: row, live: null };
  }

  /** Saves the draft; the audit trail records which paths changed (every admin write is audited). */
  async update(by: UserView, id: string, input: unknown) {
    const { policy: before, live } = await this.get(id);
    const document = this.parse(input, await this.groupNames());
    await this.ctx.store.updatePolicyDraft(id, {
      name: nameOf(document),
      document,
      updatedAt: isoNow(this.ctx),
    });
    const changed = diffPolicy(before.document, document).map((c) => c.path);
    await this.audit.record(by, 'policy.update', `policy:${id}`, {
      changes: changed.length,
      paths: changed.slice(0, 20).join(', '),
    });
    return { policy: (await this.ctx.store.getPolicy(id))!, live };
  }

  async diff(id: string): Promise<PolicyChange[]> {
    const { policy, live } = await this.get(id);
    return diffPolicy(live, policy.document);
  }

  async versions(id: string) {
    await this.get(id);
    return this.ctx.store.listPolicyVersions(id);
  }

  publish(by: UserView, id: string): Promise<{ version: number; diff: PolicyChange[] }> {
    // The store's lock extends the mutex to every instance sharing the database: without
    // it, two instances publishing at once could each sign from a state missing the
    // other's policy, and the higher version would lose the lower one's change.
    return this.publishing.run(() =>
      this.ctx.store.withLock('envelopes', () => this.publishLocked(by, id)),
    );
  }

  private async publishLocked(
    by: UserView,
    id: string,
  ): Promise<{ version: number; diff: PolicyChange[] }> {
    const { policy, live: before } = await this.get(id);
    const document = this.parse(policy.document); // drafts were validated, but core rules may have tightened
    const diff = diffPolicy(before, document);
    const [groups, live] = await Promise.all([
      this.ctx.store.listGroups(),
      this.ctx.store.listLivePolicies(),
    ]);
    const version = await this.ctx.store.nextPolicyVersion();
    const next = [
      ...live.filter((p) => p.policyId !== id),
      { policyId: id, name: policy.name, version, document, createdAt: policy.createdAt },
    ];
    const affected = groups.filter((g) => affects(before, g.name) || affects(document, g.name));
    const [envelopes, previous] = await Promise.all([
      this.envelopes.build(affected, next, version),
      Promise.all(affected.map((g) => this.ctx.store.getGroupEnvelope(g.id))),
    ]);
    // Deltas first: another instance serves the envelope as soon as it is written.
    await this.envelopes.storeDeltas(previous, envelopes);
    const publishedAt = isoNow(this.ctx);
    await this.ctx.store.publishPolicy(
      { policyId: id, version, document, publishedAt, publishedBy: by.id },
      envelopes,
    );
    this.envelopes.invalidate(affected.map((g) => g.id));
    for (const g of affected) this.ctx.push.policy(g.id, version);
    this.ctx.metrics.countPublish();
    await this.audit.record(by, 'policy.publish', `policy:${id}`, {
      version,
      groups: affected.length,
      changes: diff.length,
    });
    this.ctx.log.info('policy published', { policyId: id, version, groups: affected.length });
    return { version, diff };
  }

  private async liveDocuments(): Promise<Map<string, PolicyDocument>> {
    return new Map((await this.ctx.store.listLivePolicies()).map((p) => [p.policyId, p.document]));
  }
}

function nameOf(doc: PolicyDocument): string {
  return doc.name?.trim() || 'Untitled policy';
}

/** Whether a policy version applies to the group: organisation-wide, or it names the group. */
function affects(doc: PolicyDocument | null, groupName: string): boolean {
  if (!doc) return false;
  const name = groupName.toLowerCase();
  return isOrgWide(doc) || doc.targetGroups!.some((g) => g.toLowerCase() === name);
}
