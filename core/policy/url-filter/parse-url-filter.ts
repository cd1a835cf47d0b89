import { toLowerAscii } from './parse-url.ts';
import { segmentFilter } from './segment-filter.ts';
import { trimUrl } from './trim-url-bounds.ts';
import { filterWarnings, invalidReason } from './filter-messages.ts';
import type { ParsedUrlFilter } from './url-filter-types.ts';

export type ParseUrlFilterResult =
  { ok: true; filter: ParsedUrlFilter; warnings: string[] } | { ok: false; message: string };

/**
 * Whether a host is not a plain domain name for `url::CanonicalizeHostVerbose` (its
 * family is IPV4, IPV6 or BROKEN rather than NEUTRAL). Chromium then matches the host
 * exactly instead of as a suffix. A host "ends in a number" (WHATWG) is parsed as IPv4.
 */
export function isIpLike(host: string): boolean {
  if (host.charCodeAt(0) === 91) return true; // '['
  let end = host.length;
  if (end > 1 && host.charCodeAt(end - 1) === 46) end--; // one trailing '.'
  const start = host.lastIndexOf('.', end - 1) + 1;
  if (start >= end) return false;
  let hex = false;
  let i = start;
  if (
    end - start >= 2 &&
    host[start] === '0' &&
    (host[start + 1] === 'x' || host[start + 1] === 'X')
  ) {
    hex = true;
    i += 2;
  }
  for (; i < end; i++) {
    const c = host.charCodeAt(i);
    const digit = c >= 48 && c <= 57;
    const lower = c | 0x20;
    if (!digit && !(hex && lower >= 97 && lower <= 102)) return false;
  }
  return true;
}

/** `FileURLToFilePath(GURL(filter))` on POSIX: unescaped, dot segments resolved, `//` → `/`. */
function filePath(trimmed: string): string | null {
  if (!/^file:/i.test(trimmed)) return null;
  let rest = trimmed.slice(5).replace(/\\/g, '/');
  const cut = rest.search(/[?#]/);
  if (cut !== -1) rest = rest.slice(0, cut);
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    rest = slash === -1 ? '/' : rest.slice(slash);
  }
  if (!rest.startsWith('/')) rest = '/' + rest;
  const out: string[] = [];
  for (const segment of rest.split('/').slice(1)) {
    if (segment === '..') out.pop();
    else if (segment !== '.') out.push(segment);
  }
  let path = '/' + out.join('/');
  if (/\/\.\.?$/.test(rest)) path += path.endsWith('/') ? '' : '/';
  try {
    path = decodeURIComponent(path);
  } catch {
    path = path.replace(/%([0-9a-f]{2})/gi, (m, hex: string) => {
      const code = parseInt(hex, 16);
      return code < 0x80 ? String.fromCharCode(code) : m;
    });
  }
  if (path.includes('\0')) return null;
  return path.replace(/\/{2,}/g, '/');
}

const scheme = (s: string, path = ''): ParsedUrlFilter => ({
  scheme: s,
  host: '',
  matchSubdomains: true,
  port: 0,
  path,
  query: '',
});

/**
 * Parses one URLBlocklist/URLAllowlist filter exactly as Chromium's
 * `url_matcher::util::FilterToComponents` does (components/url_matcher/url_util.cc):
 * `[scheme://][.]host[:port][/path][?query]`, plus the `scheme:*` / `scheme://*` forms,
 * `file://` paths and `data:` contents. Never throws. The Chrome facts this follows, and
 * which filters Chrome ignores: docs/url-filters.md.
 *
 * On success `warnings` lists Chrome-isms that make the filter mean something else than
 * it seems to (`*.example.com`, a `*` in a path, surrounding whitespace, non-ASCII hosts).
 *
 * @example parseUrlFilter('https://.mail.example.com:8443/inbox?tab=1')
 * // → ok, { scheme: 'https', host: 'mail.example.com', matchSubdomains: false, port: 8443,
 * //         path: '/inbox', query: 'tab=1' }
 */
export function parseUrlFilter(filter: string): ParseUrlFilterResult {
  if (typeof filter !== 'string') {
    return { ok: false, message: 'a URL filter must be a string' };
  }
  const parsed = toComponents(filter);
  if (typeof parsed === 'string') {
    return { ok: false, message: `${JSON.stringify(filter)} is not a valid URL filter: ${parsed}` };
  }
  return { ok: true, filter: parsed, warnings: filterWarnings(filter, parsed) };
}

/** `parseUrlFilter` without messages or warnings, for matchers and compilers: null if invalid. */
export function parseFilterComponents(filter: string): ParsedUrlFilter | null {
  if (typeof filter !== 'string') return null;
  const parsed = toComponents(filter);
  return typeof parsed === 'string' ? null : parsed;
}

/** FilterToComponents; a string result is the reason the filter is invalid. */
function toComponents(filter: string): ParsedUrlFilter | string {
  const seg = segmentFilter(filter);
  // Scheme wildcards: "scheme:*" and the older "scheme://*" (compared untrimmed, like Chromium).
  if (seg.scheme !== '' && filter.endsWith(':*') !== filter.endsWith('://*')) {
    const lower = toLowerAscii(filter);
    if (lower === `${seg.scheme}:*` || lower === `${seg.scheme}://*`) return scheme(seg.scheme);
  }
  if (seg.scheme === 'file') {
    const path = filePath(trimUrl(filter));
    return path === null ? invalidReason(filter, seg) : scheme('file', path);
  }
  if (seg.scheme === 'data') {
    const trimmed = trimUrl(filter);
    const content = trimmed.slice(trimmed.indexOf(':') + 1);
    const hash = content.indexOf('#');
    return scheme('data', hash === -1 ? content : content.slice(0, hash));
  }
  if (seg.host === null || seg.host === '') return invalidReason(filter, seg);

  let host = toLowerAscii(seg.host);
  let matchSubdomains = true;
  if (host === '*') {
    host = '';
  } else if (host.startsWith('.')) {
    host = host.slice(1);
    matchSubdomains = false;
  } else if (isIpLike(host)) {
    matchSubdomains = false;
  } else {
    host = '.' + host;
  }

  let port = 0;
  if (seg.port !== null && seg.port !== '') {
    // base::StringToInt accepts an optional sign; 0, negatives and > 65535 are rejected.
    if (!/^[+-]?\d+$/.test(seg.port)) return invalidReason(filter, seg);
    const value = Number(seg.port);
    if (!(value >= 1 && value <= 65535)) return invalidReason(filter, seg);
    port = value;
  }
  return {
    scheme: seg.explicitScheme ? seg.scheme : '',
    host,
    matchSubdomains,
    port,
    path: seg.path ?? '',
    query: seg.query ?? '',
  };
}
