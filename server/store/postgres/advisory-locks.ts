import type pg from 'pg';
import { Mutex } from '../mutex.ts';
import type { LockName } from '../store.ts';

/**
 * PostgreSQL advisory lock keys, as the two-int form `(namespace, lock)`: the namespace
 * keeps Palisade's locks apart from any other application's on the same server.
 */
export const LOCK_NAMESPACE = 0x50414c49; // 'PALI'
export const LOCKS = {
  migrations: 1,
  auditChain: 2,
  envelopes: 3,
  signingKey: 4,
} as const;

/** Takes a transaction-scoped lock on the client's open transaction (released at COMMIT/ROLLBACK). */
export async function lockTransaction(client: pg.PoolClient, lock: number): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_NAMESPACE, lock]);
}

/**
 * `Store.withLock` on PostgreSQL: a session-level advisory lock held on one pooled
 * connection while `fn` runs (its own queries use other connections). Callers in this
 * process queue first, so at most one connection per instance waits on the lock — a
 * burst of callers cannot drain the pool that the holder needs to finish. If the
 * holder's process dies, PostgreSQL releases the lock with its session.
 */
export function advisoryLocks(pool: pg.Pool) {
  const queues = new Map<LockName, Mutex>();
  return function withLock<T>(name: LockName, fn: () => Promise<T>): Promise<T> {
    let queue = queues.get(name);
    if (!queue) queues.set(name, (queue = new Mutex()));
    return queue.run(async () => {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('SELECT pg_advisory_lock($1, $2)', [LOCK_NAMESPACE, LOCKS[name]]);
        try {
          return await fn();
        } finally {
          await client
            .query('SELECT pg_advisory_unlock($1, $2)', [LOCK_NAMESPACE, LOCKS[name]])
            .catch((err: unknown) => {
              broken = err instanceof Error ? err : new Error(String(err));
            });
        }
      } finally {
        client.release(broken);
      }
    });
  };
}
