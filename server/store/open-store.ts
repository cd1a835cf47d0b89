import { isPostgresUrl } from './is-postgres-url.ts';
import { openPostgresStore } from './postgres/postgres-store.ts';
import { openSqliteStore } from './sqlite/sqlite-store.ts';
import type { Store } from './store.ts';

/**
 * Opens the store the configuration names, running its migrations: PostgreSQL when
 * `DATABASE_URL` is a `postgres://` or `postgresql://` URL (several instances may share
 * it), else the embedded SQLite database in `dataDir`.
 */
export async function openStore(config: {
  dataDir: string;
  databaseUrl: string | null;
  databasePoolSize?: number;
}): Promise<Store> {
  if (config.databaseUrl && isPostgresUrl(config.databaseUrl)) {
    return openPostgresStore(config.databaseUrl, { poolSize: config.databasePoolSize });
  }
  return openSqliteStore(config.dataDir);
}
