import { UniqueViolation } from '../store.ts';

/** Re-throws PostgreSQL's unique-violation error (SQLSTATE 23505) as the store's `UniqueViolation`. */
export function mapPgError(err: unknown): never {
  const e = err as { code?: unknown; constraint?: unknown };
  if (e && e.code === '23505') {
    throw new UniqueViolation(typeof e.constraint === 'string' ? e.constraint : 'unknown', {
      cause: err,
    });
  }
  throw err;
}
