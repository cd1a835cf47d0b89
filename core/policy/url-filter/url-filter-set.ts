import { buildFilterIndex } from './filter-index.ts';
import { INVALID_URL, parseUrl } from './parse-url.ts';
import { prepareUrl } from './match-filter.ts';

export interface UrlFilterSet {
  /** The first filter (in list order) that matches `url`, or null. Invalid filters never match. */
  firstMatch(url: string): string | null;
  /** Indexes of filters that are not valid and are skipped. */
  readonly invalid: readonly number[];
}

/**
 * "Does any of these filters match this URL?" — no precedence, no allow/block. Used by data
 * controls (`sources.urls` / `destinations.urls`) and app families.
 *
 * Query conditions use Chrome's allowlist semantics (MATCH_ALL), as Chrome's data controls
 * build their matchers with `url_matcher::util::AddAllowFilters`; pass `{ semantics: 'block' }`
 * for blocklist-style (MATCH_ANY) conditions. Same index as `buildUrlMatcher`.
 *
 * @example buildUrlFilterSet(['mail.example.com', 'docs.example.com/d/']).firstMatch('https://docs.example.com/d/1')
 * // → 'docs.example.com/d/'
 */
export function buildUrlFilterSet(
  filters: readonly string[],
  options: { semantics?: 'allow' | 'block' } = {},
): UrlFilterSet {
  const allow = options.semantics !== 'block';
  const index = buildFilterIndex([{ filters, allow }], 'first');
  return {
    invalid: index.invalid[0] ?? [],
    firstMatch(url: string): string | null {
      // A string that is not a URL is matched as Chrome matches an invalid GURL (only `*`).
      const id = index.lookup(prepareUrl(parseUrl(url) ?? INVALID_URL));
      return id < 0 ? null : (filters[id] ?? null);
    },
  };
}
