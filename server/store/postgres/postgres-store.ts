import type pg from 'pg';
import type { Store } from '../store.ts';
import { advisoryLocks } from './advisory-locks.ts';
import { auditQueries } from './audit-queries.ts';
import { deviceTrustQueries } from './device-trust-queries.ts';
import { createPool } from './create-pool.ts';
import { fleetQueries } from './fleet-queries.ts';
import { housekeepingQueries } from './housekeeping-queries.ts';
import { identityQueries } from './identity-queries.ts';
import { migrate } from './migrate.ts';
import { pgBroadcast, type ListenOptions } from './pg-broadcast.ts';
import { policyQueries } from './policy-queries.ts';
import { siemQueries } from './siem-queries.ts';
import { signingKeyQueries } from './signing-key-queries.ts';

export interface PostgresStoreOptions extends ListenOptions {
  /** Connections in this instance's pool (default 10). */
  poolSize?: number;
}

/**
 * The shared store: a PostgreSQL database that any number of server instances use at
 * once. Opening it runs the pending migrations (one instance at a time); nothing about
 * the data is kept in this process, so any request can land on any instance.
 *
 * @example
 * const store = await openPostgresStore('postgres://palisade@db.internal/palisade');
 */
export async function openPostgresStore(
  url: string,
  opts: PostgresStoreOptions = {},
): Promise<Store & { pool: pg.Pool }> {
  const pool = createPool(url, { max: opts.poolSize });
  try {
    await migrate(pool);
  } catch (err) {
    await pool.end();
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`PostgreSQL at ${redacted(url)}: ${message}`, { cause: err });
  }
  const { broadcast, close: stopListening } = pgBroadcast(url, pool, opts);
  let closing: Promise<void> | null = null;
  return {
    pool,
    ...identityQueries(pool),
    ...fleetQueries(pool),
    ...policyQueries(pool),
    ...auditQueries(pool),
    ...housekeepingQueries(pool),
    ...deviceTrustQueries(pool),
    ...siemQueries(pool),
    ...signingKeyQueries(pool),
    withLock: advisoryLocks(pool),
    broadcast,
    close: () =>
      (closing ??= (async () => {
        await stopListening();
        await pool.end();
      })()),
  };
}

/** The URL without its password, for error messages and logs. */
export function redacted(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the configured DATABASE_URL';
  }
}
