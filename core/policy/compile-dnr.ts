/**
 * URLBlocklist/URLAllowlist → declarativeNetRequest dynamic rules.
 *
 * Contract with the extension: for every http(s) main_frame/sub_frame request the rules
 * give Chrome's verdict (the core matcher's), except
 *   (a) URLs `leftToNavigationCheck` returns true for — any scheme but http(s), or an
 *       irregular authority (explicit port, userinfo, IPv6, trailing dot): one top-priority
 *       allow rule exempts those, and the extension decides them with `buildUrlMatcher`;
 *   (b) URLs matching the `trigger` of an `uncovered` entry: the extension decides them with
 *       the matcher too (`buildUrlFilterSet(uncovered.map(u => u.trigger))`).
 * And everywhere: a DNR block implies a matcher block (block rules are under-approximations,
 * allow rules over-approximations), so the navigation check only ever has to add blocks.
 *
 * What DNR cannot express, and what happens to it:
 * - Schemes other than http(s) (`file:`, `data:`, `javascript:`, `chrome:`, `custom:*` …):
 *   DNR never sees those navigations → uncovered, no rule.
 * - Explicit ports: a `urlFilter` cannot say "any port" after a host without also matching
 *   any path (`*` spans `/`), and `requestDomains` ignores ports. Filters with a port other
 *   than the scheme's default → uncovered; URLs with explicit ports → (a).
 * - Query conditions: at most one, in a block filter, as a regexFilter (RE2 has no
 *   lookahead for "these conditions in any order"). Allow filters' MATCH_ALL semantics
 *   ("every occurrence of the key carries the value") → widened to the query-less filter.
 * - A scheme restriction on a subdomain-matching host with a path, any-host paths, and
 *   paths containing `*`, `^` or `|` (DNR wildcards): regexFilter, within the regex budget.
 * - Exact hosts (`.example.com`): no DNR condition means "this host but not its subdomains"
 *   except an anchored urlFilter, one rule per filter and scheme; allow filters are
 *   widened to the whole domain (packable) when the budget runs out.
 * - Precedence beyond `precedenceRank`'s clamps (paths > 8191 chars, > 63 conditions).
 * - Budgets (30,000 rules, 5,000 unsafe, 1,000 regex): host-only filters are packed 20,000
 *   to a rule per (priority, scheme), so a million hosts take a few hundred rules; block
 *   `host/path` filters of equal priority and path share a regex rule (`regexFilter` of the
 *   path, hosts in `requestDomains`), largest groups first while the regex budget lasts;
 *   other block filters get rules in list order while budget lasts, then become uncovered.
 *   (docs/dnr-budget.md has the figures at a million filters.)
 *
 * Priorities come from `precedenceRank`, so an allow rule beats a block rule exactly when
 * Chrome's filter would (DNR lets allow win a tie). Block rules redirect to the blocked page
 * (`extensionPath`, no regexSubstitution, so they are not regex rules: the blocked page gets
 * the URL from the extension, which saw the navigation); past the unsafe-rule budget they are
 * plain `block` rules, which the extension turns into the blocked page on
 * `net::ERR_BLOCKED_BY_CLIENT`.
 */
import { parseFilterComponents } from './url-filter/parse-url-filter.ts';
import { MAX_PRECEDENCE_RANK, toUrlFilterRule } from './url-filter/filter-precedence.ts';
import { OVER_BUDGET, planFilter, planPlainHost } from './dnr/plan-filter.ts';
import type { Loss, Plan, PlanCondition } from './dnr/plan-filter.ts';
import { IRREGULAR_AUTHORITY_REGEX } from './dnr/dnr-patterns.ts';
import { addHttpsOnlyRules } from './dnr/https-only-rules.ts';
import { plannedCondition, RuleBuilder, type PlannedCondition } from './dnr/rule-builder.ts';
import { chunkCount, HostPack } from './dnr/host-pack.ts';
import type { ListEdit } from './list-edit.ts';
import type { RuleAction } from './dnr/rule-builder.ts';
import { DEFAULT_DNR_LIMITS } from './dnr/dnr-types.ts';
import type {
  DnrInput,
  DnrLimits,
  DnrResult,
  EnforcementSummary,
  UncoveredFilter,
} from './dnr/dnr-types.ts';

// The DNR types are this module's vocabulary: callers import them from here.
export type * from './dnr/dnr-types.ts';
export { leftToNavigationCheck } from './dnr/dnr-patterns.ts';

