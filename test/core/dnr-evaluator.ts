/**
 * A reference evaluator of declarativeNetRequest semantics, for tests: which rule wins for a
 * request. Follows Chrome's documentation
 * (https://developer.chrome.com/docs/extensions/reference/api/declarativeNetRequest):
 * - urlFilter: `||` anchors at the start of the host or of one of its labels, `|` at the
 *   start/end of the URL, `*` is any run of characters, `^` a separator (anything but a
 *   letter, digit, `_ - . %`) or the end of the URL; case-insensitive unless
 *   `isUrlFilterCaseSensitive`.
 * - regexFilter: matched against the whole URL (same case rule).
 * - requestDomains / excludedRequestDomains: the host or any of its subdomains.
 * - the highest priority wins; at equal priority allow > allowAllRequests > block >
 *   upgradeScheme > redirect.
 */
import type { DnrRule, DnrActionType } from '../../core/policy/compile-dnr.ts';

const ACTION_ORDER: Record<DnrActionType, number> = {
  allow: 5,
  allowAllRequests: 4,
  block: 3,
  upgradeScheme: 2,
  redirect: 1,
};

const compiled = new WeakMap<
  DnrRule,
  { test: (url: string, host: string, hostStart: number) => boolean }
>();

function hostOf(url: string): { host: string; start: number } {
  const m = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url);
  if (!m) return { host: '', start: -1 };
  let start = m[0].length;
  let end = start;
  while (end < url.length && !'/?#'.includes(url[end] as string)) end++;
  const at = url.lastIndexOf('@', end - 1);
  if (at >= start) start = at + 1;
  let hostEnd = end;
  const colon = url.lastIndexOf(':', end - 1);
  const bracket = url.lastIndexOf(']', end - 1);
  if (colon >= start && colon > bracket) hostEnd = colon;
  return { host: url.slice(start, hostEnd).toLowerCase(), start };
}

function urlFilterMatcher(
  filter: string,
  caseSensitive: boolean,
): (url: string, hostStart: number, host: string) => boolean {
  let body = filter;
  let domainAnchor = false;
  let left = false;
  let right = false;
  if (body.startsWith('||')) {
    domainAnchor = true;
    body = body.slice(2);
  } else if (body.startsWith('|')) {
    left = true;
    body = body.slice(1);
  }
  if (body.endsWith('|')) {
    right = true;
    body = body.slice(0, -1);
  }
  let source = '';
  for (const ch of body) {
    if (ch === '*') source += '[\\s\\S]*';
    else if (ch === '^') source += '(?:[^A-Za-z0-9_\\-.%]|$)';
    else source += ch.replace(/[\\^$.|?*+()[\]{}/]/g, '\\$&');
  }
  if (right) source += '$';
  const flags = caseSensitive ? '' : 'i';
  if (domainAnchor) {
    const sticky = new RegExp(source, flags + 'y');
    return (url, hostStart, host) => {
      if (hostStart < 0) return false;
      for (let i = 0; i <= host.length; i++) {
        if (i !== 0 && host[i - 1] !== '.') continue;
        if (i === host.length) break;
        sticky.lastIndex = hostStart + i;
        if (sticky.test(url)) return true;
      }
      return false;
    };
  }
  const re = new RegExp((left ? '^' : '') + source, flags);
  return (url) => re.test(url);
}

/** requestDomains semantics: the host or one of its parent domains is listed. */
function domainSet(domains: readonly string[]): (host: string) => boolean {
  const set = new Set(domains);
  return (host) => {
    for (let h = host; h !== '';) {
      if (set.has(h)) return true;
      const dot = h.indexOf('.');
      if (dot === -1) return false;
      h = h.slice(dot + 1);
    }
    return false;
  };
}

