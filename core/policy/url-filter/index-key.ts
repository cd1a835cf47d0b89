import { parseFilterComponents } from './parse-url-filter.ts';
import { precedenceKey, toUrlFilterRule, WILDCARD_KEY } from './filter-precedence.ts';
import { filterHostKey } from './match-filter.ts';
import type { PreparedUrl } from './match-filter.ts';

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
const DOT = 46;

/** FNV-1a over `key` read backwards, so each '.'-suffix of a URL host falls out of one pass. */
export function hashKeyBackwards(key: string): number {
  let h = FNV_OFFSET;
  for (let i = key.length - 1; i >= 0; i--) h = Math.imul(h ^ key.charCodeAt(i), FNV_PRIME);
  return h;
}

/** Continues a backward hash over `text[start, end)`, ASCII-lowercased, right to left. */
function hashRangeLower(h: number, text: string, start: number, end: number): number {
  for (let i = end - 1; i >= start; i--) {
    const c = text.charCodeAt(i);
    h = Math.imul(h ^ (c >= 65 && c <= 90 ? c + 32 : c), FNV_PRIME);
  }
  return h;
}

/** What the index stores about one filter. */
export interface IndexKey {
  /** hashKeyBackwards(filterHostKey(rule)). */
  hash: number;
  /** The rule matches its host exactly (no subdomains). */
  exact: boolean;
  /** precedenceKey(rule). */
  key: number;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** Where scanPlain found the end of the host and of the path (scratch, single-threaded). */
let plainAuthEnd = 0;
let plainPathEnd = 0;

/**
 * Whether `filter` is a plain `host[/path][#…]`: no scheme, userinfo, port, query, leading
 * dot or bracket, whitespace, non-ASCII, backslash or `;` — what Chromium reads as
 * "http://" + filter with a subdomain-matching or IP host. Sets plainAuthEnd/plainPathEnd.
 * Returns 1 for a plain filter, -1 for a plain-looking but invalid one (no host), 0 otherwise.
 */
function scanPlain(filter: string): number {
  const n = filter.length;
  const first = filter.charCodeAt(0);
  if (n === 0 || first === 47 || first === 126 || first === 46 || first === 91) return 0; // / ~ . [
  let authEnd = -1;
  let pathEnd = n;
  for (let i = 0; i < n; i++) {
    const c = filter.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f || c === 58 || c === 59 || c === 64 || c === 92 || c === 63)
      return 0;
    if (c === 35) {
      pathEnd = i; // '#': the rest is a fragment
      break;
    }
    if (c === 47 && authEnd === -1) authEnd = i;
  }
  if (authEnd === -1) authEnd = pathEnd;
  if (authEnd === 0) return -1;
  plainAuthEnd = authEnd;
  plainPathEnd = pathEnd;
  return 1;
}

/** isIpLike on `filter[0, end)`: the last label (one trailing dot ignored) is a number or 0x-hex. */
function plainHostIsIp(filter: string, hostEnd: number): boolean {
  let end = hostEnd;
  if (end > 1 && filter.charCodeAt(end - 1) === DOT) end--;
  let start = filter.lastIndexOf('.', end - 1) + 1;
  if (start >= end) return false;
  if (
    end - start >= 2 &&
    filter[start] === '0' &&
    (filter[start + 1] === 'x' || filter[start + 1] === 'X')
  ) {
    for (start += 2; start < end; start++) {
      const c = filter.charCodeAt(start) | 0x20;
      if (!isDigit(c) && !(c >= 97 && c <= 102)) return false;
    }
    return true;
  }
  for (; start < end; start++) if (!isDigit(filter.charCodeAt(start))) return false;
  return true;
}

/**
 * The index entry of a filter; false if it is invalid. Most filters of a large list are a
 * plain `host[/path]`; for those the entry is computed in one scan of the string without
 * building the parsed filter (1M filters compile in about a second instead of two). Any other
 * shape goes through `parseFilterComponents`. Both paths must agree — a property test checks it.
 */
export function indexKey(filter: string, allow: boolean, out: IndexKey): boolean {
  const plain = scanPlain(filter);
  if (plain === -1) return false;
  if (plain === 1) {
    const authEnd = plainAuthEnd;
    const pathLen = plainPathEnd - authEnd;
    if (authEnd === 1 && filter.charCodeAt(0) === 42) {
      // Host "*": any host, key ".".
      out.hash = Math.imul(FNV_OFFSET ^ DOT, FNV_PRIME);
      out.exact = false;
      out.key = !allow && pathLen === 0 ? WILDCARD_KEY : keyOf(false, 0, pathLen, allow);
      return true;
    }
    // Key "." + host + "." (no second dot if the host ends with one), hashed backwards.
    let h =
      filter.charCodeAt(authEnd - 1) === DOT ? FNV_OFFSET : Math.imul(FNV_OFFSET ^ DOT, FNV_PRIME);
    h = hashRangeLower(h, filter, 0, authEnd);
    out.hash = Math.imul(h ^ DOT, FNV_PRIME);
    // An IP-like host is stored as written and matched exactly; a name is stored as "." + host.
    out.exact = plainHostIsIp(filter, authEnd);
    out.key = out.exact
      ? keyOf(true, authEnd, pathLen, allow)
      : keyOf(false, authEnd + 1, pathLen, allow);
    return true;
  }
  const parsed = parseFilterComponents(filter);
  if (!parsed) return false;
  const rule = toUrlFilterRule(parsed, allow);
  out.hash = hashKeyBackwards(filterHostKey(rule));
  out.exact = !rule.matchSubdomains;
  out.key = precedenceKey(rule);
  return true;
}

/**
 * Whether a plain filter (see scanPlain) matches the URL, without parsing it; undefined for
 * any other filter. `exact` is the index's exactness bit for it.
 */
export function plainFilterMatches(
  filter: string,
  exact: boolean,
  u: PreparedUrl,
): boolean | undefined {
  if (scanPlain(filter) !== 1) return undefined;
  const authEnd = plainAuthEnd;
  if (authEnd !== 1 || filter.charCodeAt(0) !== 42) {
    const canon = u.canonicalHost;
    const dotEnd = filter.charCodeAt(authEnd - 1) === DOT;
    const keyLen = authEnd + (dotEnd ? 1 : 2);
    if (exact ? canon.length !== keyLen : canon.length < keyLen) return false;
    const off = canon.length - keyLen;
    if (canon.charCodeAt(off) !== DOT) return false;
    for (let i = 0; i < authEnd; i++) {
      const c = filter.charCodeAt(i);
      if (canon.charCodeAt(off + 1 + i) !== (c >= 65 && c <= 90 ? c + 32 : c)) return false;
    }
    if (!dotEnd && canon.charCodeAt(off + 1 + authEnd) !== DOT) return false;
  }
  const path = u.url.path;
  const len = plainPathEnd - authEnd;
  if (path.length < len) return false;
  for (let i = 0; i < len; i++)
    if (path.charCodeAt(i) !== filter.charCodeAt(authEnd + i)) return false;
  return true;
}

/** precedenceKey of a filter without query conditions (see filter-precedence.ts). */
function keyOf(exact: boolean, hostLen: number, pathLen: number, allow: boolean): number {
  const host = Math.min(hostLen, 0xffff);
  const path = Math.min(pathLen, 2 ** 20 - 1);
  return (((exact ? 1 : 0) * 2 ** 16 + host) * 2 ** 20 + path) * 2 ** 10 * 2 + (allow ? 1 : 0);
}
