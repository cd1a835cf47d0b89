import { DnrCompilePlan, leftToNavigationCheck } from '../../core/policy/compile-dnr.ts';
import { overlayRule } from '../../core/policy/dnr-overlay.ts';
import { buildUrlFilterSet } from '../../core/policy/url-filter/url-filter-set.ts';
import type { DnrRule, Platform } from '../platform/types.ts';
import type { RulesInput } from './active-policy.ts';

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
  /**
   * The installed dynamic rules as [id, fingerprint of the rule without its id], so the next
   * policy changes only the rules that differ (absent when the rules are not known).
   */
  keys?: [number, string][];
  /** How many rules the last update removed and added (all of them on a full replace). */
  changed?: { removed: number; added: number };
  /**
   * Set while a delta is enforced by the overlay (core/policy/dnr-overlay.ts): the dynamic
   * rules (`keys`, `triggers`) are still an earlier version's, the session rule
   * OVERLAY_RULE_ID allows these domains and the navigation check judges them. Cleared by the
   * next rule update (the fold), which removes the session rule once the dynamic set is new.
   * Stored apart (RULES_OVERLAY), with `version`: `rules` keeps the installed set's record.
   */
  overlay?: string[];
}

/** The session rule id of a delta's overlay; the navigation guard's own rules come after it. */
export const OVERLAY_RULE_ID = 1;

/**
 * The storage.local key of a pending overlay's record (`{ version, domains }`), kept apart
 * from `rules` so installing one does not rewrite the installed rules' record (30,000
 * fingerprints at a million filters, over 100 ms to store in Chromium).
 */
export const RULES_OVERLAY = 'rulesOverlay';

export interface OverlayRecord {
  version: number;
  domains: string[];
}

export const BLOCKED_PAGE_PATH = '/pages/blocked.html';

/**
 * Set in storage.local from just before a dynamic-rule update until the caller has stored
 * the RulesState it returns (`ruleUpdateRecorded`): while it is absent, the recorded rules
 * are the browser's.
 */
export const RULES_UPDATING = 'rulesUpdating';
const MAX_TRIGGERS = 10_000;

/**
 * Replaces the dynamic rules with the policy's compiled rules in ONE updateDynamicRules
 * call, which the browser applies atomically: there is no moment with no rules or with a
 * mix of old and new. With the previous update's state (`previous.keys`), only the rules
 * that differ are removed and added — a ten-filter delta touches a few rules, not 30,000 —
 * and the set installed is the same as a full replace's (ids aside). If the browser refuses
 * the set (a limit), the previous rules stay and the navigation guard enforces the whole new
 * list (`triggers: null`) — a failure can cost sub-frame coverage, never let a blocked
 * top-level page through. `whileIndexing` runs once the update is sent, while the browser
 * indexes the set (seconds at a million filters), for work that does not need its answer.
 */
