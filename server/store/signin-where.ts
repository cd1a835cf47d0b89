import type { OidcSigninFilter } from './types.ts';

/**
 * The WHERE clause of a sign-in listing (empty when nothing is filtered) and the values it
 * binds, in order. `placeholder(n)` writes the nth value's marker: `?` on SQLite, `$n` on
 * PostgreSQL.
 */
export function signinWhere(
  filter: OidcSigninFilter,
  placeholder: (n: number) => string,
): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  for (const [column, value] of [
    ['client_id', filter.clientId],
    ['user_id', filter.userId],
    ['device_id', filter.deviceId],
  ] as const) {
    if (value === undefined) continue;
    params.push(value);
    clauses.push(`${column} = ${placeholder(params.length)}`);
  }
  if (filter.live) clauses.push('ended_at IS NULL');
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}
