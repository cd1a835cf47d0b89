import { INVALID_URL, parseUrl } from './parse-url.ts';
import { wildcardBypass } from './wildcard-bypass.ts';
import { parseFilterComponents } from './parse-url-filter.ts';
import {
  filterTakesPrecedence,
  isBlocklistWildcard,
  toUrlFilterRule,
} from './filter-precedence.ts';
import { filterHostKey, filterMatches, prepareUrl } from './match-filter.ts';
import type { UrlDecision, UrlMatcherOptions } from './url-matcher.ts';
import type { UrlFilterRule } from './url-filter-types.ts';

export interface UrlExplanation {
  decision: UrlDecision;
  /** Every filter that matches the URL, in Chromium's evaluation order (blocklist, then allowlist). */
  matches: { filter: string; list: 'blocklist' | 'allowlist'; index: number }[];
}

/**
 * Decides a URL by scanning every filter, the way Chromium's
 * `URLBlocklist::GetHighestPriorityFilterFor` walks its matches: for the admin's simulator
 * ("which filters match this URL, and which one wins?") and as the reference the indexed
 * `buildUrlMatcher` is tested against. O(filters) per call — not for the hot path.
 */
export function explainUrl(
  lists: { blocklist: readonly string[]; allowlist: readonly string[] },
  url: string,
  options: UrlMatcherOptions = {},
): UrlExplanation {
  const neutral: UrlDecision = { verdict: 'allow', filter: null, list: null, index: -1 };
  const parsed = parseUrl(url) ?? INVALID_URL;
  const u = prepareUrl(parsed);
  const cap = options.maxFiltersPerList ?? Infinity;
  const matches: UrlExplanation['matches'] = [];
  let best: {
    rule: UrlFilterRule;
    filter: string;
    list: 'blocklist' | 'allowlist';
    index: number;
  } | null = null;
  for (const list of ['blocklist', 'allowlist'] as const) {
    lists[list].forEach((filter, index) => {
      if (index >= cap) return;
      const p = parseFilterComponents(filter);
      if (!p) return;
      const rule = toUrlFilterRule(p, list === 'allowlist');
      if (!filterMatches(rule, filterHostKey(rule), u)) return;
      matches.push({ filter, list, index });
      if (!best || filterTakesPrecedence(rule, best.rule)) best = { rule, filter, list, index };
    });
  }
  const winner = best as {
    rule: UrlFilterRule;
    filter: string;
    list: 'blocklist' | 'allowlist';
    index: number;
  } | null;
  if (!winner || parsed.scheme === 'blob') return { decision: neutral, matches };
  if (isBlocklistWildcard(winner.rule) && wildcardBypass(options).has(parsed.scheme))
    return { decision: neutral, matches };
  const verdict = winner.list === 'allowlist' ? 'allow' : 'block';
  return {
    decision: { verdict, filter: winner.filter, list: winner.list, index: winner.index },
    matches,
  };
}