function compile(rule: DnrRule): (url: string, host: string, hostStart: number) => boolean {
  const c = rule.condition;
  const cs = c.isUrlFilterCaseSensitive === true;
  const url = c.urlFilter !== undefined ? urlFilterMatcher(c.urlFilter, cs) : null;
  const regex = c.regexFilter !== undefined ? new RegExp(c.regexFilter, cs ? '' : 'i') : null;
  const included = c.requestDomains ? domainSet(c.requestDomains) : null;
  const excluded = c.excludedRequestDomains ? domainSet(c.excludedRequestDomains) : null;
  return (u, host, hostStart) => {
    if (included && !included(host)) return false;
    if (excluded && excluded(host)) return false;
    if (url && !url(u, hostStart, host)) return false;
    if (regex && !regex.test(u)) return false;
    return true;
  };
}

interface RuleIndex {
  /** Rules that can only match when the host is (a subdomain of) the key. */
  byDomain: Map<string, DnrRule[]>;
  /** Rules that can only match when the host is exactly the key. */
  byHost: Map<string, DnrRule[]>;
  rest: DnrRule[];
}

const indexes = new WeakMap<readonly DnrRule[], RuleIndex>();

/**
 * A prefilter so 30,000 rules evaluate fast: it only skips rules that cannot match —
 * requestDomains, `||host/…` and `|scheme://host/…` filters name the host they need.
 */
function indexOf(rules: readonly DnrRule[]): RuleIndex {
  let index = indexes.get(rules);
  if (index) return index;
  index = { byDomain: new Map(), byHost: new Map(), rest: [] };
  const add = (map: Map<string, DnrRule[]>, key: string, rule: DnrRule) => {
    const list = map.get(key);
    if (list) list.push(rule);
    else map.set(key, [rule]);
  };
  for (const rule of rules) {
    const { requestDomains, urlFilter } = rule.condition;
    const anchored = urlFilter ? /^(\|\||\|[a-z]+:\/\/)([a-z0-9._-]+)\//.exec(urlFilter) : null;
    if (requestDomains) for (const d of requestDomains) add(index.byDomain, d, rule);
    else if (anchored?.[1] === '||') add(index.byDomain, anchored[2] as string, rule);
    else if (anchored) add(index.byHost, anchored[2] as string, rule);
    else index.rest.push(rule);
  }
  indexes.set(rules, index);
  return index;
}

function candidates(rules: readonly DnrRule[], host: string): Iterable<DnrRule> {
  const index = indexOf(rules);
  const out = new Set<DnrRule>(index.rest);
  for (const r of index.byHost.get(host) ?? []) out.add(r);
  for (let h = host; h !== '';) {
    for (const r of index.byDomain.get(h) ?? []) out.add(r);
    const dot = h.indexOf('.');
    if (dot === -1) break;
    h = h.slice(dot + 1);
  }
  return out;
}

/** The rule Chrome would apply to a request, or null when none matches. */
export function evaluateDnr(
  rules: readonly DnrRule[],
  url: string,
  type: 'main_frame' | 'sub_frame' = 'main_frame',
): DnrRule | null {
  const { host, start } = hostOf(url);
  let best: DnrRule | null = null;
  for (const rule of candidates(rules, host)) {
    if (!rule.condition.resourceTypes.includes(type)) continue;
    let entry = compiled.get(rule);
    if (!entry) {
      entry = { test: compile(rule) };
      compiled.set(rule, entry);
    }
    if (!entry.test(url, host, start)) continue;
    if (
      !best ||
      rule.priority > best.priority ||
      (rule.priority === best.priority &&
        ACTION_ORDER[rule.action.type] > ACTION_ORDER[best.action.type])
    ) {
      best = rule;
    }
  }
  return best;
}

/** Whether DNR stops the request (block, or redirect to the blocked page). */
export function dnrBlocks(rules: readonly DnrRule[], url: string): boolean {
  const rule = evaluateDnr(rules, url);
  return rule !== null && (rule.action.type === 'block' || rule.action.type === 'redirect');
}
