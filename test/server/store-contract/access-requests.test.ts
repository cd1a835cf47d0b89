import { describe, expect, it } from 'vitest';
import type { Store } from '../../../server/store/store.ts';
import type { AccessRequestRow } from '../../../server/store/types.ts';
import { at, backends, T0 } from './backends.ts';
import { device, group, seedUser } from './fixtures.ts';

const request = (id: string, patch: Partial<AccessRequestRow> = {}): AccessRequestRow => ({
  id,
  deviceId: 'd1',
  userId: 'u1',
  url: 'https://social.test',
  blockFilter: 'social.test',
  filter: '.social.test',
  reason: 'Customer support page',
  status: 'pending',
  scope: null,
  expiresAt: null,
  createdAt: T0,
  decidedAt: null,
  decidedBy: null,
  note: null,
  ...patch,
});

async function seed(store: Store) {
  await store.createGroup(group('g1'));
  await seedUser(store, 'u1');
  await store.createDevice(device('d1', 'g1', { userId: 'u1' }), 'cred-1');
  await store.createDevice(device('d2', 'g1', { userId: 'u1' }), 'cred-2');
  await store.createDevice(device('d3', 'g1'), 'cred-3');
}

const approve = (scope: 'user' | 'device', expiresAt: string | null) => ({
  status: 'approved' as const,
  scope,
  expiresAt,
  decidedAt: at(1000),
  decidedBy: 'ada@corp.test',
});

describe.each(backends())('store contract: access requests ($name)', (backend) => {
  it('stores a request and lists it with the device and user names, newest first', async () => {
    const store = await backend.open();
    await seed(store);
    await store.createAccessRequest(request('r1'));
    await store.createAccessRequest(
      request('r2', { createdAt: at(5), deviceId: 'd3', userId: null }),
    );
    expect(await store.getAccessRequest('r1')).toEqual({
      ...request('r1'),
      deviceName: 'Device d1',
      userName: 'User u1',
      userEmail: 'u1@example.com',
    });
    expect((await store.listAccessRequests({ limit: 10 })).map((r) => r.id)).toEqual(['r2', 'r1']);
    expect((await store.listAccessRequests({ userId: 'u1', limit: 10 })).map((r) => r.id)).toEqual([
      'r1',
    ]);
    expect(
      (await store.listAccessRequests({ deviceId: 'd3', limit: 10 })).map((r) => r.id),
    ).toEqual(['r2']);
    expect(await store.countPendingAccessRequests('d1')).toBe(1);
    expect(await store.getAccessRequest('nope')).toBeNull();
  });

  it('decides a request once: a second decision on a decided request changes nothing', async () => {
    const store = await backend.open();
    await seed(store);
    await store.createAccessRequest(request('r1'));
    const approved = await store.decideAccessRequest(
      'r1',
      'pending',
      approve('device', at(3_600_000)),
    );
    expect(approved).toMatchObject({
      status: 'approved',
      scope: 'device',
      expiresAt: at(3_600_000),
      decidedAt: at(1000),
      decidedBy: 'ada@corp.test',
    });
    expect(
      await store.decideAccessRequest('r1', 'pending', {
        status: 'denied',
        decidedAt: at(2000),
        decidedBy: 'bob@corp.test',
        note: 'no',
      }),
    ).toBeNull();
    expect((await store.listAccessRequests({ status: 'pending', limit: 10 })).length).toBe(0);
    expect(await store.countPendingAccessRequests('d1')).toBe(0);
    const revoked = await store.decideAccessRequest('r1', 'approved', {
      status: 'revoked',
      expiresAt: at(3_600_000),
      decidedAt: at(3000),
      decidedBy: 'bob@corp.test',
      note: 'no longer needed',
    });
    expect(revoked).toMatchObject({ status: 'revoked', scope: 'device', note: 'no longer needed' });
  });

  it('grants a device its own approvals and its user’s, until they expire', async () => {
    const store = await backend.open();
    await seed(store);
    await store.createAccessRequest(request('dev-hour'));
    await store.createAccessRequest(
      request('user-always', { createdAt: at(1), filter: '.a.test' }),
    );
    await store.createAccessRequest(
      request('other', { createdAt: at(2), deviceId: 'd3', userId: null }),
    );
    await store.createAccessRequest(request('denied', { createdAt: at(3) }));
    await store.createAccessRequest(request('pending', { createdAt: at(4) }));
    await store.decideAccessRequest('dev-hour', 'pending', approve('device', at(3_600_000)));
    await store.decideAccessRequest('user-always', 'pending', approve('user', null));
    await store.decideAccessRequest('other', 'pending', approve('device', null));
    await store.decideAccessRequest('denied', 'pending', {
      status: 'denied',
      decidedAt: at(1000),
      decidedBy: 'ada@corp.test',
      note: 'no',
    });
    const ids = async (deviceId: string, userId: string | null, now: string) =>
      (await store.listGrantedAccess(deviceId, userId, now)).map((r) => r.id);
    expect(await ids('d1', 'u1', at(2000))).toEqual(['dev-hour', 'user-always']);
    // Another device of the same user gets the user's approval, not the device's.
    expect(await ids('d2', 'u1', at(2000))).toEqual(['user-always']);
    expect(await ids('d3', null, at(2000))).toEqual(['other']);
    // Expired: no longer included.
    expect(await ids('d1', 'u1', at(3_600_000))).toEqual(['user-always']);
  });
});
