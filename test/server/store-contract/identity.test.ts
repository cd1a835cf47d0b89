import { describe, expect, it } from 'vitest';
import { UniqueViolation } from '../../../server/store/store.ts';
import { at, backends, T0 } from './backends.ts';
import { group, passkey, seedUser, user } from './fixtures.ts';

describe.each(backends())('store contract: people ($name)', (backend) => {
  it('creates a user with a passkey and finds them by id and by email in any case', async () => {
    const store = await backend.open();
    await store.createGroup(group('g1', 'Staff'));
    await seedUser(store, 'u1', { email: 'Ada@Example.com', groupId: 'g1', role: 'admin' });
    const byId = await store.getUser('u1');
    expect(byId).toEqual({
      ...user('u1', { email: 'Ada@Example.com', groupId: 'g1', role: 'admin' }),
      groupName: 'Staff',
    });
    expect((await store.getUserByEmail('ada@example.com'))?.id).toBe('u1');
    expect(await store.getUser('nobody')).toBeNull();
    expect(await store.countUsersWithRole('admin')).toBe(1);
    expect(await store.countUsersWithRole('auditor')).toBe(0);
  });

  it('refuses a second account for the same email, whatever its case, and writes nothing', async () => {
    const store = await backend.open();
    await seedUser(store, 'u1', { email: 'ada@example.com' });
    await expect(
      store.createUserWithPasskey(user('u2', { email: 'ADA@example.com' }), passkey('pk-2', 'u2')),
    ).rejects.toBeInstanceOf(UniqueViolation);
    expect(await store.getPasskey('pk-2')).toBeNull();
    expect((await store.listUsers()).map((u) => u.id)).toEqual(['u1']);
  });

  it('lists and updates users; a disabled admin does not count', async () => {
    const store = await backend.open();
    await store.createGroup(group('g1', 'Staff'));
    await seedUser(store, 'b', { name: 'bob', role: 'admin' });
    await seedUser(store, 'a', { name: 'Alice' });
    expect((await store.listUsers()).map((u) => u.name)).toEqual(['Alice', 'bob']);
    const updated = await store.updateUser('b', { disabled: true, groupId: 'g1', role: 'auditor' });
    expect(updated).toMatchObject({
      disabled: true,
      groupId: 'g1',
      groupName: 'Staff',
      role: 'auditor',
    });
    expect(await store.countUsersWithRole('auditor')).toBe(0);
    expect(await store.updateUser('b', {})).toMatchObject({ role: 'auditor' });
    expect(await store.updateUser('nobody', { role: 'admin' })).toBeNull();
  });

  it('keeps passkeys byte for byte, with large counters, and records their use', async () => {
    const store = await backend.open();
    await seedUser(store, 'u1');
    const key = passkey('pk-b', 'u1', {
      counter: 4_294_967_295,
      backedUp: false,
      createdAt: at(1),
    });
    await store.addPasskey(key);
    expect(await store.getPasskey('pk-b')).toEqual(key);
    await store.recordPasskeyUse('pk-b', {
      counter: 4_294_967_296,
      backedUp: true,
      lastUsedAt: at(5),
    });
    expect(await store.getPasskey('pk-b')).toMatchObject({
      counter: 4_294_967_296,
      backedUp: true,
      lastUsedAt: at(5),
    });
    expect((await store.listPasskeys('u1')).map((p) => p.id)).toEqual(['pk-u1', 'pk-b']);
    await expect(store.addPasskey(key)).rejects.toBeInstanceOf(UniqueViolation);
  });

  it('never deletes the last passkey, even when deletes race', async () => {
    const store = await backend.open();
    await seedUser(store, 'u1');
    const ids = ['pk-u1'];
    for (let i = 2; i <= 8; i++) {
      await store.addPasskey(passkey(`pk-${i}`, 'u1'));
      ids.push(`pk-${i}`);
    }
    const results = await Promise.all(ids.map((id) => store.deletePasskeyUnlessLast('u1', id)));
    expect(results.filter(Boolean)).toHaveLength(7);
    expect(await store.listPasskeys('u1')).toHaveLength(1);
    expect(await store.deletePasskeyUnlessLast('other', 'pk-u1')).toBe(false);
  });

  it('hands a challenge to exactly one of many concurrent takers', async () => {
    const store = await backend.open();
    const row = { challenge: 'c1', purpose: 'login', context: '{"a":1}', expiresAt: at(60_000) };
    await store.putChallenge(row);
    const taken = await Promise.all(Array.from({ length: 12 }, () => store.takeChallenge('c1')));
    expect(taken.filter((t) => t !== null)).toEqual([row]);
    expect(await store.takeChallenge('c1')).toBeNull();
  });

  it('uses an invite once, under concurrency, and only before it expires', async () => {
    const store = await backend.open();
    const invite = {
      tokenHash: 'h1',
      kind: 'invite' as const,
      email: 'a@example.com',
      role: 'auditor' as const,
      name: null,
      groupId: null,
      createdBy: null,
      createdAt: T0,
      expiresAt: at(60_000),
      usedAt: null,
    };
    await store.createInvite(invite);
    await store.createInvite({ ...invite, tokenHash: 'h2', expiresAt: at(10) });
    expect(await store.getInvite('h1')).toEqual(invite);
    const used = await Promise.all(Array.from({ length: 12 }, () => store.useInvite('h1', at(1))));
    expect(used.filter((u) => u !== null)).toEqual([{ ...invite, usedAt: at(1) }]);
    expect(await store.useInvite('h2', at(10))).toBeNull(); // expired at that instant
    await store.deleteUnusedInvites('invite');
    expect(await store.getInvite('h2')).toBeNull();
    expect(await store.getInvite('h1')).not.toBeNull(); // used ones stay
  });

  it('keeps sessions until deleted, one by one or all of a user', async () => {
    const store = await backend.open();
    await seedUser(store, 'u1');
    const s = {
      tokenHash: 's1',
      userId: 'u1',
      createdAt: T0,
      lastSeenAt: T0,
      expiresAt: at(1000),
      passkeyId: null,
    };
    await store.createSession(s);
    await store.createSession({ ...s, tokenHash: 's2' });
    await store.touchSession('s1', at(5));
    expect(await store.getSession('s1')).toEqual({ ...s, lastSeenAt: at(5) });
    await store.deleteSession('s1');
    expect(await store.getSession('s1')).toBeNull();
    await store.deleteUserSessions('u1');
    expect(await store.getSession('s2')).toBeNull();
  });
});
