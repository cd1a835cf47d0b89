import pg from 'pg';

const INT8 = 20;
const TIMESTAMPTZ = 1184;

const parseTimestamptz = pg.types.getTypeParser(TIMESTAMPTZ) as (value: string) => Date;

/**
 * How column values come back: `bigint` as a number (seqs, versions and counts stay far
 * below 2^53) and `timestamptz` as the ISO 8601 UTC string the rest of the server uses
 * (`2026-11-28T12:00:00.000Z`, what SQLite stores as text). Set per pool, not on pg's
 * global registry, so nothing else in the process is affected.
 */
export const PG_TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 && format !== 'binary') return (value: string) => Number(value);
    if (oid === TIMESTAMPTZ && format !== 'binary')
      return (value: string) => parseTimestamptz(value).toISOString();
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export interface PoolOptions {
  /** Connections per instance (default 10). */
  max?: number;
  /** Shown in `pg_stat_activity.application_name`. */
  applicationName?: string;
}

/** A connection pool with the store's type parsing. */
export function createPool(url: string, opts: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    types: PG_TYPES,
    application_name: opts.applicationName ?? 'palisade',
    keepAlive: true,
    connectionTimeoutMillis: 10_000,
  });
  // An idle client whose connection drops (a database restart, a failover) emits 'error';
  // the pool discards it and the next query opens a fresh one. Without a listener Node
  // would crash on the unhandled 'error' event.
  pool.on('error', () => undefined);
  return pool;
}
