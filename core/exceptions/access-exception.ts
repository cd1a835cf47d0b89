import type { EffectivePolicy } from '../policy/types.ts';
import { defaultPort, parseUrl } from '../policy/url-filter/parse-url.ts';
import { parseFilterComponents } from '../policy/url-filter/parse-url-filter.ts';
import { buildUrlMatcher } from '../policy/url-filter/url-matcher.ts';

/**
 * An approved access request as a device enforces it: an allow filter, until `expiresAt`
 * (ISO 8601; null = until revoked). It reaches the device in a signed exception list
 * (core/exceptions/exception-list.ts), never in the group's policy.
 */
export interface AccessException {
  /** The access request's id. */
  id: string;
  filter: string;
  expiresAt: string | null;
}

/**
 * The allow filter an access request asks for: the blocked URL's exact host (`.host`, no
 * subdomains) with the deciding block filter's path and query, so it is at least as specific
 * as that filter and wins over it ("most specific filter wins; on a tie allow beats block"
 * — see docs/url-filters.md) without opening anything the block filter did not cover on
 * other hosts. Null for URLs no such filter can express (no host, not http(s)) or when it
 * would still not unblock the URL.
 *
 * @example
 * exceptionFilterFor('https://www.social.test/feed?x=1', 'social.test') // → '.www.social.test'
 * exceptionFilterFor('https://wiki.test/admin/users', 'wiki.test/admin') // → '.wiki.test/admin'
 */
export function exceptionFilterFor(url: string, blockFilter: string): string | null {
  const u = parseUrl(url);
  const f = parseFilterComponents(blockFilter);
  if (!u || !f || (u.scheme !== 'http' && u.scheme !== 'https') || !u.host) return null;
  if (u.host.startsWith('[')) return null; // IPv6 literals: left to the admin's own lists
  const port = u.port !== defaultPort(u.scheme) ? `:${u.port}` : '';
  const filter = `.${u.host}${port}${f.path}${f.query ? `?${f.query}` : ''}`;
  const check = buildUrlMatcher({ blocklist: [blockFilter], allowlist: [filter] });
  return check.decide(url).verdict === 'allow' ? filter : null;
}

/**
 * Whether an admin may grant `filter` as an exception: a valid filter for one exact host
 * (a leading dot, no wildcard), so an approval can never become "allow everything".
 */
export function isGrantableFilter(filter: string): boolean {
  if (typeof filter !== 'string' || filter.length > 2048 || !filter.startsWith('.')) return false;
  const f = parseFilterComponents(filter);
  return f !== null && f.host !== '' && !f.matchSubdomains && !f.host.includes('*');
}

/** The exceptions still in force at `nowMs` (an expired one is dropped, online or not). */
export function liveExceptions(list: readonly AccessException[], nowMs: number): AccessException[] {
  return list.filter((e) => e.expiresAt === null || Date.parse(e.expiresAt) > nowMs);
}

/** When the next live exception expires (ms since the epoch), or null if none will. */
export function nextExpiry(list: readonly AccessException[], nowMs: number): number | null {
  let next: number | null = null;
  for (const e of liveExceptions(list, nowMs)) {
    if (e.expiresAt === null) continue;
    const t = Date.parse(e.expiresAt);
    if (next === null || t < next) next = t;
  }
  return next;
}

/**
 * The policy with the live exceptions' filters added to its allowlist: DNR rules, the
 * navigation check and the blocked page then all follow from the one list.
 */
export function withExceptions(
  policy: EffectivePolicy,
  list: readonly AccessException[],
  nowMs: number,
): EffectivePolicy {
  const live = liveExceptions(list, nowMs);
  if (live.length === 0) return policy;
  return { ...policy, urlAllowlist: [...policy.urlAllowlist, ...live.map((e) => e.filter)] };
}
