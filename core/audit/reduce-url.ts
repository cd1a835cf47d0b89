import type { AuditUrlDetail } from '../policy/types.ts';

/**
 * Reduces a URL to what the policy allows an audit event to keep: the whole URL without
 * credentials or fragment (`full`), scheme, host and port (`origin`), or nothing (`none`).
 */
export function reduceUrl(url: string, detail: AuditUrlDetail): string | undefined {
  if (detail === 'none') return undefined;
  const m = /^([a-z][a-z0-9+.-]*:)(\/\/)?([^/?#]*)([^#]*)/i.exec(url);
  if (!m) return detail === 'full' ? url.split('#')[0] : undefined;
  const [, scheme, slashes = '', authority = '', rest = ''] = m;
  const host = authority.includes('@')
    ? authority.slice(authority.lastIndexOf('@') + 1)
    : authority;
  const origin = `${scheme!.toLowerCase()}${slashes}${host}`;
  if (detail === 'origin') return slashes ? origin : scheme!.toLowerCase();
  return origin + rest;
}
