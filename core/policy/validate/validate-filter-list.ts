import { validateUrlFilters } from '../url-filter/validate-url-filters.ts';
import { type Collector, expectArray } from './collector.ts';

/**
 * Validates a list of URL filters in Chrome's URLBlocklist format: every invalid filter is
 * an error at its index; Chrome's own pitfalls (such as `*.example.com`) and duplicates are
 * warnings. Returns whether the list has no error.
 */
export function validateFilterList(c: Collector, path: string, value: unknown): boolean {
  if (!expectArray(c, path, value)) return false;
  const diagnostics = validateUrlFilters(value, path);
  c.diagnostics.push(...diagnostics);
  return !diagnostics.some((d) => d.severity === 'error');
}
