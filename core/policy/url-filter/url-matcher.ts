import { buildFilterIndex, type FilterIndex } from './filter-index.ts';
import { INVALID_URL, parseUrl } from './parse-url.ts';
import { wildcardBypass } from './wildcard-bypass.ts';
import { parseFilterComponents } from './parse-url-filter.ts';
import { isBlocklistWildcard, toUrlFilterRule } from './filter-precedence.ts';
import { prepareUrl, type PreparedUrl } from './match-filter.ts';

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
  const sources = [
    { filters: capped(lists.blocklist), allow: false },
    { filters: capped(lists.allowlist), allow: true },
  ];
  const index = buildFilterIndex(sources, 'precedence');
  const invalid = {
    blocklist: index.invalid[0] ?? [],
    allowlist: index.invalid[1] ?? [],
  };
  const find = (u: PreparedUrl): number => {
    const id = index.lookup(u);
    if (id < 0) return -1;
    const source = index.sourceOf(id);
    return (id - index.firstId(source)) * 2 + source;
  };
  const matcher = matcherOver(lists, find, invalid, options);
  if (cap === undefined) {
    patchable.set(matcher, {
      base: index,
      baseLists: lists,
      options,
      baseToNow: [null, null],
      added: null,
      addedAt: [new Int32Array(0), new Int32Array(0)],
      origin: [null, null],
    });
  }
  return matcher;
}

/**
 * A matcher over `lists` from a function naming the deciding filter for a prepared URL
 * (`index * 2 + list`, list 0 the blocklist and 1 the allowlist; -1 for none). Shared by
 * `buildUrlMatcher` and `patchUrlMatcher`, so both answer with the same rules.
 */
export function matcherOver(
  lists: { blocklist: readonly string[]; allowlist: readonly string[] },
  find: (u: PreparedUrl) => number,
  invalid: UrlMatcher['invalid'],
  options: UrlMatcherOptions,
): UrlMatcher {
  const bypass = wildcardBypass(options);
  const decide = (url: string): UrlDecision => {
    const parsed = parseUrl(url) ?? INVALID_URL;
    // Chrome: blob: URLs deliver responses to renderers and are used inside allowed pages.
    if (parsed.scheme === 'blob') return NEUTRAL;
    const found = find(prepareUrl(parsed));
    if (found < 0) return NEUTRAL;
    const allow = (found & 1) === 1;
    const i = Math.floor(found / 2);
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

/**
 * What `patchUrlMatcher` needs of a matcher: the index built for some earlier lists (the
 * base), which filters of it are gone, and the index of the filters added since.
 */
export interface MatcherState {
  base: FilterIndex;
  baseLists: { blocklist: readonly string[]; allowlist: readonly string[] };
  options: UrlMatcherOptions;
  /** Per list, each base filter's index in the current list (-1: removed); null: unchanged. */
  baseToNow: [Int32Array | null, Int32Array | null];
  /** The filters added since the base (blocklist's, then allowlist's, in list order). */
  added: { index: FilterIndex; lists: [string[], string[]] } | null;
  /** Per list, each added filter's index in the current list. */
  addedAt: [Int32Array, Int32Array];
  /** Per list, each current entry's base index (≥ 0) or -1 - its added index; null: identity. */
  origin: [Int32Array | null, Int32Array | null];
}

const patchable = new WeakMap<UrlMatcher, MatcherState>();

/** The state a matcher can be patched from; null for a capped matcher. */
export function matcherState(m: UrlMatcher): MatcherState | null {
  return patchable.get(m) ?? null;
}

/** Records the state of a patched matcher, so it can be patched again. */
export function setMatcherState(m: UrlMatcher, state: MatcherState): void {
  patchable.set(m, state);
}
