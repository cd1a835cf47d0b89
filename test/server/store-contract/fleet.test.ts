import { describe, expect, it } from 'vitest';
import { UniqueViolation } from '../../../server/store/store.ts';
import type { EnrollmentCodeRow } from '../../../server/store/types.ts';
import { at, backends, T0 } from './backends.ts';
import { device, group, seedUser } from './fixtures.ts';

const code = (id: string, patch: Partial<EnrollmentCodeRow> = {}): EnrollmentCodeRow => ({
  id,
  codeHash: `hash-${id}`,
  codeHint: id.slice(-4),
  emailDomain: null,
  groupId: 'g1',
  createdBy: null,
  createdAt: T0,
  expiresAt: null,
  maxUses: null,
  uses: 0,
  revoked: false,
  ...patch,
});

describe.each(backends())('store contract: groups and devices ($name)', (backend) => {
  it('keeps group names unique regardless of case and counts members', async () => {
    const store = await backend.open();
    await store.createGroup(group('g1', 'Staff'));
    await store.createGroup(group('g2', 'admins'));
    await expect(store.createGroup(group('g3', 'STAFF'))).rejects.toBeInstanceOf(UniqueViolation);
    expect(await store.getGroupByName('staff')).toEqual(group('g1', 'Staff'));
    await seedUser(store, 'u1', { groupId: 'g1' });
    await store.createDevice(device('d1', 'g1'), 'cred-1');
    await store.createDevice(device('d2', 'g1', { status: 'revoked' }), 'cred-2');
    expect(await store.listGroups()).toEqual([
      { ...group('g2', 'admins'), userCount: 0, deviceCount: 0 },
      { ...group('g1', 'Staff'), userCount: 1, deviceCount: 1 },
    ]);
  });

  it('counts enrollment-code uses up to the limit, exactly, under concurrency', async () => {
    const store = await backend.open();
    await store.createGroup(group('g1', 'Staff'));
    await store.createEnrollmentCode(code('c1', { maxUses: 3 }));
    const uses = await Promise.all(
      Array.from({ length: 10 }, () => store.useEnrollmentCode('c1', at(1))),
    );
    expect(uses.filter(Boolean)).toHaveLength(3);
    expect(await store.getEnrollmentCode('c1')).toMatchObject({ uses: 3, groupName: 'Staff' });
  });

  it('refuses expired and revoked codes; unlimited codes have no limit', async () => {
    const store = await backend.open();
    await store.createGroup(group('g1', 'Staff'));
    await store.createEnrollmentCode(code('exp', { expiresAt: at(100) }));
    await store.createEnrollmentCode(code('free', { createdAt: at(1) }));
    expect(await store.useEnrollmentCode('exp', at(99))).toBe(true);
    expect(await store.useEnrollmentCode('exp', at(100))).toBe(false);
    for (let i = 0; i < 5; i++) expect(await store.useEnrollmentCode('free', at(1))).toBe(true);
    expect(await store.revokeEnrollmentCode('free')).toBe(true);
    expect(await store.useEnrollmentCode('free', at(1))).toBe(false);
    expect(await store.revokeEnrollmentCode('nope')).toBe(false);
    expect(await store.getEnrollmentCodeByHash('hash-free')).toMatchObject({
      uses: 5,
      revoked: true,
    });
    expect((await store.listEnrollmentCodes()).map((c) => c.id)).toEqual(['free', 'exp']);
    await expect(
      store.createEnrollmentCode(code('dup', { codeHash: 'hash-exp' })),
    ).rejects.toBeInstanceOf(UniqueViolation);
  });

  it('finds devices by any of their credentials and filters the list literally', async () => {
    const store = await backend.open();
    await store.createGroup(group('g1', 'Staff'));
    await seedUser(store, 'u1', { name: 'Emil', groupId: 'g1' });
    const d1 = device('d1', 'g1', { userId: 'u1', name: '100% laptop' });
    await store.createDevice(d1, 'cred-1');
    await store.addDeviceCredential('d1', 'cred-1b', at(1));
    await store.createDevice(
      device('d2', 'g1', { name: 'kiosk', managed: true, enrolledAt: at(2) }),
      'cred-2',
    );
    expect(await store.getDeviceByCredential('cred-1b')).toEqual(d1);
    expect(await store.getDeviceByCredential('nope')).toBeNull();
    expect(await store.getDevice('d1')).toEqual({
      ...d1,
      userName: 'Emil',
      userEmail: 'u1@example.com',
      groupName: 'Staff',
    });
    const ids = async (filter: Parameters<typeof store.listDevices>[0]) =>
      (await store.listDevices(filter)).map((d) => d.id);
    expect(await ids({})).toEqual(['d2', 'd1']);
    expect(await ids({ q: '100%' })).toEqual(['d1']);
    expect(await ids({ q: '_' })).toEqual([]);
    expect(await ids({ q: 'EMIL' })).toEqual(['d1']);
    expect(await ids({ userId: 'u1' })).toEqual(['d1']);
    expect(await ids({ groupId: 'g1', status: 'active' })).toEqual(['d2', 'd1']);
  });

  it('updates status, last seen, client info and the applied version', async () => {
    const store = await backend.open();
    await store.createGroup(group('g1'));
    await store.createDevice(device('d1', 'g1'), 'cred-1');
    await store.setDeviceStatus('d1', 'wipe_pending');
    await store.touchDevice('d1', { lastSeenAt: at(1), extensionVersion: '1.2.3' });
    await store.touchDevice('d1', { lastSeenAt: at(2), browser: 'firefox' });
    await store.setAppliedVersion('d1', 7, at(3));
    expect(await store.getDeviceByCredential('cred-1')).toMatchObject({
      status: 'wipe_pending',
      extensionVersion: '1.2.3',
      browser: 'firefox',
      platform: 'linux',
      appliedVersion: 7,
      lastSeenAt: at(3),
    });
  });

  it("moves only a user's unmanaged devices to another group", async () => {
    const store = await backend.open();
    await store.createGroup(group('g1'));
    await store.createGroup(group('g2'));
    await seedUser(store, 'u1');
    await store.createDevice(device('own', 'g1', { userId: 'u1' }), 'c1');
    await store.createDevice(device('managed', 'g1', { userId: 'u1', managed: true }), 'c2');
    expect(await store.moveUserDevices('u1', 'g2')).toEqual(['own']);
    expect((await store.getDevice('own'))?.groupId).toBe('g2');
    expect((await store.getDevice('managed'))?.groupId).toBe('g1');
  });

  it('hands a pairing token out once, and never after it expired', async () => {
    const store = await backend.open();
    await store.createGroup(group('g1'));
    await seedUser(store, 'u1');
    await store.createDevice(device('d1', 'g1', { userId: 'u1' }), 'c1');
    const token = { tokenHash: 'p1', deviceId: 'd1', userId: 'u1', expiresAt: at(1000) };
    await store.createPairingToken(token);
    await store.createPairingToken({ ...token, tokenHash: 'p2', expiresAt: at(10) });
    const taken = await Promise.all(
      Array.from({ length: 8 }, () => store.takePairingToken('p1', at(1))),
    );
    expect(taken.filter((t) => t !== null)).toEqual([token]);
    expect(await store.takePairingToken('p2', at(10))).toBeNull();
    expect(await store.takePairingToken('p2', at(1))).toBeNull(); // gone: the expired take removed it
  });
});
