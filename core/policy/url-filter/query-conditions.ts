import type { QueryCondition } from './url-filter-types.ts';

/**
 * Turns a filter's query into Chromium's query element conditions
 * (`ProcessQueryToConditions` in components/url_matcher/url_util.cc, and
 * `URLQueryElementMatcherCondition` in url_matcher.cc):
 *
 * - `key=value` looks for `&key=value&`, `key=val*` for `&key=val`, a bare `key` (or `key=`)
 *   for `&key&` and `key*` for `&key`, in `&` + the URL's query + `&`.
 * - In a block filter every condition is MATCH_ANY: one occurrence is enough.
 * - In an allow filter a condition is MATCH_ALL — every occurrence of the key must carry
 *   the value, so appending `&v=other` to an allowed video URL does not stay allowed —
 *   unless its value part is empty (`key*`, `key=*`), which stays MATCH_ANY.
 *
 * Conditions are kept in a `std::set` ordered by (match type, search string), where a
 * MATCH_ALL condition's search string is only its key: so an allow filter `?a=1&a=2` keeps
 * one condition (`a=1`), and the count used in precedence is that of distinct conditions.
 */
export function queryConditions(query: string, allow: boolean): QueryCondition[] {
  const out: QueryCondition[] = [];
  const seen = new Set<string>();
  let pos = 0;
  while (pos < query.length) {
    // url::ExtractQueryKeyValue: key up to '&' or '=', value up to '&'.
    let cur = pos;
    while (cur < query.length && query[cur] !== '&' && query[cur] !== '=') cur++;
    let key = query.slice(pos, cur);
    if (query[cur] === '=') cur++;
    const valueStart = cur;
    while (cur < query.length && query[cur] !== '&') cur++;
    let value = query.slice(valueStart, cur);
    if (query[cur] === '&') cur++;
    pos = cur;

    const keyValue = value.length > 0;
    let prefix = false;
    if (!keyValue && key.endsWith('*')) {
      key = key.slice(0, -1);
      prefix = true;
    } else if (keyValue && value.endsWith('*')) {
      value = value.slice(0, -1);
      prefix = true;
    }
    const searchKey = keyValue ? `&${key}=` : `&${key}`;
    const searchValue = (keyValue ? value : '') + (prefix ? '' : '&');
    const all = allow && searchValue !== '';
    const id = all ? `A${searchKey}` : `Y${searchKey}${searchValue}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ all, key: searchKey, value: searchValue });
  }
  return out;
}

/**
 * Whether `delimited` (`&` + the URL's query + `&`) satisfies every condition
 * (`URLQueryElementMatcherCondition::IsMatch`).
 */
export function matchesQueryConditions(
  conditions: readonly QueryCondition[],
  delimited: string,
): boolean {
  for (const c of conditions) {
    if (!c.all) {
      if (!delimited.includes(c.key + c.value)) return false;
      continue;
    }
    let start = 0;
    let found = 0;
    for (;;) {
      const at = delimited.indexOf(c.key, start);
      if (at === -1) break;
      if (!delimited.startsWith(c.value, at + c.key.length)) return false;
      found++;
      // Chromium resumes on the value's last character so a shared '&' counts again.
      start = at + c.key.length + c.value.length - 1;
    }
    if (found === 0) return false;
  }
  return true;
}
