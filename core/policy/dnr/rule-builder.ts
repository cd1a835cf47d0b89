import type { DnrRule, DnrLimits } from './dnr-types.ts';
import { chunkCount, hashChunks, type HostPack } from './host-pack.ts';

const RESOURCE_TYPES: DnrRule['condition']['resourceTypes'] = ['main_frame', 'sub_frame'];

export type RuleAction = DnrRule['action'];

/**
 * A rule condition shared by every compile that emits it (with its JSON, the duplicate key):
 * rules that did not change are then the same condition objects, which the extension's rule
 * diff fingerprints once. Never mutated.
 */
export interface PlannedCondition {
  condition: DnrRule['condition'];
  key: string;
}

export function plannedCondition(
  condition: Omit<DnrRule['condition'], 'resourceTypes'>,
): PlannedCondition {
  return {
    condition: { ...condition, resourceTypes: [...RESOURCE_TYPES] },
    key: JSON.stringify(condition),
  };
}

/** Actions' JSON, by object (a compile uses a handful of action objects). */
const actionKeys = new WeakMap<RuleAction, string>();

function actionKey(action: RuleAction): string {
  let key = actionKeys.get(action);
  if (key === undefined) actionKeys.set(action, (key = JSON.stringify(action)));
  return key;
}

/** The condition of each packed chunk array, so an unchanged chunk's rule keeps it too. */
const chunkConditions = new WeakMap<readonly string[], DnrRule['condition']>();

interface PackGroup {
  action: RuleAction;
  priority: number;
  urlFilter: string;
  /** A regexFilter instead of the urlFilter (case-sensitive, for a path). */
  regexFilter?: string;
  /** Hosts added during this compile (none of them in `kept`). */
  domains: Set<string>;
  /** The hosts a compile plan keeps across compiles for this group (DnrCompilePlan). */
  kept?: HostPack;
}

/**
 * Accumulates DNR rules: assigns ids, packs domains into `requestDomains` chunks of the
 * same action, priority and urlFilter, drops exact duplicates, and counts regex and unsafe
 * rules against the limits.
 */
export class RuleBuilder {
  readonly rules: DnrRule[] = [];
  regexCount = 0;
  unsafeCount = 0;
  packedHosts = 0;
  private readonly seen = new Set<string>();
  private packs: PackGroup[] = [];
  private packIndex = new Map<RuleAction, Map<string, Map<number, PackGroup>>>();

  /**
   * `chunkCache` (from a compile plan): the chunks of the groups built per compile in the
   * last compile (`last`, read) and in this one (`next`, written), so an unchanged chunk is
   * handed out as the same array.
   */
  constructor(
    private readonly limits: DnrLimits,
    private readonly chunkCache?: {
      last: Map<string, string[][]>;
      next: Map<string, string[][]>;
    },
  ) {}

  get ruleCount(): number {
    return this.rules.length;
  }

  /**
   * Adds one rule; returns false (and adds nothing) if it is an exact duplicate. `unique`
   * skips that check for a rule known to be new (a pack chunk: its key would be the JSON of
   * up to maxDomainsPerRule hosts, megabytes at a million filters).
   */
  add(
    action: RuleAction,
    priority: number,
    condition: Omit<DnrRule['condition'], 'resourceTypes'>,
    unique = false,
  ): boolean {
    if (!unique) {
      const key = JSON.stringify([action, priority, condition]);
      if (this.seen.has(key)) return false;
      this.seen.add(key);
    }
    this.rules.push({
      id: this.limits.firstRuleId + this.rules.length,
      priority,
      action,
      condition: { ...condition, resourceTypes: [...RESOURCE_TYPES] },
    });
    if (condition.regexFilter !== undefined) this.regexCount++;
    if (isUnsafe(action)) this.unsafeCount++;
    return true;
  }

  /**
   * Adds one rule with a shared condition (see PlannedCondition); false if it is an exact
   * duplicate of one added before in this compile.
   */
  addPlanned(action: RuleAction, priority: number, planned: PlannedCondition): boolean {
    const key = `${actionKey(action)}|${priority}|${planned.key}`;
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    this.push(action, priority, planned.condition);
    return true;
  }

  private push(action: RuleAction, priority: number, condition: DnrRule['condition']): void {
    this.rules.push({
      id: this.limits.firstRuleId + this.rules.length,
      priority,
      action,
      condition,
    });
    if (condition.regexFilter !== undefined) this.regexCount++;
    if (isUnsafe(action)) this.unsafeCount++;
  }

