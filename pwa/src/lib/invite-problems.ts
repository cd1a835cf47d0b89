import type { InviteProblem } from '../api/types.ts';

/** The problems the server listed with a rejected bulk invite (`details.problems`). */
export function inviteProblems(details: unknown): InviteProblem[] {
  const problems = (details as { problems?: unknown } | undefined)?.problems;
  if (!Array.isArray(problems)) return [];
  return problems.flatMap((p: unknown) => {
    if (typeof p !== 'object' || p === null) return [];
    const { line, row, message } = p as Record<string, unknown>;
    if (typeof message !== 'string') return [];
    return [
      {
        message,
        ...(typeof line === 'number' ? { line } : {}),
        ...(typeof row === 'number' ? { row } : {}),
      },
    ];
  });
}

/**
 * Where a bulk-invite problem is, in words: the CSV's line when the list itself is wrong,
 * the person's place in the list when that person cannot be invited.
 */
export function problemPlace(p: InviteProblem): string {
  if (p.line !== undefined) return `Line ${p.line}`;
  if (p.row !== undefined) return `Person ${p.row + 1} in the list`;
  return 'The list';
}
