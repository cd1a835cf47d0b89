import { isStandardScheme } from './standard-schemes.ts';
import type { ParsedUrl } from './url-filter-types.ts';

const isSlash = (c: number, standard: boolean): boolean => c === 47 || (standard && c === 92);

/**
 * What a string that is not a URL (GURL `is_valid()` false: no scheme, a bad scheme
 * character) is matched as. Chrome's URLMatcher still runs on an invalid GURL; its scheme
 * matches no `scheme://` filter and it has no host or path, so only `*` (or `*` with a port
 * of 0, i.e. none) matches it — the blocklist `*` blocks it. See docs/url-filters.md.
 */
export const INVALID_URL: ParsedUrl = Object.freeze({
  scheme: '',
  host: '',
  port: -1,
  path: '',
  query: null,
  hasAuthority: false,
});

/** The port in `url[start, end)`: 1–5 digits, else -1. */
function portNumber(url: string, start: number, end: number): number {
  if (end <= start || end - start > 5) return -1;
  let n = 0;
  for (let k = start; k < end; k++) {
    const d = url.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** `http` / `https` as constant strings (no slice, no lowercasing) — nearly every URL's scheme. */
function commonScheme(url: string, start: number, colon: number): string | null {
  const len = colon - start;
  if (len !== 4 && len !== 5) return null;
  if ((url.charCodeAt(start) | 0x20) !== 104 || (url.charCodeAt(start + 1) | 0x20) !== 116)
    return null;
  if ((url.charCodeAt(start + 2) | 0x20) !== 116 || (url.charCodeAt(start + 3) | 0x20) !== 112)
    return null;
  if (len === 4) return 'http';
  return (url.charCodeAt(start + 4) | 0x20) === 115 ? 'https' : null;
}

/** Returns the default port of `scheme` (url/url_constants.cc), or -1 (GURL's PORT_UNSPECIFIED). */
export function defaultPort(scheme: string): number {
  switch (scheme) {
    case 'https':
    case 'wss':
      return 443;
    case 'http':
    case 'ws':
      return 80;
    case 'ftp':
      return 21;
    default:
      return -1;
  }
}

function isSchemeChar(code: number, first: boolean): boolean {
  const lower = code | 0x20;
  if (lower >= 97 && lower <= 122) return true;
  if (first) return false;
  return (code >= 48 && code <= 57) || code === 43 || code === 45 || code === 46;
}

/** ASCII-only lowercasing, as Chromium's `base::ToLowerASCII`. */
export function toLowerAscii(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) return text.replace(/[A-Z]+/g, (m) => m.toLowerCase());
  }
  return text;
}

/**
 * Splits a canonical URL into the parts Chromium's URL blocklist matches on.
 *
 * This is a light parser, not a canonicalizer: callers at the edges (extension, PWA,
 * server) pass `new URL(raw).href` so hosts are already lowercase/punycode and paths
 * percent-encoded, exactly what Chromium's GURL would hand its URLMatcher. Userinfo and
 * the fragment are dropped, as `URLMatcherConditionFactory::CanonicalizeURLForComponentSearches`
 * never looks at them. Never throws; returns null when there is no `scheme:` (decide such
 * strings as `INVALID_URL`). How it follows GURL: docs/url-filters.md.
 *
 * @example parseUrl('https://user@Mail.Example.com:8443/a?b#c')
 * // → { scheme: 'https', host: 'mail.example.com', port: 8443, path: '/a', query: 'b', hasAuthority: true }
 */
export function parseUrl(url: string): ParsedUrl | null {
  if (typeof url !== 'string') return null;
  let start = 0;
  let end = url.length;
  while (start < end && url.charCodeAt(start) <= 0x20) start++;
  while (end > start && url.charCodeAt(end - 1) <= 0x20) end--;
  let colon = start;
  for (; colon < end; colon++) {
    const c = url.charCodeAt(colon);
    if (c === 58) break;
    if (!isSchemeChar(c, colon === start)) return null;
  }
  if (colon === start || colon >= end) return null;
  const scheme = commonScheme(url, start, colon) ?? url.slice(start, colon).toLowerCase();
  const hash = url.indexOf('#', colon);
  const stop = hash === -1 || hash > end ? end : hash;
  let i = colon + 1;
  let host = '';
  let explicitPort = -1;
  // GURL reads a standard scheme's authority after any number of slashes, even none
  // (`chrome:policy` is chrome://policy/, `https:///a` is https://a/); file: has a host only
  // after two slashes (`file:x` is file:///x); other schemes only after `//`.
  const standard = isStandardScheme(scheme);
  const file = scheme === 'file';
  let slashes = 0;
  while (i + slashes < stop && isSlash(url.charCodeAt(i + slashes), standard)) slashes++;
  const hasAuthority = standard || slashes >= 2;
  if (file && slashes < 2) i += slashes;
  else if (hasAuthority) {
    i += standard && !file ? slashes : 2;
    // One pass over the authority: the last '@' ends userinfo, a ':' after any ']' starts the port.
    let hostStart = i;
    let portColon = -1;
    let authEnd = i;
    for (; authEnd < stop; authEnd++) {
      const c = url.charCodeAt(authEnd);
      if (c === 47 || c === 63 || (standard && c === 92)) break;
      if (c === 64) {
        hostStart = authEnd + 1;
        portColon = -1;
      } else if (c === 58) portColon = authEnd;
      else if (c === 93) portColon = -1;
    }
    let hostEnd = authEnd;
    if (portColon !== -1) {
      hostEnd = portColon;
      explicitPort = portNumber(url, portColon + 1, authEnd);
    }
    host = toLowerAscii(url.slice(hostStart, hostEnd));
    i = authEnd;
  }
  const question = url.indexOf('?', i);
  const pathEnd = question === -1 || question > stop ? stop : question;
  let path = url.slice(i, pathEnd);
  if (standard && path.charCodeAt(0) !== 47) path = '/' + path;
  const query = pathEnd < stop ? url.slice(pathEnd + 1, stop) : null;
  const port = explicitPort >= 0 ? explicitPort : defaultPort(scheme);
  return { scheme, host, port, path, query, hasAuthority };
}