  /**
   * Queues a domain for a packed rule; `flushPacks` turns the queue into rules. With
   * `regexFilter`, the rule matches that (case-sensitive) regex instead of `urlFilter`.
   */
  pack(
    action: RuleAction,
    priority: number,
    urlFilter: string,
    domain: string,
    regexFilter?: string,
  ): void {
    const byPriority = this.packGroups(action, urlFilter, regexFilter);
    let group = byPriority.get(priority);
    if (!group) {
      group = { action, priority, urlFilter, regexFilter, domains: new Set() };
      byPriority.set(priority, group);
      this.packs.push(group);
    }
    if (!group.kept?.has(domain)) group.domains.add(domain);
  }

  /**
   * Queues a kept host set as the start of a packed group; `pack` calls for the same group
   * add to it for this compile only.
   */
  packKept(
    action: RuleAction,
    priority: number,
    urlFilter: string,
    kept: HostPack,
    regexFilter?: string,
  ): void {
    const byPriority = this.packGroups(action, urlFilter, regexFilter);
    const group: PackGroup = { action, priority, urlFilter, regexFilter, domains: new Set(), kept };
    byPriority.set(priority, group);
    this.packs.push(group);
  }

  /**
   * The packed groups of one action and filter, by priority. Keyed by object identity and
   * number first: this runs once per host of a huge list.
   */
  private packGroups(
    action: RuleAction,
    urlFilter: string,
    regexFilter: string | undefined,
  ): Map<number, PackGroup> {
    let byFilter = this.packIndex.get(action);
    if (!byFilter) this.packIndex.set(action, (byFilter = new Map()));
    // A urlFilter never starts with a NUL, so regex groups cannot collide with urlFilter ones.
    const filterKey = regexFilter === undefined ? urlFilter : `\0${regexFilter}`;
    let byPriority = byFilter.get(filterKey);
    if (!byPriority) byFilter.set(filterKey, (byPriority = new Map()));
    return byPriority;
  }

  /** How many rules the queued packs (of one action type, if given) will take. */
  pendingPackRules(type?: RuleAction['type']): number {
    let n = 0;
    for (const g of this.packs) {
      if (type === undefined || g.action.type === type) {
        n += chunkCount(sizeOf(g), this.limits.maxDomainsPerRule);
      }
    }
    return n;
  }

  /** How many regex rules the queued regex packs will take. */
  pendingRegexPackRules(): number {
    let n = 0;
    for (const g of this.packs) {
      if (g.regexFilter !== undefined) n += chunkCount(sizeOf(g), this.limits.maxDomainsPerRule);
    }
    return n;
  }

  /**
   * Emits the queued packs, choosing each one's action with `actionFor` (called per rule).
   * Chunks are cut in hash order (host-pack.ts), so they depend on the host set alone.
   */
  flushPacks(actionFor: (queued: RuleAction) => RuleAction = (a) => a): void {
    const max = this.limits.maxDomainsPerRule;
    for (const g of this.packs) {
      let chunks: string[][];
      if (g.kept) chunks = g.kept.chunks(max, [...g.domains]);
      else if (this.chunkCache) {
        const key = JSON.stringify([g.action, g.priority, g.urlFilter, g.regexFilter ?? null]);
        chunks = hashChunks(g.domains, max, this.chunkCache.last.get(key));
        this.chunkCache.next.set(key, chunks);
      } else chunks = hashChunks(g.domains, max);
      for (const chunk of chunks) {
        let condition = chunkConditions.get(chunk);
        if (
          !condition ||
          condition.regexFilter !== g.regexFilter ||
          (condition.urlFilter ?? '') !== (g.regexFilter === undefined ? g.urlFilter : '')
        ) {
          condition =
            g.regexFilter !== undefined
              ? {
                  regexFilter: g.regexFilter,
                  isUrlFilterCaseSensitive: true,
                  requestDomains: chunk,
                  resourceTypes: [...RESOURCE_TYPES],
                }
              : g.urlFilter
                ? {
                    urlFilter: g.urlFilter,
                    requestDomains: chunk,
                    resourceTypes: [...RESOURCE_TYPES],
                  }
                : { requestDomains: chunk, resourceTypes: [...RESOURCE_TYPES] };
          chunkConditions.set(chunk, condition);
        }
        // Chunks of one group are disjoint, and groups differ in action, priority or urlFilter.
        this.push(actionFor(g.action), g.priority, condition);
        this.packedHosts += chunk.length;
      }
    }
    this.packs = [];
    this.packIndex = new Map();
  }
}

function sizeOf(g: PackGroup): number {
  return g.domains.size + (g.kept?.size ?? 0);
}

export function isUnsafe(action: RuleAction): boolean {
  return action.type === 'redirect' || action.type === 'upgradeScheme';
}
