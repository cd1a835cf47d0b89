import type { UrlFilter } from '../../../core/policy/types.ts';

/**
 * A URL filter (Chrome's URLBlocklist format) in plain words, for the transparency page.
 * It describes the common shapes and says nothing it is not sure of: unusual filters are
 * shown as written, next to these words, anyway.
 *
 * @example describeFilter('example.com') // 'example.com and all its subdomains'
 */
export function describeFilter(filter: UrlFilter): string {
  const f = filter.trim();
  if (f === '*') return 'every website';
  const scheme = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(f);
  const rest = scheme ? scheme[2]! : f;
  const schemeWords = scheme ? ` (${scheme[1]!.toLowerCase()} only)` : '';
  if (scheme && (rest === '' || rest === '*'))
    return `every ${scheme[1]!.toLowerCase()}:// address`;
  const m = /^(\.)?([^/:?]+)(:\d+)?(\/[^?]*)?(\?.*)?$/.exec(rest);
  if (!m) return f;
  const [, exact, host, port, path, queryPart] = m;
  let words =
    host === '*'
      ? 'every site'
      : exact
        ? `${host} only (not its subdomains)`
        : `${host} and all its subdomains`;
  if (port) words += `, port ${port.slice(1)}`;
  if (path && path !== '/') words += `, pages under ${path}`;
  if (queryPart) words += `, when the address contains ${queryPart}`;
  return words + schemeWords;
}
