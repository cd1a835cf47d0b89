import type pg from 'pg';
import { inTransaction } from './in-transaction.ts';
import { LOCKS, lockTransaction } from './advisory-locks.ts';
import { MIGRATIONS } from './migrations.ts';

/**
 * Brings the schema up to date in one transaction. Instances starting together all call
 * this; the advisory lock lets the first migrate while the others wait and then find
 * nothing left to do. A schema newer than this server refuses to start it.
 */
export async function migrate(pool: pg.Pool): Promise<number> {
  return inTransaction(pool, async (client) => {
    await lockTransaction(client, LOCKS.migrations);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ v: number | null }>(
      'SELECT max(version) AS v FROM schema_migrations',
    );
    const current = rows[0]?.v ?? 0;
    if (current > MIGRATIONS.length) {
      throw new Error(
        `the database schema (version ${current}) is newer than this server (${MIGRATIONS.length}); upgrade the server`,
      );
    }
    for (let v = current; v < MIGRATIONS.length; v++) {
      await client.query(MIGRATIONS[v]!);
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [v + 1]);
    }
    return MIGRATIONS.length;
  });
}
