import { describe, expect, it } from 'vitest';
import { at, backends } from './backends.ts';
import { device, group, seedUser } from './fixtures.ts';

describe.each(backends())('store contract: housekeeping ($name)', (backend) => {
  it('counts rate-limit hits per key and window, exactly under concurrency', async () => {
    const store = await backend.open();
    const hits = await Promise.all(
      Array.from({ length: 10 }, () => store.hitRateLimit('login:1.2.3.4', at(0))),
    );
    expect([...hits].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await store.hitRateLimit('login:5.6.7.8', at(0))).toBe(1);
    expect(await store.hitRateLimit('login:1.2.3.4', at(60_000))).toBe(1); // a new window
    expect(await store.hitRateLimit('login:1.2.3.4', at(60_000))).toBe(2);
  });

  it('sweeps what expired, and nothing else', async () => {
    const store = await backend.open();
    await store.createGroup(group('g1'));
    await seedUser(store, 'u1');
    await store.createDevice(device('d1', 'g1', { userId: 'u1' }), 'c1');
    const session = { userId: 'u1', createdAt: at(0), lastSeenAt: at(0), passkeyId: null };
    await store.createSession({ ...session, tokenHash: 'old', expiresAt: at(100) });
    await store.createSession({ ...session, tokenHash: 'new', expiresAt: at(10_000) });
    await store.putChallenge({
      challenge: 'c-old',
      purpose: 'login',
      context: '{}',
      expiresAt: at(100),
    });
    await store.putChallenge({
      challenge: 'c-new',
      purpose: 'login',
      context: '{}',
      expiresAt: at(10_000),
    });
    await store.createPairingToken({
      tokenHash: 'p-old',
      deviceId: 'd1',
      userId: 'u1',
      expiresAt: at(100),
    });
    await store.hitRateLimit('stale', at(0));
    await store.hitRateLimit('fresh', at(7_200_000));
    await store.deleteExpired(at(7_200_000));
    expect(await store.getSession('old')).toBeNull();
    expect(await store.getSession('new')).toBeNull(); // 2 h later, it too had expired
    expect(await store.takeChallenge('c-old')).toBeNull();
    expect(await store.takePairingToken('p-old', at(0))).toBeNull();
    expect(await store.hitRateLimit('stale', at(0))).toBe(1); // its window was swept
    expect(await store.hitRateLimit('fresh', at(7_200_000))).toBe(2);
  });

  it('runs holders of the same lock one at a time', async () => {
    const store = await backend.open();
    const log: string[] = [];
    const hold = (name: string) =>
      store.withLock('envelopes', async () => {
        log.push(`${name} in`);
        await new Promise((r) => setTimeout(r, 30));
        log.push(`${name} out`);
        return name;
      });
    expect(await Promise.all([hold('a'), hold('b'), hold('c')])).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a in', 'a out', 'b in', 'b out', 'c in', 'c out']);
    // A holder that throws releases the lock.
    await expect(
      store.withLock('envelopes', () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom');
    expect(await store.withLock('envelopes', async () => 'free')).toBe('free');
  });
});
