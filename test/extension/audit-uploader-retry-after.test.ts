/**
 * The uploader and a server that answers 429 (the device is over its audit upload
 * limits): it waits the Retry-After — a forced kick too — then sends the same events, and
 * every event reaches the server exactly once, none dropped as "refused".
 */
import { describe, expect, it } from 'vitest';
import { FakeServer } from './fakes/fake-server.ts';
import { numberedEvent } from './fakes/numbered-event.ts';
import { enrolled, waitUntil } from './fakes/harness.ts';

describe('audit uploader and Retry-After', () => {
  it('waits the server’s Retry-After, then delivers the same batch once, nothing lost', async () => {
    const server = await FakeServer.create();
    await server.publish({});
    const h = await enrolled({ server });
    for (let i = 1; i <= 7; i++) await h.queue.put(numberedEvent(i));
    server.throttleAudits = { count: 2, retryAfter: '45' };
    await h.bg.uploader.kick({ force: true });
    expect(server.auditBatches).toHaveLength(1);
    expect(h.bg.uploader.backingOff).toBe(true);
    expect(h.timers.delays).toContain(45_000);
    expect(await h.queue.count()).toBe(7);

    // A forced kick (an alarm, a reconnect) inside the wait sends nothing.
    await h.bg.uploader.kick({ force: true });
    expect(server.auditBatches).toHaveLength(1);

    h.timers.advance(44_000);
    expect(server.auditBatches).toHaveLength(1);
    h.timers.advance(1_000); // the second answer is a 429 again
    await waitUntil(() => server.auditBatches.length === 2 && h.bg.uploader.backingOff);
    h.timers.advance(45_000);
    await waitUntil(async () => (await h.queue.count()) === 0);

    // The whole batch each time: not split, no event isolated and dropped as refused.
    expect(server.auditBatches.map((b) => b.length)).toEqual([7, 7, 7]);
    expect([...server.events.keys()].sort()).toEqual(
      Array.from({ length: 7 }, (_, i) => numberedEvent(i + 1).id),
    );
  });

  it('reads an HTTP-date Retry-After, and falls back to its backoff without one', async () => {
    const server = await FakeServer.create();
    await server.publish({});
    const h = await enrolled({ server });
    await h.queue.put(numberedEvent(1));
    server.throttleAudits = {
      count: 1,
      retryAfter: new Date(Date.now() + 120_000).toUTCString(),
    };
    await h.bg.uploader.kick({ force: true });
    const delay = h.timers.delays.find((d) => d > 115_000 && d <= 120_000);
    expect(delay).toBeDefined();
    h.timers.advance(delay!);
    await waitUntil(async () => (await h.queue.count()) === 0);

    await h.queue.put(numberedEvent(2));
    server.throttleAudits = { count: 1, retryAfter: '' };
    await h.bg.uploader.kick({ force: true });
    expect(h.timers.delays.some((d) => d >= 1_000 && d <= 2_000)).toBe(true);
    h.timers.advance(2_000);
    await waitUntil(async () => (await h.queue.count()) === 0);
    expect(server.events.size).toBe(2);
  });
});
