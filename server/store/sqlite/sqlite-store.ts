import { Mutex } from '../../util/mutex.ts';
import type { LockName, Store } from '../store.ts';
import { auditQueries } from './audit-queries.ts';
import { deviceTrustQueries } from './device-trust-queries.ts';
import { fleetQueries } from './fleet-queries.ts';
import { housekeepingQueries } from './housekeeping-queries.ts';
import { identityQueries } from './identity-queries.ts';
import { openDatabase, type Db } from './open-database.ts';
import { policyQueries } from './policy-queries.ts';
import { siemQueries } from './siem-queries.ts';

/**
 * The embedded store: one SQLite file in `dataDir`, opened and migrated here.
 * better-sqlite3 is synchronous; each method does its work at once and resolves, so a
 * multi-statement method is one uninterrupted transaction.
 */
export function openSqliteStore(dataDir: string): Store & { db: Db } {
  const db = openDatabase(dataDir);
  // One process owns the file, so an in-process queue per lock is the whole lock.
  const locks = new Map<LockName, Mutex>();
  return {
    db,
    withLock(name, fn) {
      let mutex = locks.get(name);
      if (!mutex) locks.set(name, (mutex = new Mutex()));
      return mutex.run(fn);
    },
    ...identityQueries(db),
    ...fleetQueries(db),
    ...policyQueries(db),
    ...auditQueries(db),
    ...housekeepingQueries(db),
    ...deviceTrustQueries(db),
    ...siemQueries(db),
    async close() {
      if (db.open) db.close();
    },
  };
}
