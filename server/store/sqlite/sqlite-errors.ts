import { UniqueViolation } from '../store.ts';

/** Runs a write, re-throwing its unique-constraint failure as the store's `UniqueViolation`. */
export function uniqueChecked<T>(write: () => T): T {
  try {
    return write();
  } catch (err) {
    mapSqliteError(err);
  }
}

/** Re-throws SQLite's unique-constraint errors as the store's `UniqueViolation`. */
function mapSqliteError(err: unknown): never {
  const e = err as { code?: unknown; message?: unknown };
  if (e && (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY')) {
    const m = /UNIQUE constraint failed: (\S+)/.exec(String(e.message));
    throw new UniqueViolation(m?.[1] ?? 'unknown', { cause: err });
  }
  throw err;
}

/** SQLite stores booleans as 0/1. */
export const bool = (v: unknown): boolean => v === 1 || v === true;
export const int = (b: boolean): number => (b ? 1 : 0);
