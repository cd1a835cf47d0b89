import { parse } from 'csv-parse/sync';
import { ApiError } from '../errors.ts';
import type { GroupRow } from '../store/types.ts';
import type { NewInvite } from './invite-service.ts';

const MAX_ROWS = 5000;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The console's bulk invite: CSV text of `name,email,group` (a header row with those names
 * is optional; the group is named as in the console) → one employee invite a row. Every
 * problem is reported with its line, and any problem fails the whole list.
 *
 * @example
 * parseInviteCsv('name,email,group\nAda,ada@example.com,Staff', groups)
 * // → [{ name: 'Ada', email: 'ada@example.com', role: 'employee', groupId: '…' }]
 */
export function parseInviteCsv(text: string, groups: readonly GroupRow[]): NewInvite[] {
  let records: string[][];
  try {
    records = parse(text, { skip_empty_lines: true, trim: true, relax_column_count: true });
  } catch (err) {
    throw new ApiError('validation_failed', `The CSV could not be read: ${(err as Error).message}`);
  }
  const first = records[0]?.map((c) => c.toLowerCase());
  const hasHeader = first?.[0] === 'name' && first[1] === 'email';
  const rows = hasHeader ? records.slice(1) : records;
  if (rows.length === 0) throw new ApiError('validation_failed', 'The CSV has no one to invite.');
  if (rows.length > MAX_ROWS) {
    throw new ApiError(
      'validation_failed',
      `The CSV has ${rows.length} rows; invite at most ${MAX_ROWS} at a time.`,
    );
  }
  const byName = new Map(groups.map((g) => [g.name.toLowerCase(), g.id]));
  const problems: { line: number; message: string }[] = [];
  const invites: NewInvite[] = [];
  rows.forEach((cells, i) => {
    const line = i + (hasHeader ? 2 : 1);
    const [name = '', email = '', group = ''] = cells;
    if (cells.length !== 3) problems.push({ line, message: 'expected name,email,group' });
    else if (!name || name.length > 200) problems.push({ line, message: 'the name is missing' });
    else if (!EMAIL.test(email) || email.length > 320)
      problems.push({ line, message: `"${email}" is not an email address` });
    else if (!byName.has(group.toLowerCase()))
      problems.push({ line, message: `there is no group named "${group}"` });
    else invites.push({ name, email, role: 'employee', groupId: byName.get(group.toLowerCase())! });
  });
  if (problems.length > 0) {
    const p = problems[0]!;
    throw new ApiError(
      'validation_failed',
      `line ${p.line}: ${p.message}` +
        (problems.length > 1 ? ` (and ${problems.length - 1} more problems)` : '') +
        '. Nobody was invited.',
      { details: { problems } },
    );
  }
  return invites;
}
