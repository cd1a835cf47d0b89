import { signEnvelope } from '../../core/crypto/envelope.ts';
import { mergePolicies } from '../../core/policy/merge-policies.ts';
import { devicePolicy, type PolicyPayload } from '../../core/policy/policy-payload.ts';
import type { EffectivePolicy, PolicyDocument } from '../../core/policy/types.ts';
import { subtle } from '../signing-key.ts';
import type { GroupEnvelopeRow, GroupRow, LivePolicyRow } from '../store/types.ts';
import { hashToken } from '../util/tokens.ts';
import { isoNow, type ServiceContext } from './context.ts';

export interface ServedEnvelope {
  version: number;
  etag: string;
  /** The envelope's JSON, served byte for byte. */
  body: string;
}

/**
 * The signed effective policy of each group: computed and signed at publish (and when a
 * group is created), stored, and cached here so the device sync's 304 path is a map
 * lookup. The cache is only a copy of the store: `fromStore` answers without it.
 */
export class EnvelopeService {
  private readonly cache = new Map<string, ServedEnvelope>();
  /** Bumped by every invalidation, so a read that overlapped one does not cache what it read. */
  private generation = 0;

  constructor(private readonly ctx: ServiceContext) {}

  async get(groupId: string): Promise<ServedEnvelope | null> {
    const hit = this.cache.get(groupId);
    if (hit) return hit;
    const generation = this.generation;
    const served = await this.fromStore(groupId);
    // An invalidation while the read was in flight (a publish here, or another instance's
    // announced through the store) may mean `served` is already old: serve it, keep nothing.
    if (served && generation === this.generation) this.cache.set(groupId, served);
    return served;
  }

  async fromStore(groupId: string): Promise<ServedEnvelope | null> {
    const row = await this.ctx.store.getGroupEnvelope(groupId);
    return row ? { version: row.version, etag: row.etag, body: row.envelope } : null;
  }

  /** Forgets cached envelopes (all of them when no ids are given). */
  invalidate(groupIds?: Iterable<string>): void {
    this.generation++;
    if (!groupIds) return this.cache.clear();
    for (const id of groupIds) this.cache.delete(id);
  }

  /**
   * Signs the group's effective policy again at a new version from the one global
   * sequence, for a device moving into it: the device must land on a version greater than
   * anything it enforced in its old group (docs/device-trust.md), and the group's current
   * envelope may be older than the old group's. Under the publish lock, like a publish.
   */
  async resign(groupId: string): Promise<number | null> {
    const { store } = this.ctx;
    return store.withLock('envelopes', async () => {
      const group = await store.getGroup(groupId);
      if (!group) return null;
      const [live, version] = await Promise.all([
        store.listLivePolicies(),
        store.nextPolicyVersion(),
      ]);
      await store.putGroupEnvelopes(await this.build([group], live, version));
      this.invalidate([groupId]);
      return version;
    });
  }

  /** Computes and signs the envelopes of `groups` from the given live policies, at `version`. */
  async build(
    groups: GroupRow[],
    live: LivePolicyRow[],
    version: number,
  ): Promise<GroupEnvelopeRow[]> {
    const issuedAt = isoNow(this.ctx);
    const { keyId, privateJwk } = this.ctx.signingKey;
    return Promise.all(
      groups.map(async (group) => {
        const payload: PolicyPayload = {
          v: 1,
          version,
          issuedAt,
          groupId: group.id,
          groupName: group.name,
          policy: devicePolicy(effectivePolicy(group.name, live)),
        };
        const envelope = JSON.stringify(
          await signEnvelope(subtle, JSON.stringify(payload), keyId, privateJwk),
        );
        return {
          groupId: group.id,
          version,
          envelope,
          etag: etagOf(version, envelope),
          updatedAt: issuedAt,
        };
      }),
    );
  }
}

/**
 * The policy a group's devices enforce: organisation-wide policies (no `targetGroups`)
 * first, then the ones naming the group, each set sorted by name — the order
 * mergePolicies expects, so the result depends only on the set of policies.
 */
export function effectivePolicy(
  groupName: string,
  live: readonly { name: string; document: PolicyDocument }[],
): EffectivePolicy {
  const byName = (a: { name: string }, b: { name: string }) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  const orgWide = live.filter((p) => isOrgWide(p.document)).sort(byName);
  const target = groupName.toLowerCase();
  const forGroup = live
    .filter(
      (p) =>
        !isOrgWide(p.document) && p.document.targetGroups!.some((g) => g.toLowerCase() === target),
    )
    .sort(byName);
  return mergePolicies([...orgWide, ...forGroup].map((p) => p.document));
}

export function isOrgWide(doc: PolicyDocument): boolean {
  return !doc.targetGroups || doc.targetGroups.length === 0;
}

/** A strong ETag from the version and the envelope's bytes. */
function etagOf(version: number, envelope: string): string {
  return `"v${version}-${hashToken(envelope).slice(0, 16)}"`;
}

/** True when an `If-None-Match` header names the current ETag (weak comparison, RFC 9110 §13.1.2). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}