/** Above every filter rank: the irregular-authority allow, then httpsOnly. */
const IRREGULAR_PRIORITY = MAX_PRECEDENCE_RANK + 1;
const HTTPS_ONLY_PRIORITY = MAX_PRECEDENCE_RANK + 2;
/**
 * A delta's overlay (dnr-overlay.ts): an allow above every filter rule, below httpsOnly (an
 * upgrade or block of plain http still applies) and the guard's session rules.
 */
export const OVERLAY_PRIORITY = IRREGULAR_PRIORITY;
/**
 * Above every compiled rule: the extension's session rules for URLs its navigation check
 * blocked (it already judged them with the core matcher, so they must win over DNR's allows).
 */
export const GUARD_PRIORITY = MAX_PRECEDENCE_RANK + 3;

interface Planned {
  list: 'blocklist' | 'allowlist';
  index: number;
  filter: string;
  /**
   * Its plans, most exact first (`plansOf`). A block filter's last resort, "over the DNR
   * rule budget", is not kept (`overBudget`); a block path whose shared-regex group got rules
   * keeps none (null) until its group misses the budget — at a million filters most of them.
   */
  plans: Plan[] | null;
  /** The shared-regex group of a block path (its first plan's `regexPack`), if any. */
  group?: RegexGroup;
  /** The loss reported when none of a block filter's plans fit, made once. */
  overBudget?: Loss;
}

/** Block `host/path` filters of one priority and path pattern, which may share regex rules. */
interface RegexGroup {
  priority: number;
  pattern: string;
  /** Their hosts; `filters` counts the filters (a host may come from several). */
  hosts: HostPack;
}

/** What one filter needs: a host in a packed group, plans for the budget phases, or nothing. */
type FilterPlan =
  | { kind: 'pack'; priority: number; urlFilter: string; domain: string }
  | { kind: 'planned'; plans: Plan[] }
  | null;

function planOne(filter: string, allow: boolean): FilterPlan {
  const plain = typeof filter === 'string' ? planPlainHost(filter) : null;
  if (plain) return { kind: 'pack', priority: plain.priority, urlFilter: '', domain: plain.domain };
  const parsed = parseFilterComponents(filter);
  // Invalid filters never match (Chrome skips them): nothing to cover.
  if (!parsed) return null;
  let plans = planFilter(filter, toUrlFilterRule(parsed, allow));
  const first = plans[0];
  const second = plans[1];
  if (
    !allow &&
    plans.length === 2 &&
    second?.kind === 'none' &&
    second.loss?.reason === OVER_BUDGET
  )
    plans = [first as Plan];
  if (first?.kind === 'pack' && plans.length === 1 && !first.loss)
    return {
      kind: 'pack',
      priority: first.priority,
      urlFilter: first.urlFilter,
      domain: first.domain,
    };
  return first ? { kind: 'planned', plans } : null;
}

type ListName = 'blocklist' | 'allowlist';

/** One list's share of a compile plan. */
interface ListPlan {
  /** Filters that are not plain packed hosts, in list order. */
  planned: Planned[];
  /** Packed hosts by `${priority}|${urlFilter}`. */
  packs: Map<string, { priority: number; urlFilter: string; hosts: HostPack }>;
  /**
   * Shared-regex groups of the planned block paths by `${priority}|${pattern}`, kept across
   * compiles so a compile does not regroup every path.
   */
  regex: Map<string, RegexGroup>;
  /** `fallbackRuleBound` of the planned filters, until they change. */
  fallbackBound: number | null;
  valid: number;
  length: number;
}

/**
 * What a DNR compile needs from each filter, kept between compiles: the host groups of the
 * plain host filters (the bulk of a large list), the shared-regex groups of the block paths,
 * and the plans of the others, in list order (a grouped path keeps its plans only while its
 * group misses the budget). `patch` applies a list edit by re-planning only the filters it
 * removes and adds, and `compile` gives exactly the rules `compileDnr` gives for the edited
 * lists (it is how `compileDnr` compiles): the budget phases run again over the kept plans
 * and groups, packed groups whose hosts did not change keep their chunk arrays, and a rule
 * compiled again from a kept plan or chunk is the same condition object.
 */
export class DnrCompilePlan {
  private readonly lists: Record<ListName, ListPlan>;
  readonly limits: DnrLimits;
  private readonly allowAction: RuleAction = { type: 'allow' };
  private readonly blockPlaceholder: RuleAction = { type: 'block' };
  private readonly redirects = new Map<string, RuleAction>();
  /** The last compile's chunks of the groups built per compile (shared regex rules …). */
  private chunkCache = new Map<string, string[][]>();