export async function applyRules(
  platform: Platform,
  active: RulesInput,
  previous: RulesState | null = null,
  whileIndexing: () => void = () => {},
): Promise<RulesState> {
  // A delta patched the plan of the previous policy (active-policy.ts); anything else plans
  // the lists afresh. The browser's own limits: Firefox allows 5,000 dynamic rules, Chrome 30,000.
  if (!active.dnr?.madeFor(platform.dnr.limits))
    active.dnr = new DnrCompilePlan(active.lists, platform.dnr.limits);
  const plan = active.dnr;
  const { rules, uncovered } = plan.compile({
    httpsOnly: active.policy.httpsOnly,
    blockedPagePath: BLOCKED_PAGE_PATH,
  });
  const triggers =
    uncovered.length <= MAX_TRIGGERS ? [...new Set(uncovered.map((u) => u.trigger))] : null;
  const base = {
    version: active.version,
    exceptions: active.exceptionsKey,
    ruleCount: rules.length,
    ...(active.lists.key ? { schedule: active.lists.key } : {}),
  };
  try {
    // A diff fingerprints every new rule before the update; when the installed set is much
    // smaller than the new one (a first large policy) few rules can be kept, and a replace
    // fingerprints them while the browser indexes instead.
    const update =
      previous?.keys &&
      previous.error === undefined &&
      previous.keys.length * 4 >= rules.length &&
      (await installedAre(platform, previous.keys))
        ? changedRules(previous.keys, rules as DnrRule[], platform.dnr.limits?.firstRuleId)
        : null;
    if (update) {
      const overlaid = await clearSessionRules(platform, OVERLAY_RULE_ID);
      await platform.storage.local.set({ [RULES_UPDATING]: true });
      const updating = platform.dnr.updateDynamicRules({
        removeRuleIds: update.removeRuleIds,
        addRules: update.addRules,
      });
      whileIndexing();
      await updating;
      if (overlaid) await removeOverlay(platform);
      return {
        ...base,
        triggers,
        keys: update.keys,
        changed: { removed: update.removeRuleIds.length, added: update.addRules.length },
      };
    }
    let keys: [number, string][] = [];
    const overlaid = await replaceRules(platform, rules as DnrRule[], OVERLAY_RULE_ID, () => {
      keys = rules.map((r) => [r.id, fingerprint(r as DnrRule)]);
      whileIndexing();
    });
    if (overlaid) await removeOverlay(platform);
    return { ...base, triggers, keys, changed: { removed: -1, added: rules.length } };
  } catch (error) {
    return {
      ...base,
      triggers: null,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

/**
 * Whether the browser holds exactly the rule ids recorded (not so after a crash between an
 * update and its record). Only this module changes the dynamic rules, each time in one
 * atomic call marked in storage until recorded, so without the mark the record holds; with
 * it the browser's ids are read — which brings every rule into the worker's heap, each
 * packed host included (~900,000 strings at a million filters), so not on every delta.
 */
async function installedAre(
  platform: Platform,
  keys: readonly [number, string][],
): Promise<boolean> {
  const { [RULES_UPDATING]: updating } = await platform.storage.local.get(RULES_UPDATING);
  if (updating === undefined) return true;
  const ids = await platform.dnr.getDynamicRuleIds();
  if (ids.length !== keys.length) return false;
  const recorded = new Set(keys.map(([id]) => id));
  return ids.every((id) => recorded.has(id));
}

/**
 * The update that turns the installed rules (`installed`: id and fingerprint) into `next`:
 * a rule equal to an installed one keeps it (and its id), the others are added under ids
 * no kept rule uses, and the installed rules left over are removed.
 */
export function changedRules(
  installed: readonly [number, string][],
  next: readonly DnrRule[],
  firstId = 1,
): { removeRuleIds: number[]; addRules: DnrRule[]; keys: [number, string][] } {
  const byKey = new Map<string, number[]>();
  for (const [id, key] of installed) {
    const ids = byKey.get(key);
    if (ids) ids.push(id);
    else byKey.set(key, [id]);
  }
  const keys: [number, string][] = [];
  const fresh: { rule: DnrRule; key: string }[] = [];
  const kept = new Set<number>();
  for (const rule of next) {
    const key = fingerprint(rule);
    const id = byKey.get(key)?.pop();
    if (id !== undefined) {
      kept.add(id);
      keys.push([id, key]);
    } else fresh.push({ rule, key });
  }
  const removeRuleIds = installed.map(([id]) => id).filter((id) => !kept.has(id));
  // Removed ids are free again in the same call (the browser removes before it adds).
  let nextId = firstId;
  const addRules: DnrRule[] = [];
  for (const { rule, key } of fresh) {
    while (kept.has(nextId)) nextId++;
    const id = nextId++;
    addRules.push({ ...rule, id });
    keys.push([id, key]);
  }
  return { removeRuleIds, addRules, keys };
}

/**
 * Two 32-bit hashes (FNV-1a, and a variant from another offset) of the rule without its id:
 * its JSON with `requestDomains` left out, then apart the domains (a packed rule holds
 * 20,000; they are hashed in place rather than stringified, and the compile plan hands the
 * same array for an unchanged chunk, so that part is remembered per array).
 */
function fingerprint(rule: DnrRule): string {
  // The compile plan hands out the same condition (and action) objects for a rule that did
  // not change, so a delta's diff fingerprints only the rules it recompiled.
  const known = fingerprints.get(rule.condition);
  if (known && known.priority === rule.priority && known.action === rule.action) return known.key;
  const key = fingerprintOf(rule);
  fingerprints.set(rule.condition, { priority: rule.priority, action: rule.action, key });
  return key;
}

const fingerprints = new WeakMap<
  DnrRule['condition'],
  { priority: number | undefined; action: DnrRule['action']; key: string }
>();

function fingerprintOf(rule: DnrRule): string {
  const { requestDomains: listed, ...condition } = rule.condition;
  const head = JSON.stringify([rule.priority, rule.action, condition]);
  const domains = Array.isArray(listed) ? domainsKey(listed as readonly unknown[]) : '-';
  return `${hash([head])}.${head.length.toString(36)}:${domains}`;
}

const domainKeys = new WeakMap<readonly unknown[], string>();

function domainsKey(listed: readonly unknown[]): string {
  let key = domainKeys.get(listed);
  if (key === undefined) {
    const domains = listed.map(String);
    let length = 0;
    for (const d of domains) length += d.length + 1;
    key = `${hash(domains)}.${length.toString(36)}.${domains.length}`;
    domainKeys.set(listed, key);
  }
  return key;
}

function hash(parts: readonly string[]): string {
  let a = 0x811c9dc5 | 0;
  let b = 0x050c5d1f | 0;
  for (const text of parts) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
    }
    // A separator no domain contains.
    a = Math.imul(a, 0x01000193);
    b = Math.imul(b ^ 0xff, 0x01000193) ^ (b >>> 15);
  }
  return `${(a >>> 0).toString(36)}.${(b >>> 0).toString(36)}`;
}

/** Removes every dynamic rule (wipe). */
export async function clearRules(platform: Platform): Promise<void> {
  await replaceRules(platform, []);
}

async function replaceRules(
  platform: Platform,
  addRules: DnrRule[],
  keep?: number,
  whileIndexing: () => void = () => {},
): Promise<boolean> {
  const overlaid = await clearSessionRules(platform, keep);
  const removeRuleIds = await platform.dnr.getDynamicRuleIds();
  await platform.storage.local.set({ [RULES_UPDATING]: true });
  const updating = platform.dnr.updateDynamicRules({ removeRuleIds, addRules });
  whileIndexing();
  await updating;
  return overlaid;
}

/** Called once the RulesState of an update is stored (or removed, with the rules): see RULES_UPDATING. */
export async function ruleUpdateRecorded(platform: Platform): Promise<void> {
  // Every update ends any overlay (applyRules drops its session rule): its record goes too.
  await platform.storage.local.remove([RULES_UPDATING, RULES_OVERLAY]);
}

/**
 * The navigation guard's session rules judged URLs under the previous policy: gone first,
 * so none outlives it even when the browser refuses the new dynamic set. A delta's overlay
 * (`keep`) stays until the dynamic rules that replace it are in (`dropOverlay`).
 */
async function clearSessionRules(platform: Platform, keep?: number): Promise<boolean> {
  const ids = (await platform.dnr.getSessionRules()).map((r) => r.id);
  const sessionIds = ids.filter((id) => id !== keep);
  if (sessionIds.length > 0)
    await platform.dnr.updateSessionRules({ removeRuleIds: sessionIds, addRules: [] });
  return sessionIds.length < ids.length;
}

/** Removes a delta's overlay rule, if the browser holds one. */
export async function dropOverlay(platform: Platform): Promise<void> {
  const session = await platform.dnr.getSessionRules();
  if (session.some((r) => r.id === OVERLAY_RULE_ID)) await removeOverlay(platform);
}

function removeOverlay(platform: Platform): Promise<void> {
  return platform.dnr.updateSessionRules({ removeRuleIds: [OVERLAY_RULE_ID], addRules: [] });
}

/**
 * Enforces a delta without touching the dynamic rules: one session-rule update replaces the
 * guard's rules (judged under the previous policy) and any earlier overlay with the overlay
 * of `domains` (all of them: those of earlier deltas still pending too). The installed rules stay
 * recorded (`keys`), so the fold's update changes only what differs. Milliseconds, where a
 * dynamic update of a million-filter set takes seconds (docs/delta-sync.md, "Overlay").
 */
export async function applyOverlay(
  platform: Platform,
  previous: RulesState,
  version: number,
  domains: readonly string[],
): Promise<RulesState> {
  const removeRuleIds = (await platform.dnr.getSessionRules()).map((r) => r.id);
  await platform.dnr.updateSessionRules({
    removeRuleIds,
    addRules: [overlayRule(OVERLAY_RULE_ID, domains) as DnrRule],
  });
  return { ...previous, version, overlay: [...domains] };
}

/**
 * Which navigations the guard must enforce itself, per compile-dnr's contract: URLs DNR
 * never judges (other schemes, irregular authorities) and URLs matching the trigger of an
 * uncovered filter or under a pending overlay's domains — or every URL when the rules are
 * unknown or were refused.
 */
export function fallbackFor(rules: RulesState | null): (url: string) => boolean {
  if (!rules || rules.triggers === null) return () => true;
  // An overlay's domains, as filters, match those domains and their subdomains: all it allows.
  const all = [...rules.triggers, ...(rules.overlay ?? [])];
  const triggers = all.length > 0 ? buildUrlFilterSet(all) : null;
  return (url) =>
    leftToNavigationCheck(url) || (triggers !== null && triggers.firstMatch(url) !== null);
}
