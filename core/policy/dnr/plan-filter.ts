import {
  HOST_MAX,
  HOST_RANK_UNIT,
  MAX_PRECEDENCE_RANK,
  precedenceRank,
  precedenceRankIsExact,
} from '../url-filter/filter-precedence.ts';
import { filterRegex, pathCanMatch, pathNeedsRegex, PLAIN_DOMAIN } from './dnr-patterns.ts';
import type { HostForm } from './dnr-patterns.ts';
import type { UrlFilterRule } from '../url-filter/url-filter-types.ts';
import type { PlannedCondition } from './rule-builder.ts';

/** One DNR condition a plan needs (resource types and action are added by the compiler). */
export interface PlanCondition {
  urlFilter?: string;
  regexFilter?: string;
  caseSensitive: boolean;
  /** Its DNR condition, made by the compiler on first use and kept with the plan. */
  dnr?: PlannedCondition;
}

/** How one filter becomes DNR rules; a filter has several plans, most exact first. */
export type Plan =
  | {
      kind: 'rules';
      priority: number;
      conditions: PlanCondition[];
      regex: number;
      loss: Loss | null;
      /** Set when the rule could instead share a regex rule with other hosts (see RegexPack). */
      regexPack?: RegexPack;
    }
  | { kind: 'pack'; priority: number; domain: string; urlFilter: string; loss: Loss | null }
  | { kind: 'none'; loss: Loss | null };

/**
 * A block filter `host/path` (subdomains, no query) as one host of a shared rule:
 * `regexFilter: pattern` (scheme, any authority, the path prefix) with the host in
 * `requestDomains`. Filters of equal priority and pattern share a rule, so a million-filter
 * list's paths take a few hundred regex rules instead of a rule each.
 */
export interface RegexPack {
  pattern: string;
  domain: string;
}

/** Why a plan is not exact, and the trigger filter covering where it may differ. */
export interface Loss {
  reason: string;
  trigger: string;
}

interface Shape {
  schemes: readonly string[];
  form: HostForm;
  domain: string;
  path: string;
}

/** A query-less Chrome filter string for a shape (used as a navigation-check trigger). */
function format(s: Shape): string {
  const host = s.form === 'any' ? '*' : s.form === 'exact' ? `.${s.domain}` : s.domain;
  const scheme = s.schemes.length === 1 ? `${s.schemes[0]}://` : '';
  return scheme + host + s.path;
}

const schemeFilter = (schemes: readonly string[]): string =>
  schemes.length === 1 ? `|${schemes[0]}://` : '';

/** The exact plan of a shape, or null when only a regex (see `regexPlan`) expresses it. */
function urlFilterPlan(s: Shape, priority: number, loss: Loss | null): Plan | null {
  if (s.path !== '' && pathNeedsRegex(s.path)) return null;
  if (s.form === 'suffix') {
    if (s.path === '') {
      return { kind: 'pack', priority, domain: s.domain, urlFilter: schemeFilter(s.schemes), loss };
    }
    if (s.schemes.length === 1) return null;
    const conditions = [{ urlFilter: `||${s.domain}${s.path}`, caseSensitive: true }];
    return { kind: 'rules', priority, conditions, regex: 0, loss };
  }
  if (s.form === 'exact') {
    const conditions = s.schemes.map((scheme) => ({
      urlFilter: `|${scheme}://${s.domain}${s.path || '/'}`,
      caseSensitive: s.path !== '',
    }));
    return { kind: 'rules', priority, conditions, regex: 0, loss };
  }
  if (s.path !== '') return null;
  const urlFilter = schemeFilter(s.schemes);
  const conditions = [urlFilter ? { urlFilter, caseSensitive: false } : { caseSensitive: false }];
  return { kind: 'rules', priority, conditions, regex: 0, loss };
}

/**
 * Longest regexFilter emitted. Chrome rejects a regex whose compiled RE2 program exceeds
 * 2 KB — and a single rejected rule fails the whole `updateDynamicRules` call — so long
 * paths are not turned into regexes.
 */
const MAX_REGEX_LENGTH = 400;

function regexPlan(
  s: Shape,
  rule: UrlFilterRule,
  priority: number,
  loss: Loss | null,
): Plan | null {
  const regexFilter = filterRegex(s.schemes, s.form, s.domain, s.path, rule.conditions[0]);
  if (regexFilter.length > MAX_REGEX_LENGTH) return null;
  return {
    kind: 'rules',
    priority,
    conditions: [{ regexFilter, caseSensitive: true }],
    regex: 1,
    loss,
  };
}

/**
 * The DNR plans for one filter, as seen by regular-authority http(s) URLs (the only ones
 * its rules decide; see `leftToNavigationCheck`).
 *
 * A block filter's plans never match more than the filter (DNR must not block what Chrome
 * allows); when none fits, it is dropped and reported. An allow filter's plans never match
 * less — they widen instead (drop query conditions, the scheme, a path with DNR wildcard
 * characters, then the path) — so an allow filter always wins where Chrome lets it win.
 */
