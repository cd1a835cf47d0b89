import {
  buildContentScanner,
  conditionHolds,
  type ContentScanner,
  type Detections,
} from './detect/detect-content.ts';
import { isWithinWhen } from './access/when.ts';
import type { WhenCondition } from './access/types.ts';
import { buildUrlFilterSet } from './url-filter/url-filter-set.ts';
import type {
  ContentCondition,
  DataEndpoint,
  EffectivePolicy,
  Level,
  RestrictionClass,
} from './types.ts';

export type DataAction = 'copy' | 'cut' | 'paste' | 'print' | 'download' | 'upload';

/** Where data is: a page URL, or the OS clipboard (other applications). */
export interface DataContext {
  url?: string;
  incognito?: boolean;
  os_clipboard?: boolean;
  other_profile?: boolean;
}

/**
 * The question a data control answers. Conventions used by the extension:
 * - copy / cut: `source` is the page, `destination` is `{ os_clipboard: true }` (the copied
 *   text may reach any application); rules whose destinations exclude the OS clipboard
 *   are left to paste time.
 * - paste: `source` is the page the content was copied on (or `{ os_clipboard: true }`
 *   when it came from outside the browser), `destination` is the page.
 * - print / download: `source` only. upload: `destination` only.
 * A side left out of the query is not checked against the rule.
 * - content: what `scan` found in the content (pasted or dropped text, a text file, a
 *   form's fields). Rules with a `content` condition apply only when it is given and holds;
 *   `contentOnly` (form submission) leaves out the rules without one.
 * - now: the time of the action, for rules with `when` (default: the clock at decide time).
 */
export interface DataQuery {
  action: DataAction;
  source?: DataContext;
  destination?: DataContext;
  content?: Detections;
  contentOnly?: boolean;
  now?: Date;
}

export interface DataDecision {
  /** The winning level, or null when no rule applies (the action is allowed, unrecorded). */
  level: Level | null;
  rule: { rule_id: string; name: string } | null;
  /** When the winning rule has a content condition: what it counted (ids and counts only). */
  detections?: Detections;
}

export interface DataControls {
  decide(query: DataQuery): DataDecision;
  /**
   * True when some rule of this action's class looks at content, so the content must be
   * scanned (with `scan`) before deciding.
   */
  inspects(action: DataAction): boolean;
  /** Runs the detectors the rules name over `text`, on the device; returns ids and counts. */
  scan(text: string): Detections;
  /**
   * Which rules with `when` are in force at `now`, as a key: two instants with the same key
   * get the same decisions, so a decision made earlier is still good while the key holds.
   * Empty when no rule has `when`.
   */
  scheduleAt(now: Date): string;
}

const CLASS_OF: Record<DataAction, RestrictionClass> = {
  copy: 'CLIPBOARD',
  cut: 'CLIPBOARD',
  paste: 'CLIPBOARD',
  print: 'PRINTING',
  download: 'FILE_DOWNLOAD',
  upload: 'FILE_UPLOAD',
};

/** Chrome's DataControlsRules precedence: ALLOW > BLOCK > WARN > REPORT. */
const RANK: Record<Level, number> = { ALLOW: 4, BLOCK: 3, WARN: 2, REPORT: 1 };

type Predicate = (ctx: DataContext) => boolean;

interface CompiledRule {
  rule_id: string;
  name: string;
  levels: Partial<Record<RestrictionClass, Level>>;
  source: Predicate | null;
  destination: Predicate | null;
  content: ContentCondition | null;
  when: WhenCondition | null;
}

/**
 * Compiles the policy's data controls once; `decide` then answers "may this action go
 * from here to there?" with the level and the deciding rule.
 *
 * @example
 * buildDataControls(policy).decide({ action: 'print', source: { url: 'https://corp.example/' } })
 * // → { level: 'BLOCK', rule: { rule_id: 'corp-print', name: 'No printing of corp pages' } }
 */
export function buildDataControls(
  policy: Pick<EffectivePolicy, 'dataControls' | 'apps'>,
): DataControls {
  const appFilters = new Map(policy.apps.map((a) => [a.id, a.urls]));
  const compile = (e: DataEndpoint | undefined) => (e ? compileEndpoint(e, appFilters) : null);
  const rules: CompiledRule[] = policy.dataControls.map((r) => ({
    rule_id: r.rule_id,
    name: r.name,
    levels: Object.fromEntries(r.restrictions.map((x) => [x.class, x.level])),
    source: compile(r.sources),
    destination: compile(r.destinations),
    content: r.content ?? null,
    when: r.when ?? null,
  }));
  const scanner: ContentScanner = buildContentScanner(
    rules.flatMap((r) => (r.content ? [r.content] : [])),
  );
  const timed = rules.filter((r) => r.when !== null);
  const inspecting = new Set(
    rules.flatMap((r) => (r.content ? (Object.keys(r.levels) as RestrictionClass[]) : [])),
  );

  return {
    decide({ action, source, destination, content, contentOnly, now }) {
      const cls = CLASS_OF[action];
      let best: CompiledRule | null = null;
      let bestLevel: Level | null = null;
      let bestHit: Detections | null = null;
      for (const rule of rules) {
        const level = rule.levels[cls];
        if (!level) continue;
        if (bestLevel && RANK[level] <= RANK[bestLevel]) continue;
        if (contentOnly && !rule.content) continue;
        if (source && rule.source && !rule.source(source)) continue;
        if (destination && rule.destination && !rule.destination(destination)) continue;
        if (rule.when && !isWithinWhen(rule.when, (now ??= new Date()))) continue;
        let hit: Detections | null = null;
        if (rule.content) {
          hit = content ? conditionHolds(rule.content, content) : null;
          if (!hit) continue;
        }
        best = rule;
        bestLevel = level;
        bestHit = hit;
      }
      const decision: DataDecision = {
        level: bestLevel,
        rule: best ? { rule_id: best.rule_id, name: best.name } : null,
      };
      if (bestHit) decision.detections = bestHit;
      return decision;
    },
    inspects: (action) => inspecting.has(CLASS_OF[action]),
    scan: (text) => scanner.scan(text),
    scheduleAt: (now) => timed.map((r) => (isWithinWhen(r.when!, now) ? '1' : '0')).join(''),
  };
}

/** All attributes present must hold; `and` / `or` / `not` nest as in Chrome's rules. */
function compileEndpoint(e: DataEndpoint, apps: Map<string, string[]>): Predicate {
  const checks: Predicate[] = [];
  if (e.urls) {
    const set = buildUrlFilterSet(e.urls);
    checks.push((ctx) => ctx.url !== undefined && set.firstMatch(ctx.url) !== null);
  }
  if (e.apps) {
    const set = buildUrlFilterSet(e.apps.flatMap((id) => apps.get(id) ?? []));
    checks.push((ctx) => ctx.url !== undefined && set.firstMatch(ctx.url) !== null);
  }
  for (const flag of ['incognito', 'os_clipboard', 'other_profile'] as const) {
    const want = e[flag];
    if (want !== undefined) checks.push((ctx) => (ctx[flag] ?? false) === want);
  }
  if (e.and) {
    const subs = e.and.map((s) => compileEndpoint(s, apps));
    checks.push((ctx) => subs.every((p) => p(ctx)));
  }
  if (e.or) {
    const subs = e.or.map((s) => compileEndpoint(s, apps));
    checks.push((ctx) => subs.some((p) => p(ctx)));
  }
  if (e.not) {
    const sub = compileEndpoint(e.not, apps);
    checks.push((ctx) => !sub(ctx));
  }
  return (ctx) => checks.every((p) => p(ctx));
}
