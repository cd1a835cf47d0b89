import type pg from 'pg';

/** A pool or a client inside a transaction. */
export type Queryable = Pick<pg.ClientBase, 'query'>;

type Row = Record<string, unknown>;

/** The first row, or null. */
export async function first<T>(
  db: Queryable,
  sql: string,
  params: unknown[] = [],
): Promise<T | null> {
  const { rows } = await db.query<Row>(sql, params);
  return (rows[0] as T | undefined) ?? null;
}

/** All rows. */
export async function all<T>(db: Queryable, sql: string, params: unknown[] = []): Promise<T[]> {
  const { rows } = await db.query<Row>(sql, params);
  return rows as T[];
}

/** How many rows the statement changed. */
export async function changes(db: Queryable, sql: string, params: unknown[] = []): Promise<number> {
  return (await db.query(sql, params)).rowCount ?? 0;
}
