import type { Db } from './open-database.ts';

interface Pending<A, R> {
  args: A;
  resolve(value: R): void;
  reject(error: unknown): void;
}

/**
 * Group commit: calls made in the same turn of the event loop run in ONE transaction, so
 * one fsync acknowledges them all (synchronous=FULL makes every commit durable, and the
 * commit, not the inserts, is what costs). Each call keeps its own atomicity through a
 * savepoint (better-sqlite3 nests transaction functions as savepoints): one that throws
 * is rolled back alone and rejected; the others commit. Promises resolve only after the
 * commit, so an acknowledgement still means "on disk".
 */
export function groupCommit<A, R>(db: Db, run: (args: A) => R): (args: A) => Promise<R> {
  const one = db.transaction(run);
  const many = db.transaction((batch: Pending<A, R>[]) =>
    batch.map((p) => {
      try {
        return { ok: true as const, value: one(p.args) };
      } catch (error) {
        return { ok: false as const, error };
      }
    }),
  );
  let queue: Pending<A, R>[] = [];

  const flush = () => {
    const batch = queue;
    queue = [];
    let results: ReturnType<typeof many>;
    try {
      results = many(batch);
    } catch (error) {
      // The commit itself failed: nothing of the batch is stored.
      for (const p of batch) p.reject(error);
      return;
    }
    results.forEach((r, i) => (r.ok ? batch[i]!.resolve(r.value) : batch[i]!.reject(r.error)));
  };

  return (args) =>
    new Promise<R>((resolve, reject) => {
      if (queue.push({ args, resolve, reject }) === 1) setImmediate(flush);
    });
}
