import { compileDnr, leftToNavigationCheck } from '../../core/policy/compile-dnr.ts';
import { buildUrlFilterSet } from '../../core/policy/url-filter/url-filter-set.ts';
import type { DnrRule, Platform } from '../platform/types.ts';
import type { ActivePolicy } from './active-policy.ts';

/** What the last rule update did, kept in storage.local across worker restarts. */
export interface RulesState {
  version: number;
  /** The access exceptions compiled in (ActivePolicy.exceptionsKey). */
  exceptions?: string;
  /** The URL schedules in force when compiled (`urlListsAt`'s key); absent: none. */
  schedule?: string;
  ruleCount: number;
  /**
   * Where DNR may disagree with the core matcher: the compiler's `trigger` filters of
   * uncovered filters, or null when the guard must check every navigation (the browser
   * refused the rules, or there are too many triggers to keep).
   */
  triggers: string[] | null;
  error?: string;
}

export const BLOCKED_PAGE_PATH = '/pages/blocked.html';
const MAX_TRIGGERS = 10_000;

/**
 * Replaces every dynamic rule with the policy's compiled rules in ONE updateDynamicRules
 * call, which the browser applies atomically: there is no moment with no rules or with a
 * mix of old and new. If the browser refuses the set (a limit), the previous rules stay and
 * the navigation guard enforces the whole new list (`triggers: null`) — a failure can cost
 * sub-frame coverage, never let a blocked top-level page through.
 */
export async function applyRules(platform: Platform, active: ActivePolicy): Promise<RulesState> {
  const { rules, uncovered } = compileDnr(
    {
      blocklist: active.lists.blocklist,
      allowlist: active.lists.allowlist,
      httpsOnly: active.policy.httpsOnly,
      blockedPagePath: BLOCKED_PAGE_PATH,
    },
    // The browser's own limits: Firefox allows 5,000 dynamic rules, Chrome 30,000.
    platform.dnr.limits,
  );
  const triggers =
    uncovered.length <= MAX_TRIGGERS ? [...new Set(uncovered.map((u) => u.trigger))] : null;
  const base = {
    version: active.version,
    exceptions: active.exceptionsKey,
    ruleCount: rules.length,
    ...(active.lists.key ? { schedule: active.lists.key } : {}),
  };
  try {
    await replaceRules(platform, rules as DnrRule[]);
    return { ...base, triggers };
  } catch (error) {
    return {
      ...base,
      triggers: null,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

/** Removes every dynamic rule (wipe). */
export async function clearRules(platform: Platform): Promise<void> {
  await replaceRules(platform, []);
}

async function replaceRules(platform: Platform, addRules: DnrRule[]): Promise<void> {
  // The navigation guard's session rules judged URLs under the previous policy: gone first,
  // so none outlives it even when the browser refuses the new dynamic set.
  const sessionIds = (await platform.dnr.getSessionRules()).map((r) => r.id);
  if (sessionIds.length > 0)
    await platform.dnr.updateSessionRules({ removeRuleIds: sessionIds, addRules: [] });
  const removeRuleIds = await platform.dnr.getDynamicRuleIds();
  await platform.dnr.updateDynamicRules({ removeRuleIds, addRules });
}

/**
 * Which navigations the guard must enforce itself, per compile-dnr's contract: URLs DNR
 * never judges (other schemes, irregular authorities) and URLs matching the trigger of an
 * uncovered filter — or every URL when the rules are unknown or were refused.
 */
export function fallbackFor(rules: RulesState | null): (url: string) => boolean {
  if (!rules || rules.triggers === null) return () => true;
  const triggers = rules.triggers.length > 0 ? buildUrlFilterSet(rules.triggers) : null;
  return (url) =>
    leftToNavigationCheck(url) || (triggers !== null && triggers.firstMatch(url) !== null);
}
