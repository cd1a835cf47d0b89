import type { AuditEvent } from '../../core/audit/types.ts';

/**
 * The durable outbox of audit events. `put` resolves only once the event is stored, so an
 * enforcer that awaits it knows the event survives a worker or browser restart; events
 * leave only through `remove`, after the server acknowledged them.
 *
 * Bounded: at `MAX_QUEUED_EVENTS` the oldest events are dropped to make room (the newest
 * activity matters most during a long outage). The number dropped is kept, shown in the
 * popup, and attached to the next stored event as `detail.queueDropped`, so the server's
 * trail says that, and how many, events were lost instead of silently missing them.
 */
export interface AuditQueue {
  /** False for the in-memory fallback: events then die with the worker. */
  readonly durable: boolean;
  put(event: AuditEvent): Promise<void>;
  /** The oldest `limit` events, in the order they were queued. */
  oldest(limit: number): Promise<AuditEvent[]>;
  remove(ids: readonly string[]): Promise<void>;
  count(): Promise<number>;
  /** Total events dropped at the bound since install (or the last clear). */
  dropped(): Promise<number>;
  /** Wipe: forget every queued event. */
  clear(): Promise<void>;
}

export const MAX_QUEUED_EVENTS = 10_000;

/** Adds `queueDropped` to an event when earlier events were dropped at the bound. */
export function withDropNote(event: AuditEvent, pendingDropped: number): AuditEvent {
  if (pendingDropped <= 0) return event;
  return { ...event, detail: { ...event.detail, queueDropped: pendingDropped } };
}

/**
 * An in-memory queue with the same contract: for tests, and the fallback when IndexedDB
 * cannot be opened (then events live only as long as the worker; the popup shows it).
 */
export class MemoryAuditQueue implements AuditQueue {
  readonly durable = false;
  private events: AuditEvent[] = [];
  private droppedTotal = 0;

  constructor(private readonly max = MAX_QUEUED_EVENTS) {}

  async put(event: AuditEvent): Promise<void> {
    if (this.events.some((e) => e.id === event.id)) return;
    const overflow = Math.max(0, this.events.length + 1 - this.max);
    this.events.splice(0, overflow);
    this.droppedTotal += overflow;
    this.events.push(withDropNote(event, overflow));
  }

  async oldest(limit: number): Promise<AuditEvent[]> {
    return this.events.slice(0, limit);
  }

  async remove(ids: readonly string[]): Promise<void> {
    const gone = new Set(ids);
    this.events = this.events.filter((e) => !gone.has(e.id));
  }

  async count(): Promise<number> {
    return this.events.length;
  }

  async dropped(): Promise<number> {
    return this.droppedTotal;
  }

  async clear(): Promise<void> {
    this.events = [];
    this.droppedTotal = 0;
  }
}

/**
 * A queue usable before it is open: listeners are registered synchronously at worker
 * start, while IndexedDB opens asynchronously; each call waits for the open.
 */
export function deferredQueue(opening: Promise<AuditQueue>): AuditQueue {
  let durable = false;
  void opening.then((q) => (durable = q.durable));
  return {
    get durable() {
      return durable;
    },
    put: async (e) => (await opening).put(e),
    oldest: async (n) => (await opening).oldest(n),
    remove: async (ids) => (await opening).remove(ids),
    count: async () => (await opening).count(),
    dropped: async () => (await opening).dropped(),
    clear: async () => (await opening).clear(),
  };
}
