import { describe, expect, it } from 'vitest';
import { StateStore } from '../../extension/background/state-store.ts';
import { FakePlatform } from './fakes/fake-platform.ts';

const stored = {
  envelope: { keyId: 'k1', alg: 'ES256' as const, payload: '{"v":1}', signature: 'sig' },
  etag: '"v7"',
  version: 7,
  appliedAt: '2026-12-04T00:00:00.000Z',
};

describe('StateStore policy head', () => {
  it('is written with the policy and removed with it', async () => {
    const platform = new FakePlatform();
    const store = new StateStore(platform.storage.local);
    expect(await store.policyHead()).toBeNull();
    await store.setPolicy(stored);
    expect((await platform.areas.local.get('policyHead')).policyHead).toEqual({
      etag: '"v7"',
      version: 7,
      appliedAt: stored.appliedAt,
    });
    expect(await store.policyHead()).toEqual({
      etag: '"v7"',
      version: 7,
      appliedAt: stored.appliedAt,
    });
    await store.clearPolicy();
    expect(await store.policyHead()).toBeNull();
    expect(await platform.areas.local.get('policyHead')).toEqual({});
  });

  it('is read from the policy itself when it was stored before heads were', async () => {
    const platform = new FakePlatform();
    await platform.areas.local.set({ policy: stored });
    const store = new StateStore(platform.storage.local);
    expect(await store.policyHead()).toEqual({
      etag: '"v7"',
      version: 7,
      appliedAt: stored.appliedAt,
    });
  });
});
