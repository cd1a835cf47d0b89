/**
 * The baseline the index is measured against: every filter parsed once up front, then each
 * decision walks all of them (Chromium's precedence loop), as a straightforward
 * implementation would.
 */
import { parseUrl } from '../../core/policy/url-filter/parse-url.ts';
import { parseFilterComponents } from '../../core/policy/url-filter/parse-url-filter.ts';
import {
  filterTakesPrecedence,
  isBlocklistWildcard,
  toUrlFilterRule,
} from '../../core/policy/url-filter/filter-precedence.ts';
import {
  filterHostKey,
  filterMatches,
  prepareUrl,
} from '../../core/policy/url-filter/match-filter.ts';
import type { UrlDecision } from '../../core/policy/url-filter/url-matcher.ts';
import type { UrlFilterRule } from '../../core/policy/url-filter/url-filter-types.ts';

interface Entry {
  rule: UrlFilterRule;
  hostKey: string;
  filter: string;
  list: 'blocklist' | 'allowlist';
  index: number;
}

const BYPASS = new Set(['chrome-extension', 'chrome-search', 'chrome-native', 'chrome']);

export function buildNaiveScan(lists: {
  blocklist: readonly string[];
  allowlist: readonly string[];
}): {
  decide(url: string): UrlDecision;
} {
  const entries: Entry[] = [];
  for (const list of ['blocklist', 'allowlist'] as const) {
    lists[list].forEach((filter, index) => {
      const p = parseFilterComponents(filter);
      if (!p) return;
      const rule = toUrlFilterRule(p, list === 'allowlist');
      entries.push({ rule, hostKey: filterHostKey(rule), filter, list, index });
    });
  }
  const neutral: UrlDecision = { verdict: 'allow', filter: null, list: null, index: -1 };
  return {
    decide(url: string): UrlDecision {
      const parsed = parseUrl(url);
      if (!parsed || parsed.scheme === 'blob') return neutral;
      const u = prepareUrl(parsed);
      let best: Entry | null = null;
      for (const e of entries) {
        if (
          filterMatches(e.rule, e.hostKey, u) &&
          (!best || filterTakesPrecedence(e.rule, best.rule))
        )
          best = e;
      }
      if (!best || (isBlocklistWildcard(best.rule) && BYPASS.has(parsed.scheme))) return neutral;
      return {
        verdict: best.list === 'allowlist' ? 'allow' : 'block',
        filter: best.filter,
        list: best.list,
        index: best.index,
      };
    },
  };
}