export function planFilter(filter: string, rule: UrlFilterRule): Plan[] {
  if (rule.scheme !== '' && rule.scheme !== 'http' && rule.scheme !== 'https') {
    return [none(filter, `DNR does not see ${rule.scheme}: navigations`)];
  }
  let schemes = rule.scheme === '' ? BOTH : [rule.scheme];
  if (rule.port !== 0) schemes = schemes.filter((s) => (s === 'http' ? 80 : 443) === rule.port);
  if (schemes.length === 0) return [none(filter, 'it matches only URLs with an explicit port')];
  const form: HostForm = !rule.matchSubdomains ? 'exact' : rule.host === '' ? 'any' : 'suffix';
  let domain = rule.host;
  if (domain.startsWith('.')) domain = domain.slice(1);
  if (domain.endsWith('.')) domain = domain.slice(0, -1);
  if (form !== 'any' && !PLAIN_DOMAIN.test(domain)) {
    return [
      none(
        filter,
        `it has ${domain.startsWith('[') ? 'an IPv6 host' : 'a host no canonical URL has'}`,
      ),
    ];
  }
  if (rule.path !== '' && !pathCanMatch(rule.path)) {
    return [none(filter, 'its path is not written as URLs carry it (percent-encoded)')];
  }
  const shape: Shape = { schemes, form, domain, path: rule.path };
  const exactRank = precedenceRankIsExact(rule);
  const rank = precedenceRank(rule);
  return rule.allow
    ? allowPlans(shape, rule, rank, exactRank)
    : blockPlans(filter, shape, rule, rank, exactRank);
}

const BOTH: readonly string[] = ['http', 'https'];

/**
 * The pack plan of a plain `host` filter (no scheme, port, path, query, leading dot; not an
 * IP), computed without parsing — most filters of a large list are such. Returns null for
 * anything else; then `planFilter` decides. Both agree (a property test checks it).
 */
export function planPlainHost(filter: string): { domain: string; priority: number } | null {
  const n = filter.length;
  if (n === 0 || n + 1 > HOST_MAX) return null;
  let lastDot = -1;
  let upper = false;
  for (let i = 0; i < n; i++) {
    const c = filter.charCodeAt(i);
    if (c === 46) {
      if (i === 0 || i === n - 1 || lastDot === i - 1) return null;
      lastDot = i;
    } else if (c >= 65 && c <= 90) upper = true;
    else if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 95)) return null;
  }
  // A last label that is a number (or 0x…) makes Chromium parse the host as IPv4: exact match.
  const last = filter.slice(lastDot + 1);
  if (/^(?:\d+|0x[0-9a-f]*)$/i.test(last)) return null;
  const domain = upper ? filter.toLowerCase() : filter;
  // precedenceRank of a subdomain-matching host stored as "." + host, no path or query.
  return { domain, priority: 2 + (n + 1) * HOST_RANK_UNIT };
}

/** The reason of a block filter no rule budget was left for. */
export const OVER_BUDGET = 'over the DNR rule budget';

/** No rule; the filter itself (without its query) is the navigation-check trigger. */
function none(filter: string, reason: string): Plan {
  return { kind: 'none', loss: { reason, trigger: filter.replace(/\?.*$/s, '') } };
}

function blockPlans(
  filter: string,
  s: Shape,
  rule: UrlFilterRule,
  rank: number,
  exactRank: boolean,
): Plan[] {
  if (!exactRank) return [none(filter, 'its precedence is beyond DNR priorities')];
  if (rule.conditions.length > 1)
    return [none(filter, 'DNR cannot express several query conditions')];
  const plan =
    (rule.conditions.length === 0 ? urlFilterPlan(s, rank, null) : null) ??
    regexPlan(s, rule, rank, null);
  if (!plan) return [none(filter, 'it is too long for a DNR regexFilter')];
  if (
    plan.kind === 'rules' &&
    s.form === 'suffix' &&
    s.path !== '' &&
    rule.conditions.length === 0
  ) {
    const pattern = filterRegex(s.schemes, 'any', '', s.path);
    if (pattern.length <= MAX_REGEX_LENGTH) plan.regexPack = { pattern, domain: s.domain };
  }
  // Packs always fit; other rules may not, and the filter is then left to the navigation check.
  return plan.kind === 'pack' ? [plan] : [plan, none(filter, OVER_BUDGET)];
}

function allowPlans(s: Shape, rule: UrlFilterRule, rank: number, exactRank: boolean): Plan[] {
  const priority = exactRank ? rank : MAX_PRECEDENCE_RANK;
  const plans: Plan[] = [];
  let loss: Loss | null = exactRank
    ? null
    : { reason: 'its precedence is beyond DNR priorities', trigger: format(s) };
  const widen = (reason: string, next: Shape): void => {
    s = next;
    loss = { reason: loss ? `${loss.reason}; ${reason}` : reason, trigger: format(next) };
  };
  const push = (plan: Plan | null): void => {
    if (plan) plans.push(plan);
  };
  if (rule.conditions.length > 0) {
    if (rule.conditions.length === 1 && !rule.conditions[0]?.all) {
      push(regexPlan(s, rule, priority, loss));
    }
    widen('query conditions of an allow filter are checked on navigation', s);
  }
  push(
    urlFilterPlan(s, priority, loss) ?? regexPlan(s, { ...rule, conditions: [] }, priority, loss),
  );
  if (s.path !== '' && pathNeedsRegex(s.path)) {
    widen('DNR wildcard characters in the path', { ...s, path: s.path.replace(/[*^|].*$/s, '') });
    push(urlFilterPlan(s, priority, loss));
  }
  if (s.form === 'suffix' && s.path !== '' && s.schemes.length === 1) {
    widen('the scheme is dropped in DNR', { ...s, schemes: ['http', 'https'] });
    push(urlFilterPlan(s, priority, loss));
  }
  if (s.path !== '' || s.form === 'exact') {
    widen('widened to the whole host in DNR', {
      ...s,
      path: '',
      form: s.form === 'exact' ? 'suffix' : s.form,
    });
    push(urlFilterPlan(s, priority, loss));
  }
  return plans;
}