  constructor(
    lists: { blocklist: readonly string[]; allowlist: readonly string[] },
    limitsIn: Partial<DnrLimits> = {},
  ) {
    this.limits = { ...DEFAULT_DNR_LIMITS, ...limitsIn };
    this.lists = {
      allowlist: planList(lists.allowlist, 'allowlist'),
      blocklist: planList(lists.blocklist, 'blocklist'),
    };
  }

  /** Whether this plan was made for these limits (a plan is only valid for its own). */
  madeFor(limitsIn: Partial<DnrLimits> = {}): boolean {
    const limits: DnrLimits = { ...DEFAULT_DNR_LIMITS, ...limitsIn };
    return (Object.keys(limits) as (keyof DnrLimits)[]).every((k) => limits[k] === this.limits[k]);
  }

  /**
   * Applies a list edit (core/policy/list-edit.ts) to the plan of `list`, whose filters
   * before it were `before`. False (and the plan must be rebuilt) when the edit does not fit.
   */
  patch(list: ListName, before: readonly string[], edit: ListEdit): boolean {
    const lp = this.lists[list];
    const allow = list === 'allowlist';
    const { removed, at, added } = edit;
    if (at.length !== added.length) return false;
    const gone = new Set<number>();
    for (const i of removed) {
      const filter = before[i];
      if (filter === undefined) return false;
      const plan = planOne(filter, allow);
      if (plan?.kind === 'pack') {
        const key = `${plan.priority}|${plan.urlFilter}`;
        const g = lp.packs.get(key);
        if (!g?.hosts.remove(plan.domain)) return false;
        // A group that is gone must not be there (even empty): groups are flushed in order.
        if (g.hosts.size === 0) lp.packs.delete(key);
      } else if (plan) {
        gone.add(i);
        const pack = regexPackOf(plan.plans);
        if (pack) {
          const key = `${pack.priority}|${pack.pattern}`;
          const g = lp.regex.get(key);
          if (!g?.hosts.remove(pack.domain)) return false;
          if (g.hosts.filters === 0) lp.regex.delete(key);
        }
      }
      if (plan) lp.valid--;
    }
    // Kept plans move to their new indexes; added ones are merged in at theirs.
    const fresh: Planned[] = [];
    for (let a = 0; a < added.length; a++) {
      const filter = added[a] as string;
      const plan = planOne(filter, allow);
      if (!plan) continue;
      lp.valid++;
      if (plan.kind === 'pack') packHost(lp, plan.priority, plan.urlFilter, plan.domain);
      else {
        const p: Planned = { list, index: at[a] as number, filter, plans: plan.plans };
        groupPath(lp, p, false);
        fresh.push(p);
      }
    }
    if (gone.size > 0 || fresh.length > 0) lp.fallbackBound = null;
    const planned: Planned[] = [];
    let r = 0;
    let m = 0;
    let f = 0;
    for (const p of lp.planned) {
      while (r < removed.length && (removed[r] as number) < p.index) r++;
      if (gone.has(p.index)) continue;
      const kept = p.index - r;
      while (m < at.length && (at[m] as number) <= kept + m) m++;
      const index = kept + m;
      while (f < fresh.length && (fresh[f] as Planned).index < index)
        planned.push(fresh[f++] as Planned);
      planned.push(p.index === index ? p : { ...p, index });
    }
    while (f < fresh.length) planned.push(fresh[f++] as Planned);
    lp.planned = planned;
    lp.length += added.length - removed.length;
    return true;
  }

