import { matchesQueryConditions } from './query-conditions.ts';
import type { ParsedUrl, UrlFilterRule } from './url-filter-types.ts';

/**
 * `URLMatcherConditionFactory::CanonicalizeHostname`: the host with one leading and one
 * trailing dot added unless already there (`example.com` → `.example.com.`, `` → `.`).
 * Comparing these forms is what makes a trailing dot in a URL host not matter.
 */
export function canonicalizeHostname(host: string): string {
  if (host === '') return '.';
  const suffixed = host.endsWith('.') ? host : host + '.';
  return suffixed.startsWith('.') ? suffixed : '.' + suffixed;
}

/**
 * The string a filter's host is looked up by in the canonical URL host: for a
 * subdomain-matching filter its `CanonicalizeHostSuffix` (a suffix of the URL's canonical
 * host, always starting with `.`), for an exact one its `CanonicalizeHostname` (equality).
 */
export function filterHostKey(f: { host: string; matchSubdomains: boolean }): string {
  if (!f.matchSubdomains) return canonicalizeHostname(f.host);
  if (f.host === '') return '.';
  return f.host.endsWith('.') ? f.host : f.host + '.';
}

/**
 * A URL prepared once per decision: its canonical host and `&` + query + `&`, computed on
 * first use (most decisions never need them).
 */
export class PreparedUrl {
  private canonical: string | null = null;
  private delimited: string | null | undefined = undefined;

  constructor(readonly url: ParsedUrl) {}

  get canonicalHost(): string {
    if (this.canonical === null) this.canonical = canonicalizeHostname(this.url.host);
    return this.canonical;
  }

  /** `&` + query + `&`, or null when the URL has no query (no condition can match then). */
  get delimitedQuery(): string | null {
    if (this.delimited === undefined) {
      this.delimited = this.url.query === null ? null : `&${this.url.query}&`;
    }
    return this.delimited;
  }
}

export function prepareUrl(url: ParsedUrl): PreparedUrl {
  return new PreparedUrl(url);
}

/**
 * Whether one filter matches a URL — the `URLMatcherConditionSet` Chromium builds in
 * `CreateConditionSet`: host suffix/equals + path prefix, then scheme, port (effective)
 * and query conditions.
 */
export function filterMatches(rule: UrlFilterRule, hostKey: string, u: PreparedUrl): boolean {
  const { url } = u;
  if (rule.scheme !== '' && rule.scheme !== url.scheme) return false;
  if (rule.port !== 0 && rule.port !== url.port) return false;
  if (rule.matchSubdomains ? !u.canonicalHost.endsWith(hostKey) : u.canonicalHost !== hostKey) {
    return false;
  }
  if (!url.path.startsWith(rule.path)) return false;
  if (rule.conditions.length === 0) return true;
  const delimited = u.delimitedQuery;
  return delimited !== null && matchesQueryConditions(rule.conditions, delimited);
}
