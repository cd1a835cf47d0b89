import { LEVELS, RESTRICTION_CLASSES } from '../types.ts';
import {
  type Collector,
  checkKnownKeys,
  expectArray,
  expectBoolean,
  expectEnum,
  expectString,
  isObject,
  join,
  typeName,
} from './collector.ts';
import { validateContentCondition } from './validate-content-condition.ts';
import { validateFilterList } from './validate-filter-list.ts';
import { validateWhen } from './validate-when.ts';

const RULE_KEYS = [
  'name',
  'rule_id',
  'description',
  'sources',
  'destinations',
  'content',
  'when',
  'restrictions',
];
const ENDPOINT_KEYS = [
  'urls',
  'apps',
  'incognito',
  'os_clipboard',
  'other_profile',
  'and',
  'or',
  'not',
];
const MAX_DEPTH = 8;

/** Validates `dataControls`, shaped like Chrome's DataControlsRules. */
export function validateDataControls(c: Collector, value: unknown, appIds: Set<string>): void {
  if (!expectArray(c, 'dataControls', value)) return;
  const ruleIds = new Map<string, number>();
  value.forEach((rule, i) => {
    const path = join('dataControls', i);
    if (!isObject(rule)) {
      c.error(
        path,
        `must be a rule object with name, rule_id and restrictions, got ${typeName(rule)}.`,
      );
      return;
    }
    checkKnownKeys(c, path, rule, RULE_KEYS);
    expectString(c, join(path, 'name'), rule.name, { required: true, max: 200 });
    if (expectString(c, join(path, 'rule_id'), rule.rule_id, { required: true, max: 200 })) {
      const first = ruleIds.get(rule.rule_id);
      if (first !== undefined) {
        c.error(
          join(path, 'rule_id'),
          `"${rule.rule_id}" is already used by dataControls[${first}]; rule ids must be unique.`,
        );
      } else ruleIds.set(rule.rule_id, i);
    }
    expectString(c, join(path, 'description'), rule.description, { max: 2000 });
    if (rule.sources !== undefined)
      validateEndpoint(c, join(path, 'sources'), rule.sources, appIds, 0);
    if (rule.destinations !== undefined) {
      validateEndpoint(c, join(path, 'destinations'), rule.destinations, appIds, 0);
    }
    if (rule.content !== undefined) {
      validateContentCondition(c, join(path, 'content'), rule.content);
      const classes = Array.isArray(rule.restrictions)
        ? rule.restrictions.map((r) => (isObject(r) ? r.class : undefined))
        : [];
      if (classes.some((k) => k === 'PRINTING' || k === 'FILE_DOWNLOAD')) {
        c.warning(
          join(path, 'content'),
          'is checked on paste, drop, text-file upload and form submission only: PRINTING and FILE_DOWNLOAD restrictions of this rule never apply.',
        );
      }
    }
    if (rule.when !== undefined) validateWhen(c, join(path, 'when'), rule.when);
    validateRestrictions(c, join(path, 'restrictions'), rule.restrictions);
  });
}

function validateRestrictions(c: Collector, path: string, value: unknown): void {
  if (value === undefined) {
    c.error(path, 'is required: list at least one { "class": "CLIPBOARD", "level": "BLOCK" }.');
    return;
  }
  if (!expectArray(c, path, value)) return;
  if (value.length === 0) c.error(path, 'is empty: a rule with no restriction does nothing.');
  const classes = new Set<string>();
  value.forEach((r, i) => {
    const at = join(path, i);
    if (!isObject(r)) {
      c.error(at, `must be { "class": …, "level": … }, got ${typeName(r)}.`);
      return;
    }
    checkKnownKeys(c, at, r, ['class', 'level']);
    if (r.class === undefined) c.error(join(at, 'class'), 'is required.');
    if (r.level === undefined) c.error(join(at, 'level'), 'is required.');
    if (expectEnum(c, join(at, 'class'), r.class, RESTRICTION_CLASSES)) {
      if (classes.has(r.class)) {
        c.error(
          join(at, 'class'),
          `${r.class} appears twice in this rule; keep one level per class.`,
        );
      }
      classes.add(r.class);
    }
    expectEnum(c, join(at, 'level'), r.level, LEVELS);
  });
}

function validateEndpoint(
  c: Collector,
  path: string,
  value: unknown,
  appIds: Set<string>,
  depth: number,
): void {
  if (!isObject(value)) {
    c.error(path, `must be an object such as { "urls": ["example.com"] }, got ${typeName(value)}.`);
    return;
  }
  if (depth > MAX_DEPTH) {
    c.error(path, `nests and/or/not deeper than ${MAX_DEPTH} levels; simplify the condition.`);
    return;
  }
  checkKnownKeys(c, path, value, ENDPOINT_KEYS);
  if (value.urls !== undefined) validateFilterList(c, join(path, 'urls'), value.urls);
  if (expectArray(c, join(path, 'apps'), value.apps)) {
    value.apps.forEach((id, i) => {
      if (typeof id !== 'string' || !appIds.has(id)) {
        const known = appIds.size
          ? ` Declared app ids: ${[...appIds].join(', ')}.`
          : ' No apps are declared.';
        c.error(
          join(join(path, 'apps'), i),
          `${JSON.stringify(id)} is not an app id declared in "apps".${known}`,
        );
      }
    });
  }
  expectBoolean(c, join(path, 'incognito'), value.incognito);
  expectBoolean(c, join(path, 'os_clipboard'), value.os_clipboard);
  expectBoolean(c, join(path, 'other_profile'), value.other_profile);
  for (const key of ['and', 'or'] as const) {
    const list = value[key];
    if (!expectArray(c, join(path, key), list)) continue;
    if (list.length === 0)
      c.error(join(path, key), `is empty: "${key}" needs at least one condition.`);
    list.forEach((sub, i) => validateEndpoint(c, join(join(path, key), i), sub, appIds, depth + 1));
  }
  if (value.not !== undefined) validateEndpoint(c, join(path, 'not'), value.not, appIds, depth + 1);
  if (Object.keys(value).length === 0) {
    c.warning(path, 'is empty and matches everything; remove it or add a condition.');
  }
}
