import { parseUrlFilter } from './parse-url-filter.ts';
import type { Diagnostic } from '../types.ts';

/**
 * Diagnostics for one list of URL filters, for the policy validator: an error for each
 * filter Chrome would reject (saying how to fix it), warnings for filters that parse but
 * likely do not mean what they seem to, and a warning for each filter that duplicates an
 * earlier one (same meaning, even if written differently, e.g. `Example.com` and `example.com`).
 *
 * @param path the list's path in the policy, e.g. `urlBlocklist` or `apps[2].urls`.
 * @example validateUrlFilters(['htp:/x'], 'urlBlocklist')
 * // → [{ path: 'urlBlocklist[0]', severity: 'error', message: '"htp:/x" is not a valid URL filter: … Did you mean "http://x"?' }]
 */
export function validateUrlFilters(filters: readonly unknown[], path: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Map<string, number>();
  filters.forEach((filter, i) => {
    const at = `${path}[${i}]`;
    if (typeof filter !== 'string') {
      out.push({ path: at, severity: 'error', message: 'a URL filter must be a string' });
      return;
    }
    const result = parseUrlFilter(filter);
    if (!result.ok) {
      out.push({ path: at, severity: 'error', message: result.message });
      return;
    }
    for (const message of result.warnings) out.push({ path: at, severity: 'warning', message });
    const f = result.filter;
    const key = [f.scheme, f.host, f.matchSubdomains, f.port, f.path, f.query].join('\u0000');
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, i);
      return;
    }
    out.push({
      path: at,
      severity: 'warning',
      message: `${JSON.stringify(filter)} duplicates ${path}[${first}] (${JSON.stringify(filters[first])}): remove one.`,
    });
  });
  return out;
}
