import { describe, expect, it } from 'vitest';
import { at, backends } from './backends.ts';
import { device, group } from './fixtures.ts';

const KEY = '{"kty":"EC","crv":"P-256","x":"x","y":"y"}';

describe.each(backends())(
  'store contract: device keys, posture and presence ($name)',
  (backend) => {
    async function seeded() {
      const store = await backend.open();
      await store.createGroup(group('g1', 'Staff'));
      await store.createDevice(device('d1', 'g1'), 'cred-1');
      await store.createDevice(device('d2', 'g1'), 'cred-2');
      await store.createDevice(device('d3', 'g1', { status: 'revoked' }), 'cred-3');
      return store;
    }

    it('registers, replaces and drops a device key', async () => {
      const store = await seeded();
      expect(await store.getDeviceTrust('d1')).toBeNull();
      await store.setDeviceKey('d1', {
        publicKey: KEY,
        uninstallTokenHash: 'h1',
        createdAt: at(0),
      });
      expect(await store.getDeviceTrust('d1')).toEqual({
        deviceId: 'd1',
        publicKey: KEY,
        keyCreatedAt: at(0),
        uninstallTokenHash: 'h1',
        posture: null,
        postureAt: null,
        silentSince: null,
        removedAt: null,
      });
      await store.setDeviceKey('d1', {
        publicKey: '{"k":2}',
        uninstallTokenHash: 'h2',
        createdAt: at(1),
      });
      expect(await store.getDeviceTrust('d1')).toMatchObject({
        publicKey: '{"k":2}',
        uninstallTokenHash: 'h2',
      });
      await store.dropDeviceKey('d1');
      expect(await store.getDeviceTrust('d1')).toMatchObject({
        publicKey: null,
        uninstallTokenHash: null,
      });
    });

    it('stores posture, returning the row before, and clears silence', async () => {
      const store = await seeded();
      await store.setDeviceKey('d1', {
        publicKey: KEY,
        uninstallTokenHash: 'h1',
        createdAt: at(0),
      });
      expect(await store.putDevicePosture('d1', '{"a":1}', at(1))).toMatchObject({ posture: null });
      expect(await store.markSilentDevices(at(5), at(5))).toEqual(['d1']);
      const before = await store.putDevicePosture('d1', '{"a":2}', at(6));
      expect(before).toMatchObject({ posture: '{"a":1}', postureAt: at(1), silentSince: at(5) });
      expect(await store.getDeviceTrust('d1')).toMatchObject({
        posture: '{"a":2}',
        postureAt: at(6),
        silentSince: null,
      });
      // A device that never had a row gets one.
      expect(await store.putDevicePosture('d2', '{"b":1}', at(6))).toBeNull();
      expect((await store.listDeviceTrust()).map((r) => r.deviceId).sort()).toEqual(['d1', 'd2']);
    });

    it('marks silent only active devices with a key, quiet since before the cutoff, once', async () => {
      const store = await seeded();
      await store.setDeviceKey('d1', {
        publicKey: KEY,
        uninstallTokenHash: 'h1',
        createdAt: at(0),
      });
      await store.setDeviceKey('d3', {
        publicKey: KEY,
        uninstallTokenHash: 'h3',
        createdAt: at(0),
      });
      await store.putDevicePosture('d2', '{}', at(0)); // no key
      await store.putDevicePosture('d1', '{}', at(3));
      expect(await store.markSilentDevices(at(2), at(10))).toEqual([]);
      expect(await store.markSilentDevices(at(4), at(10))).toEqual(['d1']);
      expect(await store.markSilentDevices(at(4), at(11))).toEqual([]);
      expect((await store.getDeviceTrust('d1'))?.silentSince).toBe(at(10));
    });

    it('marks a device removed only with its current uninstall token, once', async () => {
      const store = await seeded();
      await store.setDeviceKey('d1', {
        publicKey: KEY,
        uninstallTokenHash: 'h1',
        createdAt: at(0),
      });
      expect(await store.markDeviceRemoved('d1', 'wrong', at(1))).toBe(false);
      expect(await store.markDeviceRemoved('d2', 'h1', at(1))).toBe(false);
      expect(await store.markDeviceRemoved('d1', 'h1', at(2))).toBe(true);
      expect(await store.markDeviceRemoved('d1', 'h1', at(3))).toBe(false);
      expect(await store.getDeviceTrust('d1')).toMatchObject({
        removedAt: at(2),
        publicKey: null,
        uninstallTokenHash: null,
      });
      expect(await store.markSilentDevices(at(9), at(9))).toEqual([]);
    });

    it('uses a device-proof challenge once, exactly, under concurrency; sweeps it after expiry', async () => {
      const store = await seeded();
      const uses = await Promise.all(
        Array.from({ length: 8 }, () => store.useDeviceProofChallenge('c1', at(5))),
      );
      expect(uses.filter(Boolean)).toHaveLength(1);
      await store.deleteExpired(at(6));
      expect(await store.useDeviceProofChallenge('c1', at(10))).toBe(true);
    });
  },
);
