import type { Invite } from '../api/types.ts';

/** RFC 4180: a cell with a comma, quote or line break is quoted, its quotes doubled. */
const cell = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * The links of a bulk invite as text to paste elsewhere: `csv` (name,email,link with a
 * header, for a spreadsheet or a mail merge) or `lines` (one "Name <email> link" a line,
 * for a message).
 *
 * @example
 * invitesText([{ name: 'Bo, Jr.', email: 'bo@example.com', link: 'https://…' }], 'csv')
 * // 'name,email,link\r\n"Bo, Jr.",bo@example.com,https://…\r\n'
 */
export function invitesText(
  invites: readonly Pick<Invite, 'name' | 'email' | 'link'>[],
  as: 'csv' | 'lines',
): string {
  if (as === 'lines') {
    return invites
      .map((i) => `${i.name ? `${i.name} <${i.email}>` : i.email} ${i.link}`)
      .join('\n');
  }
  const rows = [['name', 'email', 'link'], ...invites.map((i) => [i.name ?? '', i.email, i.link])];
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
