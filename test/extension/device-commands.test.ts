import { describe, expect, it } from 'vitest';
import { FakeServer } from './fakes/fake-server.ts';
import { enrolled, recorded, waitUntil, type Harness } from './fakes/harness.ts';

const POLICY = { urlBlocklist: ['blocked.test'] };

/** A managed device with its first policy, and an audit event queued while offline. */
async function enforcing(): Promise<Harness> {
  const server = await FakeServer.create();
  await server.publish(POLICY);
  const h = await enrolled({ server });
  await waitUntil(() => h.bg.state.active?.version === 1);
  return h;
}

async function stillEnforcing(h: Harness): Promise<void> {
  expect(await h.bg.store.enrollment()).not.toBeNull();
  expect((await h.bg.store.status()).revoked).toBe(false);
  expect(h.bg.state.active?.urls.decide('https://blocked.test/').verdict).toBe('block');
  expect(h.platform.dnrRules.length).toBeGreaterThan(0);
}

const refusals = async (h: Harness) =>
  (await recorded(h)).filter((e) => e.detail?.reason === 'command_refused').map((e) => e.detail);

describe('commands only a signed answer can give', () => {
  it('an unsigned {"type":"wipe"} push frame drops nothing, and is audited', async () => {
    const h = await enforcing();
    h.sockets.at(-1)!.receive({ type: 'wipe' });
    await waitUntil(async () => (await refusals(h)).length > 0);
    expect(await refusals(h)).toContainEqual(
      expect.objectContaining({ code: 'unsigned', via: 'push', command: 'wipe' }),
    );
    await stillEnforcing(h);
  });

  it('a forged HTTP 410 device_wiped drops nothing when the server says the device is active', async () => {
    const h = await enforcing();
    h.server.forgePolicyError = { status: 410, code: 'device_wiped' };
    await h.bg.sync.sync();
    await stillEnforcing(h);
    expect(await refusals(h)).toContainEqual(
      expect.objectContaining({ code: 'unsigned', via: 'sync', command: 'wipe' }),
    );
  });

  it('a forged 401 device_revoked does not stop sync or uploads', async () => {
    const h = await enforcing();
    h.server.forgePolicyError = { status: 401, code: 'device_revoked' };
    await h.bg.sync.sync();
    h.server.forgePolicyError = null;
    await stillEnforcing(h);
    await h.server.publish({ urlBlocklist: ['blocked.test', 'more.test'] });
    expect(await h.bg.sync.sync()).toBe('updated');
  });

  it('keeps enforcing when the re-check gets no signed answer (proxy answers everything)', async () => {
    const h = await enforcing();
    h.server.forgePolicyError = { status: 410, code: 'device_wiped' };
    h.server.commandsOverride = { commands: [{ type: 'wipe' }] };
    await h.bg.sync.sync();
    await stillEnforcing(h);
    expect(await refusals(h)).toContainEqual(expect.objectContaining({ code: 'malformed' }));
    h.server.down = true; // or no answer at all
    h.sockets.at(-1)!.receive({ type: 'wipe' });
    await waitUntil(async () =>
      (await refusals(h)).some((d) => d?.code === 'unverified' || d?.code === 'unsigned'),
    );
    await stillEnforcing(h);
  });

  it('refuses a signed command for another device, a stale one and a replayed one', async () => {
    const h = await enforcing();
    const socket = h.sockets.at(-1)!;
    socket.receive({
      type: 'command',
      command: await h.server.command('wipe', { deviceId: 'someone-else' }),
    });
    socket.receive({
      type: 'command',
      command: await h.server.command('wipe', {
        issuedAt: new Date(Date.now() - 3600_000).toISOString(),
      }),
    });
    await waitUntil(async () => (await refusals(h)).length >= 2);
    expect((await refusals(h)).map((d) => d?.code)).toEqual(
      expect.arrayContaining(['wrong_device', 'stale']),
    );
    await stillEnforcing(h);

    const move = await h.server.command('move');
    // The same frame twice, back to back: the second is a replay.
    socket.receive({ type: 'command', command: move });
    socket.receive({ type: 'command', command: move });
    await waitUntil(async () => (await refusals(h)).some((d) => d?.code === 'replayed'));
  });

  it('a signed pushed wipe is acted on at once', async () => {
    const h = await enforcing();
    h.server.enrollmentCodes.clear(); // so the managed re-enrollment waits
    h.sockets.at(-1)!.receive({ type: 'command', command: await h.server.command('wipe') });
    await waitUntil(async () => (await h.bg.store.status()).wiped);
    expect(h.bg.state.active).toBeNull();
    expect(h.platform.dnrRules).toHaveLength(0);
    expect(await h.bg.store.enrollment()).toBeNull();
  });
});