  /** The rules for the planned lists, as `compileDnr` documents them. */
  compile(input: Omit<DnrInput, 'blocklist' | 'allowlist'>): DnrResult {
    const limits = this.limits;
    const chunkCache = { last: this.chunkCache, next: new Map<string, string[][]>() };
    const b = new RuleBuilder(limits, chunkCache);
    const uncovered: UncoveredFilter[] = [];
    const losses: Loss[] = [];
    // One action object per blocked page, so rules that did not change are equal objects.
    const redirect: RuleAction = this.redirects.get(input.blockedPagePath) ?? {
      type: 'redirect',
      redirect: { extensionPath: input.blockedPagePath },
    };
    this.redirects.set(input.blockedPagePath, redirect);
    const { allowAction, blockPlaceholder } = this;

    b.add(allowAction, IRREGULAR_PRIORITY, { regexFilter: IRREGULAR_AUTHORITY_REGEX });
    if (input.httpsOnly) addHttpsOnlyRules(b, input.httpsOnly, redirect, HTTPS_ONLY_PRIORITY);
    const httpsOnlyHosts = b.packedHosts;

    const report = (p: Planned, plan: Plan): void => {
      if (plan.loss) {
        const { reason, trigger } = plan.loss;
        uncovered.push({ filter: p.filter, list: p.list, index: p.index, reason, trigger });
        losses.push(plan.loss);
      }
    };
    // Host-only filters are packed (they are the bulk of large lists); the rest are kept, in
    // list order, for the budget: the allowlist first, then the blocklist.
    for (const [name, action] of [
      ['allowlist', allowAction],
      ['blocklist', blockPlaceholder],
    ] as const) {
      // In an order of the groups alone (not of list order), so that which packs get the
      // unsafe-rule budget does not depend on how the plan was reached.
      const groups = [...this.lists[name].packs.values()].sort(
        (x, y) => y.priority - x.priority || (x.urlFilter < y.urlFilter ? -1 : 1),
      );
      for (const g of groups) b.packKept(action, g.priority, g.urlFilter, g.hosts);
    }
    const allows = this.lists.allowlist.planned;
    const blocks = this.lists.blocklist.planned;
    // Block paths that share a priority and a path share regex rules, the largest groups first,
    // within the budget the allowlist's fallback leaves.
    const allowFallback = (this.lists.allowlist.fallbackBound ??= fallbackRuleBound(
      allows,
      limits,
    ));
    const regexPacked = packBlockPaths(
      b,
      this.lists.blocklist.regex,
      limits,
      limits.maxRules - b.ruleCount - b.pendingPackRules() - allowFallback,
      blockPlaceholder,
    );
    const otherBlocks: Planned[] = [];
    for (const p of blocks) {
      // Its group's rules hold it: its plans are made again if the group ever misses the budget.
      if (p.group !== undefined && regexPacked.has(p.group)) p.plans = null;
      else otherBlocks.push(p);
    }

    // Allow filters must all be in (widened if need be), or DNR would block what Chrome allows.
    let rulesLeft = limits.maxRules - b.ruleCount - b.pendingPackRules() - allowFallback;
    let regexLeft = limits.maxRegexRules - b.regexCount - b.pendingRegexPackRules();
    for (const p of allows) {
      const plans = plansOf(p);
      for (let k = 0; k < plans.length; k++) {
        const plan = plans[k] as Plan;
        const last = k === plans.length - 1;
        if (plan.kind === 'rules') {
          if (!last && (plan.conditions.length > rulesLeft || plan.regex > regexLeft)) continue;
          for (const c of plan.conditions) {
            const added = b.addPlanned(allowAction, plan.priority, dnrConditionOf(c));
            if (added && !last) rulesLeft--;
          }
          regexLeft -= plan.regex;
        } else if (plan.kind === 'pack') {
          b.pack(allowAction, plan.priority, plan.urlFilter, plan.domain);
        }
        report(p, plan);
        break;
      }
    }

    // Other block filters, in list order, while the budget lasts.
    rulesLeft = limits.maxRules - b.ruleCount - b.pendingPackRules();
    regexLeft = limits.maxRegexRules - b.regexCount - b.pendingRegexPackRules();
    let unsafeLeft = limits.maxUnsafeRules - b.unsafeCount - b.pendingPackRules('block');
    for (const p of otherBlocks) {
      let placed = false;
      for (const plan of plansOf(p)) {
        if (plan.kind === 'rules') {
          if (plan.conditions.length > rulesLeft || plan.regex > regexLeft) continue;
          for (const c of plan.conditions) {
            const action = unsafeLeft > 0 ? redirect : blockPlaceholder;
            if (b.addPlanned(action, plan.priority, dnrConditionOf(c))) {
              rulesLeft--;
              if (action === redirect) unsafeLeft--;
            }
          }
          regexLeft -= plan.regex;
        }
        report(p, plan);
        placed = true;
        break;
      }
      if (!placed) {
        const loss = (p.overBudget ??= {
          reason: OVER_BUDGET,
          trigger: p.filter.replace(/\?.*$/s, ''),
        });
        const { reason, trigger } = loss;
        uncovered.push({ filter: p.filter, list: p.list, index: p.index, reason, trigger });
        losses.push(loss);
      }
    }
    b.flushPacks((a) =>
      a.type === 'block' && b.unsafeCount < limits.maxUnsafeRules ? redirect : a,
    );

    this.chunkCache = chunkCache.next;
    if (b.ruleCount > limits.maxRules || b.regexCount > limits.maxRegexRules) {
      throw new Error(
        `compileDnr: the allowlist alone needs ${b.ruleCount} rules (${b.regexCount} regex), over Chrome's limits`,
      );
    }
    return {
      rules: b.rules,
      uncovered,
      stats: {
        ruleCount: b.ruleCount,
        regexRuleCount: b.regexCount,
        unsafeRuleCount: b.unsafeCount,
        filters: this.lists.allowlist.length + this.lists.blocklist.length,
        packedHosts: b.packedHosts - httpsOnlyHosts,
        enforcement: enforcementOf(this.lists.allowlist.valid + this.lists.blocklist.valid, losses),
      },
    };
  }
}

