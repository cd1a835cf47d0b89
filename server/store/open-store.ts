import type { Config } from '../config.ts';
import { openSqliteStore } from './sqlite/sqlite-store.ts';
import type { Store } from './store.ts';

/** Picks the store from the configuration: SQLite in `dataDir` unless `DATABASE_URL` names PostgreSQL. */
export function openStore(config: Pick<Config, 'dataDir' | 'databaseUrl'>): Store {
  if (config.databaseUrl) {
    throw new Error(
      'DATABASE_URL is set, but the PostgreSQL store is not implemented yet; unset it to use SQLite',
    );
  }
  return openSqliteStore(config.dataDir);
}