describe('an envelope is for one group, and versions never go backwards', () => {
  it('refuses another group’s valid, newer envelope (an employee’s own from /me/policy)', async () => {
    const h = await enforcing();
    const lax = await h.server.sign({ urlBlocklist: [] }, 50, 'g-lax');
    expect(await h.bg.sync.sync({ envelope: lax, etag: '"lax"' })).toBe('refused');
    await stillEnforcing(h);
    const events = await recorded(h);
    expect(events.some((e) => e.detail?.reason === 'wrong_group')).toBe(true);
  });

  it('a signed move to a stricter group lands on its envelope, whatever the old version', async () => {
    const server = await FakeServer.create();
    await server.publish(POLICY, 9);
    const h = await enrolled({ server });
    await waitUntil(() => h.bg.state.active?.version === 9);
    // The server moves the device and re-signs the stricter group above every version.
    server.groupId = 'g-strict';
    await server.publish({ urlBlocklist: ['blocked.test', 'strict.test'] }, 10);
    h.sockets.at(-1)!.receive({ type: 'command', command: await server.command('move') });
    await waitUntil(() => h.bg.state.active?.payload.groupId === 'g-strict');
    expect(await h.bg.store.enrollment()).toMatchObject({ groupId: 'g-strict', minVersion: 10 });
    // An older envelope of the new group (signed before the move) is refused.
    const older = await server.sign({ urlBlocklist: [] }, 4, 'g-strict');
    expect(await h.bg.sync.sync({ envelope: older, etag: '"old"' })).toBe('refused');
    // And the old group's envelopes no longer apply.
    const oldGroup = await server.sign({ urlBlocklist: [] }, 11, 'g1');
    expect(await h.bg.sync.sync({ envelope: oldGroup, etag: '"g1"' })).toBe('refused');
    expect(h.bg.state.active?.urls.decide('https://strict.test/').verdict).toBe('block');
  });

  it('another group’s envelope while the device is being wiped: the signed wipe wins, nothing is installed', async () => {
    const h = await enforcing();
    h.server.enrollmentCodes.clear(); // keep the managed re-enrollment out of the picture
    h.server.status = 'wipe';
    const other = await h.server.sign({ urlBlocklist: [] }, 50, 'g-other');
    expect(await h.bg.sync.sync({ envelope: other, etag: '"o"' })).toBe('skipped');
    expect(h.bg.state.active).toBeNull();
    expect(await h.bg.store.enrollment()).toBeNull();
  });

  it('an enrollment made before groups were bound learns its group from the signed answer', async () => {
    const h = await enforcing();
    const { enrollment } = await h.platform.areas.local.get('enrollment');
    const { groupId: _dropped, ...legacy } = enrollment as Record<string, unknown>;
    await h.platform.areas.local.set({ enrollment: legacy });
    const lax = await h.server.sign({ urlBlocklist: [] }, 50, 'g-lax');
    expect(await h.bg.sync.sync({ envelope: lax, etag: '"lax"' })).toBe('refused');
    expect((await h.bg.store.enrollment())?.groupId).toBe('g1');
    await stillEnforcing(h);
  });

  it('a move missed while offline is confirmed by the signed answer before the new envelope applies', async () => {
    const h = await enforcing();
    h.server.groupId = 'g2';
    await h.server.publish({ urlBlocklist: ['blocked.test', 'g2.test'] }, 7);
    expect(await h.bg.sync.sync()).toBe('updated');
    expect(h.server.requests).toContain('GET /device/commands');
    expect(h.bg.state.active).toMatchObject({ version: 7, payload: { groupId: 'g2' } });
  });
});