function planList(filters: readonly string[], list: ListName): ListPlan {
  const lp: ListPlan = {
    planned: [],
    packs: new Map(),
    regex: new Map(),
    fallbackBound: null,
    valid: 0,
    length: filters.length,
  };
  const allow = list === 'allowlist';
  for (let index = 0; index < filters.length; index++) {
    const filter = filters[index] as string;
    const plan = planOne(filter, allow);
    if (!plan) continue;
    lp.valid++;
    if (plan.kind === 'pack') {
      const key = `${plan.priority}|${plan.urlFilter}`;
      let g = lp.packs.get(key);
      if (!g)
        lp.packs.set(
          key,
          (g = { priority: plan.priority, urlFilter: plan.urlFilter, hosts: new HostPack() }),
        );
      g.hosts.load(plan.domain);
    } else {
      const p: Planned = { list, index, filter, plans: plan.plans };
      groupPath(lp, p, true);
      lp.planned.push(p);
    }
  }
  for (const g of lp.packs.values()) g.hosts.seal();
  for (const g of lp.regex.values()) g.hosts.seal();
  return lp;
}

/** The first plan's shared-regex form of a block path (see `packBlockPaths`), if any. */
function regexPackOf(
  plans: readonly Plan[],
): { priority: number; pattern: string; domain: string } | null {
  const first = plans[0];
  if (first?.kind !== 'rules' || !first.regexPack) return null;
  return { priority: first.priority, ...first.regexPack };
}

/**
 * Puts a planned block path into its shared-regex group (`bulk`: during planList, sealed
 * after) and drops its plans (`plansOf` makes them again when needed).
 */
function groupPath(lp: ListPlan, p: Planned, bulk: boolean): void {
  if (p.list !== 'blocklist') return;
  const pack = regexPackOf(plansOf(p));
  if (!pack) return;
  const key = `${pack.priority}|${pack.pattern}`;
  let g = lp.regex.get(key);
  if (!g)
    lp.regex.set(
      key,
      (g = { priority: pack.priority, pattern: pack.pattern, hosts: new HostPack() }),
    );
  if (bulk) g.hosts.load(pack.domain);
  else g.hosts.add(pack.domain);
  p.group = g;
  // Most of these filters end in a group that gets rules and need no plan of their own: the
  // others are planned again at the first compile (about a fifth at a million filters).
  p.plans = null;
}

/** A kept filter's plans, made again from its filter when they were dropped. */
function plansOf(p: Planned): Plan[] {
  if (p.plans) return p.plans;
  const plan = planOne(p.filter, p.list === 'allowlist');
  const plans = plan?.kind === 'planned' ? plan.plans : [];
  const first = plans[0];
  if (first?.kind === 'rules') first.regexPack = undefined;
  return (p.plans = plans);
}

function packHost(lp: ListPlan, priority: number, urlFilter: string, domain: string): void {
  const key = `${priority}|${urlFilter}`;
  let g = lp.packs.get(key);
  if (!g) lp.packs.set(key, (g = { priority, urlFilter, hosts: new HostPack() }));
  g.hosts.add(domain);
}

/**
 * Queues the shared-regex groups of block paths (`regexPack`) of at least two filters, largest
 * first (then by priority and pattern: an order of the groups alone), while the regex budget
 * and `rulesLeft` last. Returns the groups it queued (their filters need nothing else).
 */
