import { parseUrlFilter } from '../../core/policy/url-filter/parse-url-filter.ts';
import { generateFilters } from '../url-match/generate-filters.ts';

/**
 * A policy document of `filters` generated URL filters, as Chrome would take them: the few
 * the server refuses as invalid are dropped.
 */
export function generatedPolicy(filters: number) {
  const g = generateFilters(filters, 0);
  const valid = (list: string[]) => list.filter((f) => parseUrlFilter(f).ok);
  return {
    name: `${filters} filters`,
    urlBlocklist: valid(g.blocklist),
    urlAllowlist: valid(g.allowlist),
  };
}
