import { DELTA_MEDIA_TYPE } from '../../contract/media-types.ts';
import { signEnvelope } from '../../core/crypto/envelope.ts';
import { mergePolicies } from '../../core/policy/merge-policies.ts';
import { policyDelta } from '../../core/policy/policy-delta.ts';
import { devicePolicy, type PolicyPayload } from '../../core/policy/policy-payload.ts';
import type { EffectivePolicy, PolicyDocument } from '../../core/policy/types.ts';
import { subtle } from '../signing-key.ts';
import type { GroupDeltaRow, GroupEnvelopeRow, GroupRow, LivePolicyRow } from '../store/types.ts';
import { hashToken } from '../util/tokens.ts';
import { isoNow, type ServiceContext } from './context.ts';

/** A signed delta as a push carries it: its JSON, and the ETag of the envelope it starts from. */
export type PushedDelta = Pick<GroupDeltaRow, 'baseEtag' | 'delta'>;

export interface ServedEnvelope {
  version: number;
  etag: string;
  /** The envelope's JSON, served byte for byte. */
  body: string;
}

/** The media type a device asks for (Accept) and gets when a delta is served. */

/** True when the Accept header asks for a delta. */
export function wantsDelta(accept: string | undefined): boolean {
  return accept !== undefined && accept.includes(DELTA_MEDIA_TYPE);
}

/**
 * The signed effective policy of each group: computed and signed at publish (and when a
 * group is created), stored, and cached here so the device sync's 304 path is a map
 * lookup. The cache is only a copy of the store: `fromStore` answers without it.
 */
export class EnvelopeService {
  private readonly cache = new Map<string, ServedEnvelope>();
  /** Per group, its stored deltas when they lead to the cached envelope's version. */
  private readonly deltaCache = new Map<string, { version: number; rows: GroupDeltaRow[] }>();
  /** Per group and base ETag, the chain body served (a publish's devices all ask the same). */
  private readonly chainCache = new Map<string, string | null>();
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
    this.chainCache.clear();
    if (!groupIds) {
      this.deltaCache.clear();
      return this.cache.clear();
    }
    for (const id of groupIds) {
      this.cache.delete(id);
      this.deltaCache.delete(id);
    }
  }

  /**
   * The signed deltas that take a device from the envelope it names in If-None-Match to
   * the group's current one, as `{"deltas":[…]}` — or null when there is no such chain (a
   * base the server never signed for this group, or older than the deltas kept) or when it
   * would not be smaller than the full envelope: then the device gets the full envelope.
   */
  async delta(groupId: string, ifNoneMatch: string | undefined): Promise<string | null> {
    if (!ifNoneMatch) return null;
    const served = await this.get(groupId);
    if (!served) return null;
    const key = `${groupId}\0${served.version}\0${ifNoneMatch}`;
    const hit = this.chainCache.get(key);
    if (hit !== undefined) return hit;
    const generation = this.generation;
    const { rows, complete } = await this.deltasTo(groupId, served.version);
    let body: string | null = null;
    // Each delta from the named base (one may lead nowhere: a publish that failed after its
    // deltas were stored) until one chain of consecutive deltas reaches the current version.
    for (let start = 0; start < rows.length && body === null; start++) {
      if (!etagMatches(ifNoneMatch, rows[start]!.baseEtag)) continue;
      const chain = [rows[start]!];
      for (let i = start + 1; i < rows.length && chain.at(-1)!.version !== served.version; i++) {
        if (rows[i]!.baseVersion === chain.at(-1)!.version) chain.push(rows[i]!);
      }
      if (chain.at(-1)!.version === served.version)
        body = `{"deltas":[${chain.map((r) => r.delta).join(',')}]}`;
    }
    if (body !== null && body.length >= served.body.length) body = null;
    // "No delta" is remembered only when the deltas read were complete.
    if (generation === this.generation && (body !== null || complete))
      this.chainCache.set(key, body);
    return body;
  }

  /**
   * The stored delta to the group's envelope `version` from the one before it, with that
   * base's ETag: what a push carries, so the devices that held the previous version need no
   * fetch at all. Null when there is no such delta.
   */
  async deltaTo(groupId: string, version: number): Promise<PushedDelta | null> {
    const last = (await this.deltasTo(groupId, version)).rows.at(-1);
    return last?.version === version ? last : null;
  }

  private async deltasTo(
    groupId: string,
    version: number,
  ): Promise<{ rows: GroupDeltaRow[]; complete: boolean }> {
    const hit = this.deltaCache.get(groupId);
    if (hit && hit.version === version) return { rows: hit.rows, complete: true };
    const generation = this.generation;
    const rows = await this.ctx.store.listGroupDeltas(groupId);
    // Complete once they reach the current envelope (a re-sign that failed to store its
    // delta leaves them short: then they are read again, never cached).
    const complete = rows.at(-1)?.version === version;
    if (generation === this.generation && complete) this.deltaCache.set(groupId, { version, rows });
    return { rows, complete };
  }

  /**
   * Signs and stores, for each group with an earlier envelope, the delta from that envelope
   * to its new one — before the new envelope is written, so no instance announces a version
   * whose delta is not there yet, and the devices that held the previous version fetch
   * kilobytes. A failure costs only bandwidth (devices then get the full envelope), so it is
   * logged, not thrown.
   */
  async storeDeltas(
    previous: (GroupEnvelopeRow | null)[],
    next: GroupEnvelopeRow[],
  ): Promise<void> {
    try {
      const rows: GroupDeltaRow[] = [];
      for (const row of next) {
        const base = previous.find((p) => p?.groupId === row.groupId);
        if (!base || base.version >= row.version) continue;
        rows.push(await this.signDelta(base, row));
      }
      if (rows.length > 0) await this.ctx.store.putGroupDeltas(rows);
    } catch (error) {
      this.ctx.log.warn('policy deltas not stored', { error: String(error) });
    }
  }

  private async signDelta(base: GroupEnvelopeRow, next: GroupEnvelopeRow): Promise<GroupDeltaRow> {
    const nextText = payloadText(next.envelope);
    const delta = await policyDelta(
      subtle,
      JSON.parse(payloadText(base.envelope)) as PolicyPayload,
      JSON.parse(nextText) as PolicyPayload,
      nextText,
    );
    const { keyId, privateJwk } = this.ctx.signingKey;
    return {
      groupId: next.groupId,
      baseVersion: base.version,
      baseEtag: base.etag,
      version: next.version,
      delta: JSON.stringify(await signEnvelope(subtle, JSON.stringify(delta), keyId, privateJwk)),
      createdAt: isoNow(this.ctx),
    };
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
      const previous = await store.getGroupEnvelope(groupId);
      const rows = await this.build([group], live, version);
      await this.storeDeltas([previous], rows);
      await store.putGroupEnvelopes(rows);
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

/** The signed payload text of a stored envelope. */
function payloadText(envelope: string): string {
  return (JSON.parse(envelope) as { payload: string }).payload;
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
