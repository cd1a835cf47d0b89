import { describe, expect, it } from 'vitest';
import { generateSigningKeyPair, signEnvelope } from '../../core/crypto/envelope.ts';
import { FakeServer, subtle } from './fakes/fake-server.ts';
import { enrolled, startHarness, waitUntil } from './fakes/harness.ts';

const POLICY = { urlBlocklist: ['blocked.test'], urlAllowlist: ['blocked.test/ok'] };

describe('enrollment and policy sync', () => {
  it('enrolls from managed storage, verifies the signed policy and applies it as DNR rules in one call', async () => {
    const server = await FakeServer.create();
    await server.publish(POLICY);
    const h = await enrolled({ server });
    await waitUntil(() => server.acks.includes(1));

    const enrollment = await h.bg.store.enrollment();
    expect(enrollment).toMatchObject({
      serverUrl: server.origin,
      via: 'managed',
      publicKey: { keyId: server.keys.keyId },
    });
    expect(h.bg.state.active?.version).toBe(1);
    expect(h.platform.dnrUpdates).toHaveLength(1);
    expect(h.platform.dnrRules.length).toBeGreaterThan(0);
    expect(h.platform.dnrRules.some((r) => r.action.type === 'redirect')).toBe(true);
    expect((await h.bg.store.status()).ackedVersion).toBe(1);
  });

  it('changes only the rules that differ, in a single update, on the next publish', async () => {
    const server = await FakeServer.create();
    await server.publish(POLICY);
    const h = await enrolled({ server });
    const before = h.platform.dnrRules.map((r) => r.id);
    await server.publish({ urlBlocklist: ['other.test', 'third.test'] });
    expect(await h.bg.sync.sync()).toBe('updated');
    const last = h.platform.dnrUpdates.at(-1)!;
    expect(h.platform.dnrUpdates).toHaveLength(2);
    // The rules both policies compile to (the irregular-authority allow) stay.
    expect(last.removeRuleIds.length).toBeGreaterThan(0);
    expect(last.removeRuleIds.length).toBeLessThan(before.length);
    // The set installed equals what a device given only the new policy installs.
    const fresh = await enrolled({ server });
    const content = (rules: typeof h.platform.dnrRules) =>
      rules.map(({ id: _id, ...rule }) => JSON.stringify(rule)).sort();
    expect(content(h.platform.dnrRules)).toEqual(content(fresh.platform.dnrRules));
    expect(new Set(h.platform.dnrRules.map((r) => r.id)).size).toBe(h.platform.dnrRules.length);
    expect(h.bg.state.active?.urls.decide('https://blocked.test/').verdict).toBe('allow');
    expect(h.bg.state.active?.urls.decide('https://other.test/').verdict).toBe('block');
  });

  it('sends If-None-Match and keeps the policy on 304', async () => {
    const server = await FakeServer.create();
    await server.publish(POLICY);
    const h = await enrolled({ server });
    expect(await h.bg.sync.sync()).toBe('unchanged');
    expect(h.platform.dnrUpdates).toHaveLength(1);
    expect((await h.bg.store.status()).lastSyncAt).toBeDefined();
  });

  it('refuses a policy signed with another key, keeps the old one and records a policy event', async () => {
    const server = await FakeServer.create();
    await server.publish(POLICY);
    const h = await enrolled({ server });
    const rogue = await generateSigningKeyPair(subtle);
    const payload = JSON.stringify({
      v: 1,
      version: 9,
      groupId: 'g1',
      policy: { urlBlocklist: [], urlAllowlist: [], dataControls: [] },
    });
    server.override = await signEnvelope(subtle, payload, server.keys.keyId, rogue.privateJwk);

    expect(await h.bg.sync.sync()).toBe('refused');
    expect(h.bg.state.active?.version).toBe(1);
    expect(h.platform.dnrUpdates).toHaveLength(1);
    const [event] = await h.queue.oldest(10);
    expect(event).toMatchObject({
      kind: 'policy',
      level: 'BLOCK',
      outcome: 'blocked',
      detail: { reason: 'bad_signature' },
    });
    expect((await h.bg.store.status()).lastSyncError).toMatch(/refused/);
  });

  it('refuses a tampered payload and an older (replayed) version', async () => {
    const server = await FakeServer.create();
    const old = await server.publish(POLICY);
    const oldEnvelope = server.envelope!;
    await server.publish({ urlBlocklist: ['x.test'] });
    const h = await enrolled({ server });
    await waitUntil(() => h.bg.state.active?.version === 2);

    server.override = {
      ...server.envelope!,
      payload: server.envelope!.payload.replace('x.test', 'y.test'),
    };
    expect(await h.bg.sync.sync()).toBe('refused');
    server.override = oldEnvelope;
    expect(old.version).toBe(1);
    expect(await h.bg.sync.sync()).toBe('refused');
    expect(h.bg.state.active?.version).toBe(2);
  });

  it('re-verifies the stored policy when the worker restarts, and keeps enforcing offline', async () => {
    const server = await FakeServer.create();
    await server.publish(POLICY);
    const first = await enrolled({ server });
    server.down = true;
    const second = await startHarness({ restartOf: first });
    expect(second.bg.state.active?.version).toBe(1);
    expect(second.bg.state.active?.urls.decide('https://blocked.test/x').verdict).toBe('block');
    // The rules were already this version's: no needless update at start.
    expect(second.platform.dnrUpdates).toHaveLength(0);
  });

  it('refuses a tampered policy in storage at start-up', async () => {
    const server = await FakeServer.create();
    await server.publish(POLICY);
    const first = await enrolled({ server });
    const stored = (await first.platform.areas.local.get('policy')).policy as {
      envelope: { payload: string };
    };
    stored.envelope.payload = stored.envelope.payload.replace('blocked.test', 'nothing.test');
    await first.platform.areas.local.set({ policy: stored });
    server.down = true;

    const second = await startHarness({ restartOf: first });
    expect(second.bg.state.active).toBeNull();
    expect(await second.bg.store.policy()).toBeNull();
    const events = await second.queue.oldest(10);
    expect(events.some((e) => e.kind === 'policy' && e.detail?.stored === true)).toBe(true);
  });

  it('on revocation stops syncing but keeps enforcing the last policy', async () => {
    const server = await FakeServer.create();
    await server.publish(POLICY);
    const h = await enrolled({ server });
    server.status = 'revoked';
    await h.bg.sync.sync();
    expect((await h.bg.store.status()).revoked).toBe(true);
    const requests = server.requests.length;
    expect(await h.bg.sync.sync()).toBe('skipped');
    await h.bg.tick();
    expect(server.requests.length).toBe(requests);
    expect(h.bg.state.active?.urls.decide('https://blocked.test/').verdict).toBe('block');
    expect(h.platform.dnrRules.length).toBeGreaterThan(0);
  });

  it('on a signed wipe drops the policy, the rules, the queue and the enrollment, then a managed browser enrolls afresh', async () => {
    const server = await FakeServer.create();
    await server.publish(POLICY);
    const h = await enrolled({ server });
    await h.bg.recorder.record(
      { kind: 'print', level: 'BLOCK', outcome: 'blocked' },
      { auditUrlDetail: 'full' },
    );
    server.status = 'wipe';
    server.enrollmentCodes.delete('ENROLL-CODE'); // the admin revoked the code, for now
    await h.bg.sync.sync(); // 410, confirmed by the signed wipe of GET /device/commands
    await waitUntil(async () => (await h.bg.store.status()).wiped);
    expect(h.bg.state.active).toBeNull();
    expect(h.platform.dnrRules).toHaveLength(0);
    expect(await h.queue.count()).toBe(0);
    expect(await h.bg.store.enrollment()).toBeNull();
    // With the code usable again, the managed browser comes back as a new device.
    server.status = 'active';
    server.enrollmentCodes.add('ENROLL-CODE');
    await h.bg.tick();
    await waitUntil(async () => (await h.bg.store.enrollment())?.deviceId === 'dev-2');
    await waitUntil(() => h.bg.state.active?.version === 1);
  });

  it('waits for managed values that arrive late', async () => {
    const server = await FakeServer.create();
    await server.publish(POLICY);
    const h = await startHarness({ server });
    expect(await h.bg.store.enrollment()).toBeNull();
    h.platform.setManaged({
      serverUrl: `${server.origin}/`,
      enrollmentCode: 'ENROLL-CODE',
      userEmail: 'emma@corp.test',
    });
    await waitUntil(() => h.bg.state.active?.version === 1);
    expect((await h.bg.store.enrollment())?.serverUrl).toBe(server.origin);
  });
});

