import Database from 'better-sqlite3';
import { hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS } from './migrations.ts';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the SQLite database in `dataDir` and brings its schema up to
 * date. WAL lets readers run during a write; `synchronous = FULL` makes every commit
 * durable before the server acknowledges it (audit ingest promises that).
 */
export function openDatabase(dataDir: string, file = 'palisade.db'): Db {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const dbPath = path.join(dataDir, file);
  // SQLite gives the -wal and -shm files the database file's mode, so creating it 0600
  // keeps every data file private; an older installation's files are tightened too.
  fs.closeSync(fs.openSync(dbPath, 'a', 0o600));
  for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) {
    if (fs.existsSync(f)) fs.chmodSync(f, 0o600);
  }
  const db = new Database(dbPath);
  // Migration 2 hashes the enrollment codes stored in plaintext before it, as
  // `hashToken` (server/util/tokens.ts) hashed them then: written out here, so the
  // migration stays what it was and the store needs nothing from the rest of the server.
  db.function('palisade_token_hash', { deterministic: true }, (text: unknown) =>
    hash('sha256', String(text), 'base64url'),
  );
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

/** Runs the migrations not yet applied, each in its own transaction. */
export function migrate(db: Db): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(
      `the database schema (version ${current}) is newer than this server (${MIGRATIONS.length}); upgrade the server`,
    );
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return MIGRATIONS.length;
}
