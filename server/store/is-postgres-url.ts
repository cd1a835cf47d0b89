/** Whether `DATABASE_URL` names PostgreSQL (the only database besides the embedded SQLite). */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}
