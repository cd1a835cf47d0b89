/**
 * Device sync answers from the credential index: every change to a device's status,
 * group or owner — whatever path makes it — must reach its very next sync, and the index
 * must still write `lastSeenAt` as often as a store read would.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { registerWithLink } from '../helpers/passkey-flows.ts';
import { SoftAuthenticator } from '../helpers/soft-authenticator.ts';
import { hashToken } from '../../server/util/tokens.ts';
import { makeWorld, type World } from './support/world.ts';

let w: World | undefined;
afterEach(() => w?.t.close());

const sync = (world: World) => world.t.services.devices.syncDevice(world.device.credential);
const held = (world: World) =>
  world.t.services.devices.credentials.lookup(
    hashToken(world.device.credential),
    world.t.services.ctx.now(),
  );

describe('device sync through the credential index', () => {
  it('answers a known device from the index, not the store', async () => {
    w = await makeWorld();
    expect(await sync(w)).toMatchObject({ id: w.device.id, groupId: w.group.id });
    expect(held(w)).toMatchObject({ id: w.device.id });
    const read = w.t.services.ctx.store.getDeviceByCredential;
    let reads = 0;
    w.t.services.ctx.store.getDeviceByCredential = (h) => (reads++, read(h));
    expect(await sync(w)).toMatchObject({ id: w.device.id });
    expect(reads).toBe(0);
  });

  it.each([
    {
      change: 'an admin revokes it',
      act: (x: World) => x.admin.api.json('POST', `/api/v1/devices/${x.device.id}/revoke`),
      after: null,
    },
    {
      change: 'an admin wipes it',
      act: (x: World) => x.admin.api.json('POST', `/api/v1/devices/${x.device.id}/wipe`),
      after: null,
    },
    {
      change: "an admin rejects its owner's account",
      act: (x: World) => x.admin.api.json('POST', `/api/v1/users/${x.employee.user.id}/reject`),
      after: null,
    },
    {
      change: "an invite proves its unverified owner's email (the account is superseded)",
      act: async (x: World) => {
        const { link } = await x.admin.api.json<{ link: string }>('POST', '/api/v1/users/invite', {
          email: 'emil@example.com',
          role: 'employee',
          groupId: x.group.id,
        });
        await registerWithLink(x.t.client(), link, new SoftAuthenticator(), {
          name: 'Emil',
          email: 'emil@example.com',
        });
      },
      after: null,
    },
    {
      change: 'its owner moves to another group',
      act: async (x: World) => {
        const { group } = await x.admin.api.json<{ group: { id: string } }>(
          'POST',
          '/api/v1/groups',
          { name: 'Sales' },
        );
        await x.admin.api.json('PATCH', `/api/v1/users/${x.employee.user.id}`, {
          groupId: group.id,
        });
        return group.id;
      },
      after: 'moved',
    },
  ])('sees it at the next sync when $change', async ({ act, after }) => {
    w = await makeWorld();
    expect(await sync(w)).toMatchObject({ id: w.device.id });
    // What the relay tells other instances (each forgets the device on hearing it).
    const told: string[] = [];
    const push = w.t.services.ctx.push;
    w.t.services.ctx.push = Object.assign(Object.create(push) as typeof push, {
      revoked: (id: string, command: string | null) => (told.push(id), push.revoked(id, command)),
      wipe: (id: string, command: string) => (told.push(id), push.wipe(id, command)),
      moved: (id: string, g: string, v: number, command: string) => (
        told.push(id),
        push.moved(id, g, v, command)
      ),
    });
    const moved = await act(w);
    expect(told).toContain(w.device.id);
    const next = await sync(w);
    if (after === null) expect(next).toBeNull();
    else expect(next).toMatchObject({ id: w.device.id, groupId: moved });
  });

  it.each([
    {
      write: 'setDeviceStatus',
      act: (x: World) => x.t.services.ctx.store.setDeviceStatus(x.device.id, 'revoked'),
    },
    {
      write: 'assignDeviceUser',
      act: (x: World) => x.t.services.ctx.store.assignDeviceUser(x.device.id, x.employee.user.id),
    },
    {
      write: 'moveUserDevices',
      act: (x: World) => x.t.services.ctx.store.moveUserDevices(x.employee.user.id, x.group.id),
    },
    {
      write: 'deleteUnverifiedUser',
      act: (x: World) => x.t.services.ctx.store.deleteUnverifiedUser(x.employee.user.id),
    },
    {
      write: 'deleteUnverifiedUser, the entry predating a claim on another instance',
      act: (x: World) => {
        const index = x.t.services.devices.credentials;
        const stale = { id: x.device.id, groupId: x.group.id, userId: null }; // no owner then
        index.clear();
        index.remember(
          hashToken(x.device.credential),
          stale,
          index.generation,
          Date.now() + 60_000,
        );
        return x.t.services.ctx.store.deleteUnverifiedUser(x.employee.user.id);
      },
    },
  ])(
    'forgets the device on the store write $write, whichever service makes it',
    async ({ act }) => {
      w = await makeWorld();
      await sync(w);
      expect(held(w)).toBeDefined();
      await act(w);
      expect(held(w)).toBeUndefined();
    },
  );

  it('writes lastSeenAt once a minute, as a store read would', async () => {
    w = await makeWorld();
    await sync(w);
    const seen = async () => (await w!.t.services.ctx.store.getDevice(w!.device.id))!.lastSeenAt;
    const first = await seen();
    w.t.advance(30_000);
    await sync(w);
    expect(await seen()).toBe(first);
    w.t.advance(31_000);
    await sync(w);
    const later = await seen();
    expect(Date.parse(later!)).toBeGreaterThan(Date.parse(first!) + 60_000);
    expect(held(w)).toBeDefined();
  });
});
