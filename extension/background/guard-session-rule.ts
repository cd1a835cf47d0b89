import { GUARD_PRIORITY } from '../../core/policy/compile-dnr.ts';
import type { DnrRule } from '../platform/types.ts';

/**
 * Session rules the navigation guard keeps at most. Chromium allows 5,000 session rules per
 * extension (MAX_NUMBER_OF_SESSION_RULES, redirects included); a few hundred recent URLs
 * cover reloads and repeated embeds, and leave the rest of that budget alone.
 */
export const MAX_GUARD_SESSION_RULES = 500;

/**
 * The session rule that redirects exactly `url` (main or sub frame) to the blocked page,
 * above every compiled rule (`GUARD_PRIORITY`): the guard's matcher has already judged that
 * URL blocked. Returns null when no `urlFilter` can say "exactly this URL": it contains a
 * character the urlFilter syntax gives a meaning to (`*`, `^`, `|`), or is not http(s).
 * The fragment is dropped: requests do not carry it.
 *
 * @example
 * guardSessionRule('https://a.test/x?y#z', 7, '/pages/blocked.html')?.condition.urlFilter
 * // → '|https://a.test/x?y|'
 */
export function guardSessionRule(url: string, id: number, blockedPagePath: string): DnrRule | null {
  const request = url.replace(/#.*$/s, '');
  if (!/^https?:\/\//i.test(request) || /[*^|]/.test(request)) return null;
  return {
    id,
    priority: GUARD_PRIORITY,
    action: { type: 'redirect', redirect: { extensionPath: blockedPagePath } },
    condition: {
      urlFilter: `|${request}|`,
      isUrlFilterCaseSensitive: true,
      resourceTypes: ['main_frame', 'sub_frame'],
    },
  };
}
