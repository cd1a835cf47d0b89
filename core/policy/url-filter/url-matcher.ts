import { buildFilterIndex } from './filter-index.ts';
import { INVALID_URL, parseUrl } from './parse-url.ts';
import { wildcardBypass } from './wildcard-bypass.ts';
import { parseFilterComponents } from './parse-url-filter.ts';
import { isBlocklistWildcard, toUrlFilterRule } from './filter-precedence.ts';
import { prepareUrl } from './match-filter.ts';

/** The answer for one URL: Chrome's URLBlocklistState plus which filter decided it. */
export interface UrlDecision {
  verdict: 'block' | 'allow';
  /** The deciding filter as the admin wrote it; null when no filter matched. */
  filter: string | null;
  list: 'blocklist' | 'allowlist' | null;
  /** Position of `filter` in its list; -1 when no filter decided. */
  index: number;
}

/** Chrome behaviours that depend on a feature flag or a Chrome-only limit. */
export interface UrlMatcherOptions {
  /**
   * Chrome's `kBypassURLBlocklistWildcardForInternalChromeUrls` (enabled by default): the
   * blocklist `*` does not block `chrome://` pages. Pass false for Chrome with the feature off.
   */
  bypassWildcardForChromeUrls?: boolean;
  /**
   * Chrome applies only the first `kMaxUrlFiltersPerPolicy` (1,000) entries of each list.
   * Palisade has no cap unless this is set (to answer as Chrome would for a Chrome policy).
   */
  maxFiltersPerList?: number;
}

export interface UrlMatcher {
  decide(url: string): UrlDecision;
  /** Indexes of filters that are not valid and are skipped, as Chrome skips them. */
  readonly invalid: {
    readonly blocklist: readonly number[];
    readonly allowlist: readonly number[];
  };
}

const NEUTRAL: UrlDecision = Object.freeze({
  verdict: 'allow',
  filter: null,
  list: null,
  index: -1,
}) as UrlDecision;

/**
 * Builds Chrome's URLBlocklist/URLAllowlist decision for one pair of lists
 * (`URLBlocklist::GetURLBlocklistState`): the most specific matching filter decides
 * (see `filterTakesPrecedence`), no match is allowed, `blob:` URLs are never blocked, the
 * blocklist `*` spares a few internal schemes (see `wildcardBypass`), and a string that is not
 * a URL is decided as Chrome decides an invalid GURL: only `*` matches it. The Chrome
 * behaviour behind each rule, with sources: docs/url-filters.md.
 * Unlike Chrome there is no 1,000-filter cap: the index answers in a few hash probes at
 * 1,000,000 filters.
 *
 * @example
 * const m = buildUrlMatcher({ blocklist: ['*'], allowlist: ['mail.example.com'] });
 * m.decide('https://mail.example.com/inbox') // → { verdict: 'allow', filter: 'mail.example.com', list: 'allowlist', index: 0 }
 * m.decide('https://example.org/')          // → { verdict: 'block', filter: '*', list: 'blocklist', index: 0 }
 */
export function buildUrlMatcher(
  lists: { blocklist: readonly string[]; allowlist: readonly string[] },
  options: UrlMatcherOptions = {},
): UrlMatcher {
  const cap = options.maxFiltersPerList;
  const capped = (list: readonly string[]) =>
    cap !== undefined && list.length > cap ? list.slice(0, cap) : list;
  const bypass = wildcardBypass(options);
  const sources = [
    { filters: capped(lists.blocklist), allow: false },
    { filters: capped(lists.allowlist), allow: true },
  ];
  const index = buildFilterIndex(sources, 'precedence');
  const invalid = {
    blocklist: index.invalid[0] ?? [],
    allowlist: index.invalid[1] ?? [],
  };
  const decide = (url: string): UrlDecision => {
    const parsed = parseUrl(url) ?? INVALID_URL;
    // Chrome: blob: URLs deliver responses to renderers and are used inside allowed pages.
    if (parsed.scheme === 'blob') return NEUTRAL;
    const id = index.lookup(prepareUrl(parsed));
    if (id < 0) return NEUTRAL;
    const source = index.sourceOf(id);
    const i = id - index.firstId(source);
    const allow = source === 1;
    const filter = (allow ? lists.allowlist : lists.blocklist)[i] as string;
    if (!allow && bypass.has(parsed.scheme)) {
      const p = parseFilterComponents(filter);
      if (p && isBlocklistWildcard(toUrlFilterRule(p, false))) return NEUTRAL;
    }
    return {
      verdict: allow ? 'allow' : 'block',
      filter,
      list: allow ? 'allowlist' : 'blocklist',
      index: i,
    };
  };
  return { decide, invalid };
}
