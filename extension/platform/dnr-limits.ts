import type { DnrLimits } from '../../core/policy/dnr/dnr-types.ts';

/** The declarativeNetRequest namespace's constants, as either browser exposes them. */
export interface DnrConstants {
  MAX_NUMBER_OF_DYNAMIC_RULES?: unknown;
  MAX_NUMBER_OF_UNSAFE_DYNAMIC_RULES?: unknown;
  MAX_NUMBER_OF_REGEX_RULES?: unknown;
}

/**
 * The dynamic-rule limits of the browser we run in, read from its own constants, for the
 * DNR compiler. They differ: Chrome 121+ allows 30,000 dynamic rules of which 5,000 may be
 * "unsafe" (redirects); Firefox (153 ESR, tried here) allows 5,000 in all and has no
 * separate unsafe count. Compiling for Chrome's 30,000 in Firefox would make the browser
 * refuse the whole set; within the real limit the compiler packs and leaves the rest to
 * the navigation guard. A constant that is missing or not a positive integer keeps the
 * compiler's default.
 *
 * @example
 * dnrLimitsOf({ MAX_NUMBER_OF_DYNAMIC_RULES: 5000, MAX_NUMBER_OF_REGEX_RULES: 1000 })
 * // → { maxRules: 5000, maxUnsafeRules: 5000, maxRegexRules: 1000 }
 */
export function dnrLimitsOf(dnr: DnrConstants): Partial<DnrLimits> {
  const count = (v: unknown) =>
    Number.isSafeInteger(v) && (v as number) > 0 ? (v as number) : undefined;
  const limits: Partial<DnrLimits> = {};
  const maxRules = count(dnr.MAX_NUMBER_OF_DYNAMIC_RULES);
  const unsafe = count(dnr.MAX_NUMBER_OF_UNSAFE_DYNAMIC_RULES);
  const regex = count(dnr.MAX_NUMBER_OF_REGEX_RULES);
  if (maxRules !== undefined) limits.maxRules = maxRules;
  // No separate unsafe limit (Firefox): redirects simply count against the total.
  const unsafeCap = unsafe ?? maxRules;
  if (unsafeCap !== undefined) limits.maxUnsafeRules = Math.min(unsafeCap, maxRules ?? unsafeCap);
  if (regex !== undefined) limits.maxRegexRules = regex;
  return limits;
}
