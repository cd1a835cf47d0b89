import type { QueryCondition } from '../url-filter/url-filter-types.ts';

/**
 * Authorities DNR is not trusted with: an explicit port, userinfo, IPv6 (`:`), an empty
 * label or a trailing dot. One top-priority allow rule exempts these URLs from every other
 * rule so DNR never blocks what the core matcher allows; the extension's navigation check
 * decides them. Canonical URLs rarely have them (default ports are dropped by canonicalization).
 */
export const IRREGULAR_AUTHORITY_REGEX = '^https?://(?:\\.|[^/?#]*(?:[:@]|\\.\\.|\\.(?:[/?#]|$)))';

const IRREGULAR = new RegExp(IRREGULAR_AUTHORITY_REGEX);

/**
 * Whether the compiled DNR rules leave this URL entirely to the extension's navigation
 * check: any scheme other than http(s) (DNR does not see file:, data:, javascript: …
 * navigations) or an irregular authority (see IRREGULAR_AUTHORITY_REGEX).
 */
export function leftToNavigationCheck(url: string): boolean {
  return !/^https?:\/\//i.test(url) || IRREGULAR.test(url);
}

/** A host as it can appear in a canonical http(s) URL this compiler hands to DNR. */
export const PLAIN_DOMAIN = /^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$/;

/**
 * Whether a filter path could equal the start of a canonical http(s) path: ASCII, starts
 * with `/`, none of the characters canonicalization always percent-encodes (space, `"`,
 * `<`, `>`, backquote, `{`, `}`) and no backslash (canonicalized to `/`).
 */
export function pathCanMatch(path: string): boolean {
  return /^\/[\x21\x23-\x3b\x3d\x3f-\x5b\x5d-\x5f\x61-\x7a\x7c\x7e]*$/.test(path);
}

/** Characters DNR's urlFilter gives a meaning (`*`, `^`, `|`): such a path needs a regex. */
export function pathNeedsRegex(path: string): boolean {
  return /[*^|]/.test(path);
}

const escapeRegex = (s: string): string => s.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');

export type HostForm = 'any' | 'suffix' | 'exact';

/**
 * An RE2 pattern (also valid JavaScript) matching exactly the regular-authority http(s) URLs
 * a filter matches: scheme, host (suffix at a label boundary, exact, or any), path prefix,
 * and at most one query condition (in `&query&`, MATCH_ANY).
 */
export function filterRegex(
  schemes: readonly string[],
  form: HostForm,
  domain: string,
  path: string,
  condition?: QueryCondition,
): string {
  const scheme = schemes.length === 2 ? 'https?' : (schemes[0] ?? 'https?');
  const host =
    form === 'any'
      ? '[^/?#]+'
      : form === 'suffix'
        ? `(?:[^/?#]*\\.)?${escapeRegex(domain)}`
        : escapeRegex(domain);
  let re = `^${scheme}://${host}${path === '' ? '/' : escapeRegex(path)}`;
  if (condition) {
    const exactEnd = condition.value.endsWith('&');
    const core =
      condition.key.slice(1) + (exactEnd ? condition.value.slice(0, -1) : condition.value);
    re += `[^?#]*\\?(?:[^#]*&)?${escapeRegex(core)}${exactEnd ? '(?:&|#|$)' : ''}`;
  }
  return re;
}
