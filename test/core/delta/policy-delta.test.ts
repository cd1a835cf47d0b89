import { describe, expect, it } from 'vitest';
import type { Subtle } from '../../../core/crypto/webcrypto.ts';
import {
  applyPolicyDelta,
  parsePolicyDelta,
  policyDelta,
} from '../../../core/policy/policy-delta.ts';
import { parsePolicyPayload, type PolicyPayload } from '../../../core/policy/policy-payload.ts';
import type { EffectivePolicy } from '../../../core/policy/types.ts';

const subtle = globalThis.crypto.subtle as unknown as Subtle;

const payload = (version: number, urlBlocklist: string[], extra = {}): PolicyPayload => ({
  v: 1,
  version,
  issuedAt: `2026-12-04T00:00:0${version}.000Z`,
  groupId: 'g1',
  groupName: 'Staff',
  policy: {
    name: 'P',
    urlBlocklist,
    urlAllowlist: ['ok.example'],
    dataControls: [],
    ...extra,
  } as unknown as EffectivePolicy,
});

describe('policy deltas', () => {
  const base = payload(1, ['a.example', 'b.example', 'c.example']);
  const next = payload(2, ['a.example', 'c.example', 'd.example'], { auditUrlDetail: 'none' });
  const nextText = JSON.stringify(next);

  it('rebuild the next payload byte for byte, other fields included', async () => {
    const delta = await policyDelta(subtle, base, next, nextText);
    const wire = parsePolicyDelta(JSON.stringify(delta));
    expect(wire).not.toBeNull();
    const applied = await applyPolicyDelta(subtle, base, wire!);
    expect(applied).toMatchObject({ ok: true, text: nextText });
  });

  it('refuse another base version or group, and a result that is not the signed one', async () => {
    const delta = await policyDelta(subtle, base, next, nextText);
    expect(await applyPolicyDelta(subtle, { ...base, version: 3 }, delta)).toMatchObject({
      ok: false,
      code: 'wrong_base',
    });
    expect(await applyPolicyDelta(subtle, { ...base, groupId: 'g2' }, delta)).toMatchObject({
      ok: false,
      code: 'wrong_base',
    });
    // Same version, different lists: the edit fits but the hash does not.
    const other = payload(1, ['a.example', 'b.example', 'z.example']);
    expect(await applyPolicyDelta(subtle, other, delta)).toMatchObject({
      ok: false,
      code: 'bad_result',
    });
    const edited = { ...delta, rest: { ...delta.rest, auditUrlDetail: 'full' as const } };
    expect(await applyPolicyDelta(subtle, base, edited)).toMatchObject({
      ok: false,
      code: 'bad_result',
    });
  });

  it('is never taken for a full payload (no `v`, no `policy`), nor a full payload for a delta', async () => {
    const text = JSON.stringify(await policyDelta(subtle, base, next, nextText));
    expect(parsePolicyPayload(text)).toBeNull();
    expect(parsePolicyDelta(nextText)).toBeNull();
    expect(parsePolicyDelta(JSON.stringify({ ...JSON.parse(text), v: 1 }))).toBeNull();
  });

  it('refuse malformed list edits', async () => {
    const delta = await policyDelta(subtle, base, next, nextText);
    for (const bad of [
      { removed: [2, 1], at: [], added: [] },
      { removed: [], at: [0], added: [] },
      { removed: [-1], at: [], added: [] },
      { removed: [], at: [0], added: [7] },
    ]) {
      const text = JSON.stringify({ ...delta, lists: { ...delta.lists, urlBlocklist: bad } });
      expect(parsePolicyDelta(text)).toBeNull();
    }
  });
});
