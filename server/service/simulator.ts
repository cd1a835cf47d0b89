import { buildDataControls, type DataQuery } from '../../core/policy/data-controls.ts';
import { buildUrlMatcher } from '../../core/policy/url-filter/url-matcher.ts';
import type { EffectivePolicy, PolicyDocument } from '../../core/policy/types.ts';
import { mergePolicies } from '../../core/policy/merge-policies.ts';
import { ApiError } from '../errors.ts';
import type { ServiceContext } from './context.ts';
import { effectivePolicy } from './envelope-service.ts';

export interface SimulateInput {
  groupId?: string;
  document?: PolicyDocument;
  url?: string;
  data?: DataQuery;
}

/**
 * Answers "what happens to this URL / this copy" with the same core functions the
 * extension runs. The policy is the group's live effective policy, plus `document` as if
 * it were published too; or `document` alone when no group is given.
 */
export class Simulator {
  constructor(private readonly ctx: ServiceContext) {}

  async simulate(input: SimulateInput) {
    if (input.url === undefined && input.data === undefined) {
      throw new ApiError('validation_failed', 'Give a url or a data action to simulate.');
    }
    const policy = await this.policyFor(input);
    const out: { url?: unknown; data?: unknown; policy: { name: string; sources: string[] } } = {
      policy: { name: policy.name, sources: policy.sources },
    };
    if (input.url !== undefined) {
      out.url = buildUrlMatcher({
        blocklist: policy.urlBlocklist,
        allowlist: policy.urlAllowlist,
      }).decide(input.url);
    }
    if (input.data !== undefined) out.data = buildDataControls(policy).decide(input.data);
    return out;
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
