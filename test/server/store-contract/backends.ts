import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach } from 'vitest';
import { openPostgresStore } from '../../../server/store/postgres/postgres-store.ts';
import { openSqliteStore } from '../../../server/store/sqlite/sqlite-store.ts';
import type { Store } from '../../../server/store/store.ts';
import { startPostgres, type TestPostgres } from '../../helpers/postgres.ts';

export interface Backend {
  name: 'sqlite' | 'postgres';
  /** A fresh, empty, migrated store; closed after the test. */
  open(): Promise<Store>;
  /** Another store on the same database as the last `open()` — a second instance (PostgreSQL only). */
  openSibling(): Promise<Store>;
  /** Runs raw SQL on the last opened database, as someone bypassing the store would. */
  raw(sql: string): Promise<void>;
}

/**
 * The two store implementations the contract runs against. PostgreSQL is a throwaway
 * cluster started on first use and stopped after the file (one per test file); each test
 * gets its own database, each SQLite test its own directory. Call at the top of a test
 * file; use with `describe.each(backends())`.
 */
export function backends(): Backend[] {
  let cluster: Promise<TestPostgres> | null = null;
  let opened: { store: Store; cleanup?: () => void }[] = [];
  let lastUrl = '';
  let lastSqlite: ReturnType<typeof openSqliteStore> | null = null;

  beforeEach(() => {
    opened = [];
  });
  afterEach(async () => {
    for (const { store, cleanup } of opened.reverse()) {
      await store.close();
      cleanup?.();
    }
  });
  afterAll(async () => {
    await cluster?.then(
      (c) => c.stop(),
      () => undefined, // the tests already failed with the reason
    );
  });

  const track = <T extends Store>(store: T, cleanup?: () => void) => {
    opened.push({ store, cleanup });
    return store;
  };

  return [
    {
      name: 'sqlite',
      async open() {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'palisade-contract-'));
        lastSqlite = openSqliteStore(dir);
        return track(lastSqlite, () => fs.rmSync(dir, { recursive: true, force: true }));
      },
      async openSibling() {
        throw new Error('SQLite is one process: there is no second instance');
      },
      async raw(sql) {
        lastSqlite!.db.exec(sql);
      },
    },
    {
      name: 'postgres',
      async open() {
        cluster ??= startPostgres();
        if (!lastUrl) {
          lastUrl = await (await cluster).createDatabase();
          return track(await openPostgresStore(lastUrl, { retryMs: 50 }));
        }
        // A fresh database per test costs ~300 ms (CREATE DATABASE copies a template);
        // emptying the migrated one costs a few.
        const store = track(await openPostgresStore(lastUrl, { retryMs: 50 }));
        await store.pool.query(`DO $$ BEGIN
          EXECUTE (SELECT 'TRUNCATE ' || string_agg(quote_ident(tablename), ', ') FROM pg_tables
            WHERE schemaname = 'public' AND tablename NOT IN ('schema_migrations', 'counters'));
          UPDATE counters SET value = 0; -- seeded by the migration: reset, not emptied
        END $$`);
        return store;
      },
      async openSibling() {
        return track(await openPostgresStore(lastUrl, { retryMs: 50 }));
      },
      async raw(sql) {
        const store = await openPostgresStore(lastUrl);
        try {
          await store.pool.query(sql);
        } finally {
          await store.close();
        }
      },
    },
  ];
}

/** Fixed times, as the services write them. */
export const T0 = '2026-01-01T00:00:00.000Z';
export const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();