function packBlockPaths(
  b: RuleBuilder,
  groups: ReadonlyMap<string, RegexGroup>,
  limits: DnrLimits,
  rulesLeft: number,
  action: RuleAction,
): Set<RegexGroup> {
  const packed = new Set<RegexGroup>();
  let regexLeft = limits.maxRegexRules - b.regexCount - b.pendingRegexPackRules();
  const sorted = [...groups.values()].filter((g) => g.hosts.filters >= 2);
  sorted.sort(
    (x, y) =>
      y.hosts.filters - x.hosts.filters ||
      y.priority - x.priority ||
      (x.pattern < y.pattern ? -1 : x.pattern > y.pattern ? 1 : 0),
  );
  for (const g of sorted) {
    const rules = chunkCount(g.hosts.filters, limits.maxDomainsPerRule);
    if (rules > regexLeft || rules > rulesLeft) continue;
    regexLeft -= rules;
    rulesLeft -= rules;
    b.packKept(action, g.priority, '', g.hosts, g.pattern);
    packed.add(g);
  }
  return packed;
}

/** Upper bound of the rules allow filters take if every one falls back to its last plan. */
function fallbackRuleBound(allows: readonly Planned[], limits: DnrLimits): number {
  const packs = new Map<string, Set<string>>();
  const rules = new Set<string>();
  for (const p of allows) {
    const plans = plansOf(p);
    const last = plans[plans.length - 1];
    if (last?.kind === 'pack') {
      const key = `${last.priority}|${last.urlFilter}`;
      const set = packs.get(key) ?? new Set<string>();
      set.add(last.domain);
      packs.set(key, set);
    } else if (last?.kind === 'rules') {
      // The fields that make the rule, not the condition object: a kept plan's conditions
      // also carry their cached DNR condition (`dnr`), which a fresh plan's lack.
      for (const c of last.conditions)
        rules.add(JSON.stringify([last.priority, c.urlFilter, c.regexFilter, c.caseSensitive]));
    }
  }
  let n = rules.size;
  for (const set of packs.values()) n += chunkCount(set.size, limits.maxDomainsPerRule);
  return n;
}

/**
 * Compiles the lists into DNR dynamic rules (main_frame and sub_frame) that stay within
 * Chrome's limits for any list size. See the header comment for exactly what is covered.
 *
 * @example
 * const { rules, uncovered } = compileDnr({ blocklist: ['*'], allowlist: ['example.com'], blockedPagePath: '/blocked.html' });
 */
export function compileDnr(input: DnrInput, limitsIn: Partial<DnrLimits> = {}): DnrResult {
  return new DnrCompilePlan(input, limitsIn).compile(input);
}

/**
 * Sorts the valid filters by who enforces them (see EnforcementSummary). A filter is in
 * `uncovered` at most once, so the rest are exact in DNR.
 */
function enforcementOf(valid: number, uncovered: readonly Loss[]): EnforcementSummary {
  const out: EnforcementSummary = {
    dnrAllFrames: valid - uncovered.length,
    navigationCheck: 0,
    notFrameNavigations: 0,
    unenforced: 0,
  };
  for (const u of uncovered) out[lossKind(u)]++;
  return out;
}

type LossKind = Exclude<keyof EnforcementSummary, 'dnrAllFrames'>;

/** Who enforces an uncovered filter, by its plan's loss (a compile reports ~90,000 at 1M). */
const lossKinds = new WeakMap<Loss, LossKind>();

function lossKind(loss: Loss): LossKind {
  let kind = lossKinds.get(loss);
  if (kind === undefined) {
    const trigger = parseFilterComponents(loss.trigger);
    kind = !trigger
      ? 'unenforced'
      : trigger.scheme === 'javascript'
        ? 'notFrameNavigations'
        : 'navigationCheck';
    lossKinds.set(loss, kind);
  }
  return kind;
}

/**
 * The DNR condition of a plan condition, made once per plan condition: a kept plan compiled
 * again hands out the same object, so the extension's rule diff recognises it by identity.
 */
function dnrConditionOf(c: PlanCondition): PlannedCondition {
  return (c.dnr ??= plannedCondition(conditionOf(c)));
}

function conditionOf(c: { urlFilter?: string; regexFilter?: string; caseSensitive: boolean }): {
  urlFilter?: string;
  regexFilter?: string;
  isUrlFilterCaseSensitive?: boolean;
} {
  const out: { urlFilter?: string; regexFilter?: string; isUrlFilterCaseSensitive?: boolean } = {};
  if (c.urlFilter !== undefined) out.urlFilter = c.urlFilter;
  if (c.regexFilter !== undefined) out.regexFilter = c.regexFilter;
  if (c.caseSensitive) out.isUrlFilterCaseSensitive = true;
  return out;
}