describe('a policy carried by the push message', () => {
  it('is verified and applied without a fetch', async () => {
    const server = await FakeServer.create();
    await server.publish(POLICY);
    const h = await enrolled({ server });
    await server.publish({ urlBlocklist: ['pushed.test'] });
    const fetchesBefore = server.requests.filter((r) =>
      r.startsWith('GET /api/v1/device/policy'),
    ).length;
    expect(await h.bg.sync.sync({ envelope: server.envelope, etag: '"v2"' })).toBe('updated');
    expect(server.requests.filter((r) => r.startsWith('GET /api/v1/device/policy')).length).toBe(
      fetchesBefore,
    );
    expect(h.bg.state.active?.version).toBe(2);
    expect(h.bg.state.active?.urls.decide('https://pushed.test/').verdict).toBe('block');
    expect(server.acks).toContain(2);
  });

  it('is refused when tampered with, like a fetched one', async () => {
    const server = await FakeServer.create();
    await server.publish(POLICY);
    const h = await enrolled({ server });
    await server.publish({ urlBlocklist: [] });
    const tampered = {
      ...server.envelope!,
      payload: server.envelope!.payload.replace('"version":2', '"version":3'),
    };
    expect(await h.bg.sync.sync({ envelope: tampered, etag: '"v3"' })).toBe('refused');
    expect(h.bg.state.active?.version).toBe(1);
  });
});
