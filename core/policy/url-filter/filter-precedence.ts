import { queryConditions } from './query-conditions.ts';
import type { ParsedUrlFilter, QueryCondition, UrlFilterRule } from './url-filter-types.ts';

/** Adds the list it came from and its query conditions to a parsed filter. */
export function toUrlFilterRule(filter: ParsedUrlFilter, allow: boolean): UrlFilterRule {
  return {
    scheme: filter.scheme,
    host: filter.host,
    matchSubdomains: filter.matchSubdomains,
    port: filter.port,
    path: filter.path,
    query: filter.query,
    allow,
    conditions: filter.query === '' ? NO_CONDITIONS : queryConditions(filter.query, allow),
  };
}

const NO_CONDITIONS: readonly QueryCondition[] = Object.freeze([]);

/**
 * The `*` of the blocklist (`IsWildcardBlocklist`): no scheme, any host, no port, path or
 * query. It is the lowest-priority filter of all.
 */
export function isBlocklistWildcard(f: UrlFilterRule): boolean {
  return (
    !f.allow &&
    f.scheme === '' &&
    f.host === '' &&
    f.matchSubdomains &&
    f.port === 0 &&
    f.path === '' &&
    f.query === '' &&
    f.conditions.length === 0
  );
}

/**
 * Whether `lhs` beats `rhs` when both match a URL — Chromium's `FilterTakesPrecedence`
 * (components/policy/core/browser/url_list/url_blocklist_manager.cc), "the most specific
 * filter wins": the blocklist `*` loses to everything; an exact host (`.example.com`, an IP)
 * beats a subdomain-matching one; then the longer stored host (its leading dot included),
 * the longer path, more query conditions; on a full tie an allow filter beats a block filter.
 * See docs/url-filters.md.
 */
export function filterTakesPrecedence(lhs: UrlFilterRule, rhs: UrlFilterRule): boolean {
  if (isBlocklistWildcard(rhs)) return true;
  if (isBlocklistWildcard(lhs)) return false;
  if (lhs.matchSubdomains !== rhs.matchSubdomains) return !lhs.matchSubdomains;
  if (lhs.host.length !== rhs.host.length) return lhs.host.length > rhs.host.length;
  if (lhs.path.length !== rhs.path.length) return lhs.path.length > rhs.path.length;
  if (lhs.conditions.length !== rhs.conditions.length) {
    return lhs.conditions.length > rhs.conditions.length;
  }
  return lhs.allow && !rhs.allow;
}

/**
 * Bit widths of `precedenceRank`: host length ≤ 255 (DNS names are ≤ 253, plus the leading
 * dot), path length ≤ 1023, conditions ≤ 15. The whole rank must stay below 2^24: Chromium
 * keeps a DNR rule's priority in the upper 24 bits of a 32-bit key (priority << 8 | action),
 * so priority 2^24 + n behaves as n. Seen in Chromium 156 with testMatchOutcome: an allow
 * rule at priority 16,777,216 loses to a block rule at 10 (docs/development.md, "Priority width").
 */
const HOST_BITS = 8;
const PATH_BITS = 10;
const COND_BITS = 4;
export const HOST_MAX = 2 ** HOST_BITS - 1;
const PATH_MAX = 2 ** PATH_BITS - 1;
const COND_MAX = 2 ** COND_BITS - 1;
/** What one more character of host adds to the rank. */
export const HOST_RANK_UNIT = 2 ** (PATH_BITS + COND_BITS);

/** The highest value `precedenceRank` returns: 2 + 2^23 - 1, leaving room below 2^24. */
export const MAX_PRECEDENCE_RANK = 2 + 2 ** (1 + HOST_BITS + PATH_BITS + COND_BITS) - 1;

/** Whether `precedenceRank(f)` is exact, i.e. no component exceeded its clamp. */
export function precedenceRankIsExact(f: UrlFilterRule): boolean {
  return f.host.length <= HOST_MAX && f.path.length <= PATH_MAX && f.conditions.length <= COND_MAX;
}

/**
 * A positive integer, usable as a declarativeNetRequest priority, that orders filters as
 * `filterTakesPrecedence` does apart from the allow-over-block tie-break (DNR itself lets an
 * allow rule beat a block rule of equal priority):
 * `rank(a) > rank(b)` ⇔ `a` is strictly more specific than `b`.
 *
 * The blocklist `*` is 1; every other filter is 2 + (exact, host length, path length,
 * condition count) packed into 23 bits. Clamps: host length 255, path length 1023,
 * conditions 15 — beyond them ranks tie where Chrome would still order (see
 * `precedenceRankIsExact`; such filters are left to the extension's navigation check).
 */
export function precedenceRank(f: UrlFilterRule): number {
  if (isBlocklistWildcard(f)) return 1;
  const exact = f.matchSubdomains ? 0 : 1;
  const host = Math.min(f.host.length, HOST_MAX);
  const path = Math.min(f.path.length, PATH_MAX);
  const conditions = Math.min(f.conditions.length, COND_MAX);
  return (
    2 + (((exact * 2 ** HOST_BITS + host) * 2 ** PATH_BITS + path) * 2 ** COND_BITS + conditions)
  );
}

/** `precedenceKey` of the blocklist `*`: below every other key. */
export const WILDCARD_KEY = -1;

/**
 * A float64 sort key for the in-memory matcher: larger ⇔ takes precedence, allow above
 * block on a tie, so comparing keys equals `filterTakesPrecedence` (host lengths up to
 * 65535, paths up to 2^20 - 1, conditions up to 1023 — 48 bits, exact in a double).
 */
export function precedenceKey(f: UrlFilterRule): number {
  if (isBlocklistWildcard(f)) return WILDCARD_KEY;
  const exact = f.matchSubdomains ? 0 : 1;
  const host = Math.min(f.host.length, 0xffff);
  const path = Math.min(f.path.length, 2 ** 20 - 1);
  const conditions = Math.min(f.conditions.length, 1023);
  return (
    (((exact * 2 ** 16 + host) * 2 ** 20 + path) * 2 ** 10 + conditions) * 2 + (f.allow ? 1 : 0)
  );
}
