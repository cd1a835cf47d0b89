import { toLowerAscii } from './parse-url.ts';
import { isStandardScheme } from './standard-schemes.ts';

export { isStandardScheme } from './standard-schemes.ts';

/** The parts `url_formatter::SegmentURL` finds in a filter (strings, not offsets). */
export interface FilterSegments {
  /** The scheme SegmentURL settled on: explicit, or its `http` guess, or `''` for blank input. */
  scheme: string;
  /** Whether the scheme was written in the filter (`parsed.scheme.is_nonempty()`). */
  explicitScheme: boolean;
  /** null when SegmentURL did not parse a host (non-standard scheme, file:, empty authority). */
  host: string | null;
  port: string | null;
  path: string | null;
  query: string | null;
}

const isAuthorityTerminator = (c: number): boolean => c === 47 || c === 92 || c === 63 || c === 35; // / \ ? #

/** `HasPort` in url_fixer.cc: "www:123/" is a host and a port, not a scheme. */
function hasPort(text: string, colon: number): boolean {
  let end = colon + 1;
  while (end < text.length && !isAuthorityTerminator(text.charCodeAt(end))) end++;
  const piece = text.slice(colon + 1, end);
  if (piece === '' || !/^\d+$/.test(piece)) return false;
  const n = Number(piece);
  return n <= 65535;
}

/** `GetValidScheme` in url_fixer.cc. Returns the canonical scheme and where its colon is. */
function getValidScheme(text: string): { scheme: string; colon: number } | null {
  let begin = 0;
  while (begin < text.length && text.charCodeAt(begin) <= 0x20) begin++;
  const colon = text.indexOf(':', begin);
  if (colon <= begin) return null;
  for (let i = begin; i < colon; i++) {
    const c = text.charCodeAt(i);
    const lower = c | 0x20;
    const letter = lower >= 97 && lower <= 122;
    if (
      i === begin ? !letter : !(letter || (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46)
    )
      return null;
  }
  const scheme = toLowerAscii(text.slice(begin, colon));
  // "www.example.com:/" and "www:123/" are hosts, not schemes.
  if (scheme.includes('.') || hasPort(text, colon)) return null;
  return { scheme, colon };
}

/** `url::ParseStandardURL` from just after `scheme:` — authority, port, path, query. */
function parseAfterScheme(text: string, from: number, segments: FilterSegments): FilterSegments {
  let end = text.length;
  while (end > from && text.charCodeAt(end - 1) <= 0x20) end--;
  let i = from;
  while (i < end && (text.charCodeAt(i) === 47 || text.charCodeAt(i) === 92)) i++;
  let authEnd = i;
  while (authEnd < end && !isAuthorityTerminator(text.charCodeAt(authEnd))) authEnd++;
  // The last '@' ends the userinfo (ParseAuthority); ParseServerInfo then splits host:port.
  const at = authEnd > i ? text.lastIndexOf('@', authEnd - 1) : -1;
  const server = text.slice(at >= i ? at + 1 : i, authEnd);
  let ipv6End = server.startsWith('[') ? server.length : -1;
  let colon = -1;
  for (let k = 0; k < server.length; k++) {
    const c = server.charCodeAt(k);
    if (c === 93) ipv6End = k;
    else if (c === 58) colon = k;
  }
  if (colon > ipv6End) {
    segments.host = colon > 0 ? server.slice(0, colon) : null;
    segments.port = server.slice(colon + 1);
  } else {
    segments.host = server === '' ? null : server;
  }
  const rest = text.slice(authEnd, end);
  const hash = rest.indexOf('#');
  const beforeRef = hash === -1 ? rest : rest.slice(0, hash);
  const question = beforeRef.indexOf('?');
  segments.path = question === -1 ? beforeRef : beforeRef.slice(0, question);
  segments.query = question === -1 ? null : beforeRef.slice(question + 1);
  return segments;
}

/** A filter SegmentURL would read as "http://" + filter: no `:`, `;`, `@`, `\\`, spaces or non-ASCII. */
function isPlainHostAndPath(filter: string): boolean {
  const first = filter.charCodeAt(0);
  if (filter.length === 0 || first === 47 || first === 126) return false; // '/', '~'
  for (let i = 0; i < filter.length; i++) {
    const c = filter.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f || c === 58 || c === 59 || c === 64 || c === 92) return false;
  }
  return true;
}

/**
 * Chromium's `url_formatter::SegmentURL` as `FilterToComponents` uses it: guess the scheme
 * (default `http`), then let the standard-URL parser find host, port, path and query.
 * POSIX behaviour: input starting with `/` or `~` is taken as a file path.
 */
export function segmentFilter(filter: string): FilterSegments {
  const out: FilterSegments = {
    scheme: '',
    explicitScheme: false,
    host: null,
    port: null,
    path: null,
    query: null,
  };
  if (isPlainHostAndPath(filter)) {
    // Fast path, same result: no scheme, userinfo, port or whitespace → "http://" + filter.
    out.scheme = 'http';
    return parseAfterScheme(filter, 0, out);
  }
  const trimmed = filter.trim();
  if (trimmed === '') return out;
  if (trimmed[0] === '/' || trimmed[0] === '~') {
    out.scheme = 'file';
    return out;
  }
  let text = filter;
  let found = getValidScheme(text);
  if (!found) {
    // "http;//example.com": retry with the first ';' read as ':'.
    const semicolon = text.indexOf(';');
    if (semicolon > 0) {
      const fixed = text.slice(0, semicolon) + ':' + text.slice(semicolon + 1);
      const retry = getValidScheme(fixed);
      if (retry && (isStandardScheme(retry.scheme) || retry.scheme === 'about')) {
        text = fixed;
        found = retry;
      }
    }
  }
  out.scheme = found ? found.scheme : 'http';
  out.explicitScheme = found !== null;
  const s = out.scheme;
  if (s !== 'about' && s !== 'chrome' && s !== 'devtools' && !isStandardScheme(s)) return out;
  if (s === 'file') return out;
  if (found) return parseAfterScheme(text, found.colon + 1, out);
  // No scheme written: parse as if "http://" preceded the first non-space character.
  let first = 0;
  while (first < text.length && /\s/.test(text[first] ?? '')) first++;
  const inserted = text[first] === ':' ? 'http' : 'http://';
  const spec = text.slice(0, first) + inserted + text.slice(first);
  return parseAfterScheme(spec, spec.indexOf(':', first) + 1, out);
}
