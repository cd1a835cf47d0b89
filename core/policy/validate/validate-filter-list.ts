import { parseUrlFilter } from '../url-filter/parse-url-filter.ts';
import { type Collector, expectArray, join, typeName } from './collector.ts';

/**
 * Validates a list of URL filters in Chrome's URLBlocklist format: every invalid filter is
 * an error at its index; Chrome's own pitfalls (such as `*.example.com`) are warnings.
 */
export function validateFilterList(c: Collector, path: string, value: unknown): boolean {
  if (!expectArray(c, path, value)) return false;
  const seen = new Map<string, number>();
  let ok = true;
  value.forEach((filter, i) => {
    const at = join(path, i);
    if (typeof filter !== 'string') {
      c.error(at, `must be a URL filter string, got ${typeName(filter)}.`);
      ok = false;
      return;
    }
    const parsed = parseUrlFilter(filter);
    if (!parsed.ok) {
      c.error(at, parsed.message);
      ok = false;
      return;
    }
    for (const warning of parsed.warnings) c.warning(at, `${JSON.stringify(filter)}: ${warning}`);
    const first = seen.get(filter);
    if (first !== undefined) {
      c.warning(at, `${JSON.stringify(filter)} repeats ${join(path, first)}; remove one of them.`);
    } else {
      seen.set(filter, i);
    }
  });
  return ok;
}
