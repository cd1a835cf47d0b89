import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDeviceCommand, type DeviceCommand } from '../../core/crypto/device-command.ts';
import type { SignedEnvelope } from '../../core/crypto/envelope.ts';
import { EMPTY_NONCE_LOG } from '../../core/crypto/nonce-log.ts';
import { parsePolicyPayload } from '../../core/policy/policy-payload.ts';
import { subtle } from '../../server/signing-key.ts';
import { makeWorldWithKey, newDevice, type PinnedKey, type World } from './support/world.ts';

const CHALLENGE = 'challenge-0123456789abcdef';

describe('signed device commands', () => {
  let w: World;
  let pinned: PinnedKey;
  beforeAll(async () => {
    ({ world: w, pinned } = await makeWorldWithKey());
  });
  afterAll(() => w.t.close());

  /** The commands a device credential gets, each verified as the extension would. */
  const commandsOf = async (credential: string, deviceId: string): Promise<DeviceCommand[]> => {
    const api = w.t.client({ origin: null, bearer: credential });
    const { commands } = await api.json<{ commands: unknown[] }>(
      'GET',
      `/api/v1/device/commands?challenge=${CHALLENGE}`,
    );
    const checked = await Promise.all(
      commands.map((c) =>
        verifyDeviceCommand(subtle, c, {
          pinned,
          deviceId,
          now: Date.now(),
          seen: EMPTY_NONCE_LOG,
          challenge: CHALLENGE,
        }),
      ),
    );
    return checked.map((c) => {
      if (!c.ok) throw new Error(c.message);
      return c.command;
    });
  };

  it('tells an active device its group and current version, bound to its challenge', async () => {
    const served = await w.t.services.envelopes.get(w.group.id);
    expect(await commandsOf(w.device.credential, w.device.id)).toEqual([
      expect.objectContaining({
        command: 'move',
        groupId: w.group.id,
        version: served!.version,
        challenge: CHALLENGE,
      }),
    ]);
  });

  it('tells a revoked device it is revoked, signed, though every other route refuses it', async () => {
    expect(await commandsOf(w.revokedDevice.credential, w.revokedDevice.id)).toMatchObject([
      { command: 'revoke' },
    ]);
    expect((await w.revokedDevice.api.get('/api/v1/device/policy')).status).toBe(401);
  });

  it('completes a pending wipe with a signed wipe, and repeats it to a device that lost the answer', async () => {
    const device = await newDevice(w.t, w.employee.api, 'to wipe');
    await w.admin.api.json('POST', `/api/v1/devices/${device.id}/wipe`);
    expect(await commandsOf(device.credential, device.id)).toMatchObject([{ command: 'wipe' }]);
    expect((await w.t.services.devices.get(device.id)).status).toBe('wiped');
    expect(await commandsOf(device.credential, device.id)).toMatchObject([{ command: 'wipe' }]);
  });

  it('wants a challenge of the right shape and a known credential', async () => {
    const bad = await w.device.api.get('/api/v1/device/commands?challenge=short');
    expect(bad.status).toBe(400);
    expect((await w.device.api.get('/api/v1/device/commands')).status).toBe(400);
    const unknown = w.t.client({ origin: null, bearer: 'no-such-credential' });
    expect((await unknown.get(`/api/v1/device/commands?challenge=${CHALLENGE}`)).status).toBe(401);
  });

  it('a move into a group whose envelope is older lands on a version above anything the device had', async () => {
    const admin = w.admin.api;
    const { group: strict } = await admin.json<{ group: { id: string } }>(
      'POST',
      '/api/v1/groups',
      {
        name: 'Strict',
      },
    );
    const strictAtCreation = (await w.t.services.envelopes.get(strict.id))!.version;
    // Several publishes for the Staff group afterwards: Staff is now far ahead of Strict.
    for (let i = 0; i < 3; i++) {
      await admin.json('PUT', `/api/v1/policies/${w.policyId}`, {
        document: { name: 'Baseline', urlBlocklist: [`v${i}.test`] },
      });
      await admin.json('POST', `/api/v1/policies/${w.policyId}/publish`);
    }
    const before = parsePolicyPayload(
      ((await w.device.api.json('GET', '/api/v1/device/policy')) as SignedEnvelope).payload,
    )!;
    expect(before.version).toBeGreaterThan(strictAtCreation);

    const { user } = await w.employee.api.json<{ user: { id: string } }>('GET', '/api/v1/auth/me');
    await admin.json('PATCH', `/api/v1/users/${user.id}`, { groupId: strict.id });

    const after = parsePolicyPayload(
      ((await w.device.api.json('GET', '/api/v1/device/policy')) as SignedEnvelope).payload,
    )!;
    expect(after.groupId).toBe(strict.id);
    expect(after.version).toBeGreaterThan(before.version);
    expect(await commandsOf(w.device.credential, w.device.id)).toMatchObject([
      { command: 'move', groupId: strict.id, version: after.version },
    ]);
  });
});
