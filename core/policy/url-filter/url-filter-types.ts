/**
 * Shared shapes of the URL filter engine. They mirror Chromium's
 * `url_matcher::util::FilterComponents` (components/url_matcher/url_util.h) so each
 * field can be checked against the behaviour it copies.
 */

/** A URL split the way Chromium's URLMatcher looks at it (userinfo and fragment dropped). */
export interface ParsedUrl {
  /** Lowercase scheme without the colon: `https`, `file`, `javascript`. */
  scheme: string;
  /** Lowercase host as written in the (canonical) URL; `''` when there is none. */
  host: string;
  /** Effective port: the explicit one, else the scheme's default (http 80 …), else -1. */
  port: number;
  /** Path as in the URL, with a leading `/` for standard schemes (GURL); for `data:` or `javascript:` the opaque rest. */
  path: string;
  /** Query without the `?`; `null` when the URL has no `?` at all (`''` for a bare `?`). */
  query: string | null;
  /** Whether the URL has an authority (`scheme://…`). */
  hasAuthority: boolean;
}

/**
 * One filter of the URLBlocklist/URLAllowlist format after Chromium's `FilterToComponents`.
 * `host` is stored as Chromium stores it: a subdomain-matching host gets a leading `.`
 * (so `example.com` is stored as `.example.com`), and that dot counts in precedence.
 */
export interface ParsedUrlFilter {
  /** Lowercase scheme, or `''` for "any scheme". */
  scheme: string;
  /** `''` means any host (`*`, `scheme:*`, `file:`, `data:` filters). */
  host: string;
  /** false for `.exact.host` and IP literals; true otherwise. */
  matchSubdomains: boolean;
  /** 0 = any port. */
  port: number;
  /** Path prefix, raw as written (case-sensitive). */
  path: string;
  /** Raw query as written, without `?` (`''` when none). */
  query: string;
}

/**
 * One `URLQueryElementMatcherCondition`: the search string `key` (which starts with the
 * `&` delimiter) followed by `value`, looked for in `&` + query + `&`.
 */
export interface QueryCondition {
  /** MATCH_ALL (allowlist key=value): every occurrence of `key` must be followed by `value`. */
  all: boolean;
  key: string;
  value: string;
}

/** A filter ready to match: Chromium's FilterComponents with `allow` and its query conditions. */
export interface UrlFilterRule extends ParsedUrlFilter {
  allow: boolean;
  conditions: readonly QueryCondition[];
}
