import {
  type Collector,
  checkKnownKeys,
  expectArray,
  expectString,
  isObject,
  join,
  typeName,
} from './collector.ts';
import { validateFilterList } from './validate-filter-list.ts';
import { validateWhen } from './validate-when.ts';

const KEYS = ['name', 'when', 'urlBlocklist', 'urlAllowlist'];

/** Validates `urlSchedules`: named URL lists that apply only during their `when`. */
export function validateUrlSchedules(c: Collector, value: unknown): void {
  if (!expectArray(c, 'urlSchedules', value)) return;
  const names = new Map<string, number>();
  value.forEach((s, i) => {
    const path = join('urlSchedules', i);
    if (!isObject(s)) {
      c.error(path, `must be { name, when, urlBlocklist?, urlAllowlist? }, got ${typeName(s)}.`);
      return;
    }
    checkKnownKeys(c, path, s, KEYS);
    if (expectString(c, join(path, 'name'), s.name, { required: true, max: 200 })) {
      const first = names.get(s.name.toLowerCase());
      if (first !== undefined) {
        c.error(
          join(path, 'name'),
          `"${s.name}" is already used by urlSchedules[${first}]; schedule names must be unique.`,
        );
      } else names.set(s.name.toLowerCase(), i);
    }
    if (s.when === undefined) {
      c.error(join(path, 'when'), 'is required: the days and hours these lists apply.');
    } else validateWhen(c, join(path, 'when'), s.when);
    if (s.urlBlocklist !== undefined)
      validateFilterList(c, join(path, 'urlBlocklist'), s.urlBlocklist);
    if (s.urlAllowlist !== undefined)
      validateFilterList(c, join(path, 'urlAllowlist'), s.urlAllowlist);
    const empty = (l: unknown) => l === undefined || (Array.isArray(l) && l.length === 0);
    if (empty(s.urlBlocklist) && empty(s.urlAllowlist)) {
      c.warning(
        path,
        'has no filters: add a urlBlocklist or urlAllowlist, or remove the schedule.',
      );
    }
  });
}
