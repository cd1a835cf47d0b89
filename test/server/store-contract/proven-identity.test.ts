import { describe, expect, it } from 'vitest';
import { at, backends, T0 } from './backends.ts';
import { device, group, seedUser } from './fixtures.ts';

describe.each(backends())('store contract: proven identity ($name)', (backend) => {
  it('removes an unverified account with its passkeys and sessions, revoking its devices', async () => {
    const store = await backend.open();
    await store.createGroup(group('g1'));
    await seedUser(store, 'u1', { groupId: 'g1' });
    await seedUser(store, 'u2', { groupId: 'g1', emailVerified: true });
    await store.createDevice(device('d1', 'g1', { userId: 'u1' }), 'c1');
    await store.createPairingToken({
      tokenHash: 'p1',
      deviceId: 'd1',
      userId: 'u1',
      expiresAt: at(100),
    });
    const session = { userId: 'u1', createdAt: T0, lastSeenAt: T0, expiresAt: at(1000) };
    await store.createSession({ ...session, tokenHash: 's1', passkeyId: 'pk-u1' });

    expect(await store.deleteUnverifiedUser('u2')).toBe(false); // verified accounts stay
    expect(await store.getUser('u2')).not.toBeNull();
    expect(await store.deleteUnverifiedUser('u1')).toBe(true);
    expect(await store.getUser('u1')).toBeNull();
    expect(await store.listPasskeys('u1')).toEqual([]);
    expect(await store.getSession('s1')).toBeNull();
    expect(await store.takePairingToken('p1', at(0))).toBeNull();
    expect(await store.getDevice('d1')).toMatchObject({ status: 'revoked', userId: null });
    expect(await store.deleteUnverifiedUser('u1')).toBe(false);
  });

  it('verifies an email through updateUser and reads it back', async () => {
    const store = await backend.open();
    await seedUser(store, 'u1');
    expect(await store.getUser('u1')).toMatchObject({ emailVerified: false });
    expect(await store.updateUser('u1', { emailVerified: true })).toMatchObject({
      emailVerified: true,
    });
  });

  it('ends only the sessions a passkey started', async () => {
    const store = await backend.open();
    await seedUser(store, 'u1');
    const session = { userId: 'u1', createdAt: T0, lastSeenAt: T0, expiresAt: at(1000) };
    await store.createSession({ ...session, tokenHash: 'a', passkeyId: 'pk-a' });
    await store.createSession({ ...session, tokenHash: 'b', passkeyId: 'pk-b' });
    await store.deletePasskeySessions('pk-a');
    expect(await store.getSession('a')).toBeNull();
    expect(await store.getSession('b')).toMatchObject({ passkeyId: 'pk-b' });
  });

  it("sets a group's device limit", async () => {
    const store = await backend.open();
    await store.createGroup(group('g1'));
    expect(await store.updateGroup('g1', { maxDevicesPerUser: 2 })).toBe(true);
    expect(await store.getGroup('g1')).toMatchObject({ maxDevicesPerUser: 2 });
    expect(await store.updateGroup('nope', { maxDevicesPerUser: 2 })).toBe(false);
  });

  it('gives an unowned device to one user only, and keeps its claimed email', async () => {
    const store = await backend.open();
    await store.createGroup(group('g1'));
    await seedUser(store, 'u1');
    await seedUser(store, 'u2');
    await store.createDevice(
      device('d1', 'g1', { managed: true, claimedEmail: 'u1@example.com' }),
      'c1',
    );
    expect(await store.assignDeviceUser('d1', 'u1')).toBe(true);
    expect(await store.assignDeviceUser('d1', 'u1')).toBe(true); // already theirs
    expect(await store.assignDeviceUser('d1', 'u2')).toBe(false);
    expect(await store.getDevice('d1')).toMatchObject({
      userId: 'u1',
      claimedEmail: 'u1@example.com',
    });
  });

  it('hands out a device claim once, and not after it expired', async () => {
    const store = await backend.open();
    await seedUser(store, 'u1');
    await store.createDeviceClaim({ tokenHash: 'k1', userId: 'u1', expiresAt: at(100) });
    await store.createDeviceClaim({ tokenHash: 'k2', userId: 'u1', expiresAt: at(100) });
    const taken = await Promise.all([1, 2, 3].map(() => store.takeDeviceClaim('k1', at(1))));
    expect(taken.filter((t) => t !== null)).toEqual([
      { tokenHash: 'k1', userId: 'u1', expiresAt: at(100) },
    ]);
    expect(await store.takeDeviceClaim('k2', at(100))).toBeNull();
    await store.createDeviceClaim({ tokenHash: 'k3', userId: 'u1', expiresAt: at(100) });
    await store.deleteExpired(at(200));
    expect(await store.takeDeviceClaim('k3', at(0))).toBeNull();
  });
});
