/** Shortest reason a WARN with `requireJustification` accepts (after trimming). */
export const JUSTIFICATION_MIN = 5;
/** Longest reason kept: the audit event's detail strings hold at most 512 characters. */
export const JUSTIFICATION_MAX = 500;

/**
 * The reason a user gave to go past a WARN, as it is recorded: trimmed, control characters
 * and runs of whitespace folded to one space (one line in any log view), within the limits.
 * Null when too short or too long — the dialog then does not let the user go on, and the
 * background does not record text that did not pass it.
 *
 * @example
 * normalizeJustification('  Sending the\nquarterly report  ') // → 'Sending the quarterly report'
 * normalizeJustification('ok') // → null
 */
export function normalizeJustification(text: string): string | null {
  const folded = text.replace(/[\s\p{Cc}]+/gu, ' ').trim();
  if (folded.length < JUSTIFICATION_MIN || folded.length > JUSTIFICATION_MAX) return null;
  return folded;
}
