import { describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../../core/policy/types.ts';
import {
  GROUP_DELTAS_KEPT,
  type GroupDeltaRow,
  type GroupEnvelopeRow,
  type PolicyRow,
} from '../../../server/store/types.ts';
import { at, backends, T0 } from './backends.ts';
import { group } from './fixtures.ts';

// Keys deliberately out of alphabetical order: the editor shows what the admin wrote.
const DOC = {
  urlBlocklist: ['example.com'],
  name: 'Baseline',
  targetGroups: ['Staff'],
} as PolicyDocument;

const policy = (id: string, patch: Partial<PolicyRow> = {}): PolicyRow => ({
  id,
  name: `Policy ${id}`,
  document: DOC,
  createdBy: null,
  createdAt: T0,
  updatedAt: T0,
  liveVersion: null,
  publishedAt: null,
  ...patch,
});

const envelope = (
  groupId: string,
  version: number,
  body = `{"v":${version}}`,
): GroupEnvelopeRow => ({
  groupId,
  version,
  envelope: body,
  etag: `"v${version}"`,
  updatedAt: at(version),
});

describe.each(backends())('store contract: policies and envelopes ($name)', (backend) => {
  it('keeps drafts with their documents as written', async () => {
    const store = await backend.open();
    await store.createPolicy(policy('p1'));
    await store.createPolicy(policy('p0', { name: 'another' }));
    const got = await store.getPolicy('p1');
    expect(got).toEqual(policy('p1'));
    expect(Object.keys(got!.document)).toEqual(['urlBlocklist', 'name', 'targetGroups']);
    const draft = { ...DOC, urlBlocklist: ['other.test'] } as PolicyDocument;
    await store.updatePolicyDraft('p1', { name: 'Renamed', document: draft, updatedAt: at(1) });
    expect(await store.getPolicy('p1')).toMatchObject({
      name: 'Renamed',
      document: draft,
      updatedAt: at(1),
    });
    expect((await store.listPolicies()).map((p) => p.id)).toEqual(['p0', 'p1']);
    expect(await store.getPolicy('nope')).toBeNull();
  });

  it('hands out each version number once, however many ask at once', async () => {
    const store = await backend.open();
    expect(await store.currentPolicyVersion()).toBe(0);
    const versions = await Promise.all(Array.from({ length: 10 }, () => store.nextPolicyVersion()));
    expect([...versions].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await store.currentPolicyVersion()).toBe(10);
  });

  it('publishes a version, its live pointer and the envelopes together', async () => {
    const store = await backend.open();
    await store.createGroup(group('g1', 'Staff'));
    await store.createGroup(group('g2', 'Other'));
    await store.createPolicy(policy('p1'));
    const version = await store.nextPolicyVersion();
    const row = { policyId: 'p1', version, document: DOC, publishedAt: at(1), publishedBy: null };
    await store.publishPolicy(row, [envelope('g1', version), envelope('g2', version)]);
    expect(await store.getPolicy('p1')).toMatchObject({ liveVersion: 1, publishedAt: at(1) });
    expect(await store.getPolicyVersion('p1', 1)).toEqual(row);
    expect(await store.listPolicyVersions('p1')).toEqual([row]);
    expect(await store.listLivePolicies()).toEqual([
      { policyId: 'p1', name: 'Policy p1', version: 1, document: DOC, createdAt: T0 },
    ]);
    expect(await store.getGroupEnvelope('g1')).toEqual(envelope('g1', 1));
    expect((await store.listGroupEnvelopes()).map((e) => e.groupId).sort()).toEqual(['g1', 'g2']);
  });

  it('writes nothing of a publish that fails', async () => {
    const store = await backend.open();
    await store.createGroup(group('g1'));
    await store.createPolicy(policy('p1'));
    const row = {
      policyId: 'p1',
      version: 1,
      document: DOC,
      publishedAt: at(1),
      publishedBy: null,
    };
    await store.publishPolicy(row, [envelope('g1', 1)]);
    // The same version again violates the primary key: the envelope must not move either.
    await expect(store.publishPolicy(row, [envelope('g1', 2)])).rejects.toThrow();
    expect((await store.getGroupEnvelope('g1'))?.version).toBe(1);
  });

  it('never moves an envelope back to an older version', async () => {
    const store = await backend.open();
    await store.createGroup(group('g1'));
    await store.putGroupEnvelopes([envelope('g1', 5)]);
    await store.putGroupEnvelopes([envelope('g1', 3)]);
    expect((await store.getGroupEnvelope('g1'))?.version).toBe(5);
    await store.putGroupEnvelopes([envelope('g1', 5, '{"resigned":true}')]);
    expect((await store.getGroupEnvelope('g1'))?.envelope).toBe('{"resigned":true}');
    // Racing writers end on the newest, whatever order they commit in.
    await Promise.all([4, 9, 6, 8, 7].map((v) => store.putGroupEnvelopes([envelope('g1', v)])));
    expect((await store.getGroupEnvelope('g1'))?.version).toBe(9);
    expect(await store.getGroupEnvelope('nope')).toBeNull();
  });

  it('keeps each group’s newest deltas, oldest first, and ignores a version stored twice', async () => {
    const store = await backend.open();
    const delta = (groupId: string, version: number, body = `{"d":${version}}`): GroupDeltaRow => ({
      groupId,
      baseVersion: version - 1,
      baseEtag: `"v${version - 1}"`,
      version,
      delta: body,
      createdAt: at(version),
    });
    const count = GROUP_DELTAS_KEPT + 3;
    for (let v = 2; v < 2 + count; v++) await store.putGroupDeltas([delta('g1', v)]);
    await store.putGroupDeltas([delta('g2', 5), delta('g1', 2 + count - 1, '{"again":true}')]);
    const kept = await store.listGroupDeltas('g1');
    expect(kept.map((d) => d.version)).toEqual(
      Array.from({ length: GROUP_DELTAS_KEPT }, (_, i) => 2 + count - GROUP_DELTAS_KEPT + i),
    );
    expect(kept.at(-1)).toEqual(delta('g1', 2 + count - 1));
    expect(await store.listGroupDeltas('g2')).toEqual([delta('g2', 5)]);
    expect(await store.listGroupDeltas('nope')).toEqual([]);
  });
});
