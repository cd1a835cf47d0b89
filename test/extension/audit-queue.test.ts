import { describe, expect, it } from 'vitest';
import { MemoryAuditQueue } from '../../extension/background/audit-queue.ts';
import { FakeServer } from './fakes/fake-server.ts';
import { numberedEvent } from './fakes/numbered-event.ts';
import { enrolled, startHarness, waitUntil } from './fakes/harness.ts';

describe('audit queue that loses nothing', () => {
  it('keeps events while the server is down and delivers each exactly once when it returns', async () => {
    const server = await FakeServer.create();
    await server.publish({});
    const h = await enrolled({ server });
    server.down = true;
    for (let i = 0; i < 3; i++) {
      await h.bg.recorder.record(
        { kind: 'print', level: 'BLOCK', outcome: 'blocked' },
        { auditUrlDetail: 'full' },
      );
    }
    await waitUntil(() => h.bg.uploader.backingOff);
    expect(await h.queue.count()).toBe(3);

    server.down = false;
    h.timers.advance(10 * 60_000);
    await waitUntil(async () => (await h.queue.count()) === 0);
    expect(server.events.size).toBe(3);
  });

  it('survives a worker restart: a new worker uploads what the old one queued', async () => {
    const server = await FakeServer.create();
    await server.publish({});
    const first = await enrolled({ server });
    server.down = true;
    await first.bg.recorder.record(
      { kind: 'print', level: 'WARN', outcome: 'proceeded' },
      { auditUrlDetail: 'full' },
    );
    await first.bg.recorder.record(
      { kind: 'upload', level: 'REPORT', outcome: 'allowed' },
      { auditUrlDetail: 'full' },
    );
    const ids = (await first.queue.oldest(10)).map((e) => e.id);

    server.down = false;
    const second = await startHarness({ restartOf: first });
    await waitUntil(async () => (await second.queue.count()) === 0);
    expect([...server.events.keys()].sort()).toEqual([...ids].sort());
  });

  it('retries a batch with the same ids, and the server dedupes them', async () => {
    const server = await FakeServer.create();
    await server.publish({});
    const h = await enrolled({ server });
    await h.queue.put(numberedEvent(1));
    // The server commits but the ack is lost: the extension retries the same batch.
    server.loseNextAuditAck = true;
    await h.bg.uploader.kick({ force: true });
    expect(await h.queue.count()).toBe(1);
    h.timers.advance(60_000);
    await waitUntil(async () => (await h.queue.count()) === 0);
    expect(server.auditBatches.filter((b) => b.includes('event-0001'))).toHaveLength(2);
    expect(server.events.size).toBe(1);
  });

  it('isolates an event the server refuses instead of blocking the queue', async () => {
    const server = await FakeServer.create();
    await server.publish({});
    const h = await enrolled({ server });
    server.down = true;
    for (let i = 1; i <= 5; i++) await h.queue.put(numberedEvent(i));
    server.down = false;
    server.rejectEventId = 'event-0003';
    await h.bg.uploader.kick({ force: true });
    await waitUntil(async () => (await h.queue.count()) === 0);
    expect([...server.events.keys()].sort()).toEqual([
      'event-0001',
      'event-0002',
      'event-0004',
      'event-0005',
    ]);
  });

  it('at the bound drops the oldest events and says how many on the next one', async () => {
    const q = new MemoryAuditQueue(3);
    for (let i = 1; i <= 5; i++) await q.put(numberedEvent(i));
    const kept = await q.oldest(10);
    expect(kept.map((e) => e.id)).toEqual(['event-0003', 'event-0004', 'event-0005']);
    expect(kept[1]?.detail).toEqual({ queueDropped: 1 });
    expect(await q.dropped()).toBe(2);
  });

  it('a re-put of the same id is a no-op', async () => {
    const q = new MemoryAuditQueue();
    await q.put(numberedEvent(1));
    await q.put(numberedEvent(1));
    expect(await q.count()).toBe(1);
  });
});
