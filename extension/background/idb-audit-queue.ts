import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { AuditEvent } from '../../core/audit/types.ts';
import { MAX_QUEUED_EVENTS, withDropNote, type AuditQueue } from './audit-queue.ts';

interface QueueSchema extends DBSchema {
  /** Auto-increment key = queue order; `id` is unique so a re-put is a no-op. */
  events: { key: number; value: { event: AuditEvent }; indexes: { id: string } };
  meta: { key: 'dropped'; value: number };
}

/**
 * The audit queue in IndexedDB. Each `put` is one readwrite transaction that also applies
 * the bound, and resolves on the transaction's `complete`: the event is on disk before the
 * enforcer that recorded it returns.
 */
export class IdbAuditQueue implements AuditQueue {
  readonly durable = true;

  private constructor(
    private readonly db: IDBPDatabase<QueueSchema>,
    private readonly max: number,
  ) {}

  static async open(name = 'palisade-audit', max = MAX_QUEUED_EVENTS): Promise<IdbAuditQueue> {
    const db = await openDB<QueueSchema>(name, 1, {
      upgrade(db) {
        const events = db.createObjectStore('events', { autoIncrement: true });
        events.createIndex('id', 'event.id', { unique: true });
        db.createObjectStore('meta');
      },
    });
    return new IdbAuditQueue(db, max);
  }

  async put(event: AuditEvent): Promise<void> {
    const tx = this.db.transaction(['events', 'meta'], 'readwrite');
    const events = tx.objectStore('events');
    if ((await events.index('id').count(event.id)) > 0) return tx.done;
    let overflow = (await events.count()) + 1 - this.max;
    let dropped = 0;
    for (let cursor = await events.openCursor(); cursor && overflow > 0; overflow--, dropped++) {
      await cursor.delete();
      cursor = await cursor.continue();
    }
    if (dropped > 0) {
      const meta = tx.objectStore('meta');
      await meta.put(((await meta.get('dropped')) ?? 0) + dropped, 'dropped');
    }
    await events.add({ event: withDropNote(event, dropped) });
    await tx.done;
  }

  async oldest(limit: number): Promise<AuditEvent[]> {
    const out: AuditEvent[] = [];
    const tx = this.db.transaction('events');
    for (let c = await tx.store.openCursor(); c && out.length < limit; c = await c.continue()) {
      out.push(c.value.event);
    }
    await tx.done;
    return out;
  }

  async remove(ids: readonly string[]): Promise<void> {
    const tx = this.db.transaction('events', 'readwrite');
    for (const id of ids) {
      const key = await tx.store.index('id').getKey(id);
      if (key !== undefined) await tx.store.delete(key);
    }
    await tx.done;
  }

  count(): Promise<number> {
    return this.db.count('events');
  }

  async dropped(): Promise<number> {
    return (await this.db.get('meta', 'dropped')) ?? 0;
  }

  async clear(): Promise<void> {
    const tx = this.db.transaction(['events', 'meta'], 'readwrite');
    await Promise.all([tx.objectStore('events').clear(), tx.objectStore('meta').clear(), tx.done]);
  }
}
