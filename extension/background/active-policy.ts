import {
  liveExceptions,
  withExceptions,
  type AccessException,
} from '../../core/exceptions/access-exception.ts';
import type { DnrCompilePlan } from '../../core/policy/compile-dnr.ts';
import { buildDataControls, type DataControls } from '../../core/policy/data-controls.ts';
import type { PolicyPayload } from '../../core/policy/policy-payload.ts';
import type { EffectivePolicy } from '../../core/policy/types.ts';
import type { PolicyDelta } from '../../core/policy/policy-delta.ts';
import { buildUrlMatcher } from '../../core/policy/url-filter/url-matcher.ts';
import { patchUrlMatcher } from '../../core/policy/url-filter/patch-url-matcher.ts';
import { urlListsAt, type UrlListsNow } from '../../core/policy/url-schedules.ts';
import { buildHttpsOnly } from './https-only.ts';

/** The verified policy, compiled once into the matchers every decision uses. */
export interface ActivePolicy {
  payload: PolicyPayload;
  policy: EffectivePolicy;
  version: number;
  /** The URL lists in force when compiled (schedules whose `when` held then included). */
  lists: UrlListsNow;
  urls: ReturnType<typeof buildUrlMatcher>;
  controls: DataControls;
  httpsOnly: ReturnType<typeof buildHttpsOnly>;
  /** Which exceptions are compiled in (ids of the live ones): changes when one ends. */
  exceptionsKey: string;
  /**
   * The DNR compile plan of `lists` (apply-rules.ts builds it on first use and keeps it here,
   * in memory only; a worker start builds it again), so a delta re-plans only its filters.
   */
  dnr?: DnrCompilePlan;
}

export type NavigationVerdict =
  | { blocked: false }
  | { blocked: true; reason: 'url_filter' | 'https_only'; filter: string | null };

/** What the DNR rules are compiled from: an ActivePolicy without its matchers. */
export type RulesInput = Pick<
  ActivePolicy,
  'policy' | 'version' | 'lists' | 'exceptionsKey' | 'dnr'
>;

/** The lists of a verified payload for `now` (see activatePolicy), before any matcher is built. */
export function rulesInputOf(
  payload: PolicyPayload,
  exceptions: readonly AccessException[] = [],
  now = new Date(),
): RulesInput {
  const policy = withExceptions(payload.policy, exceptions, now.getTime());
  return {
    exceptionsKey: exceptionsKey(exceptions, now.getTime()),
    policy,
    version: payload.version,
    lists: urlListsAt(policy, now),
  };
}

/**
 * Compiles a verified payload for `now`: URL schedules in force then are part of the lists,
 * and so are the device's access exceptions still live then (core/exceptions/access-exception.ts).
 */
export function activatePolicy(
  payload: PolicyPayload,
  exceptions: readonly AccessException[] = [],
  now = new Date(),
  input: RulesInput = rulesInputOf(payload, exceptions, now),
): ActivePolicy {
  const { policy, lists } = input;
  return {
    ...(input.dnr ? { dnr: input.dnr } : {}),
    exceptionsKey: input.exceptionsKey,
    payload,
    policy,
    version: payload.version,
    lists,
    urls: buildUrlMatcher({ blocklist: lists.blocklist, allowlist: lists.allowlist }),
    controls: buildDataControls(policy),
    httpsOnly: buildHttpsOnly(policy.httpsOnly),
  };
}

/**
 * The active policy after a delta: the URL matcher is patched from the previous one (which
 * must not be used afterwards) instead of rebuilt — same answers as `activatePolicy`.
 * The delta edits the policy's own lists, so the patch needs the matcher to hold exactly
 * those, before and after: with a URL schedule in force or an access exception live on
 * either side it compiles afresh.
 */
export function patchActivePolicy(
  prev: ActivePolicy,
  payload: PolicyPayload,
  edits: PolicyDelta['lists'],
  exceptions: readonly AccessException[] = [],
  now = new Date(),
): ActivePolicy {
  const key = exceptionsKey(exceptions, now.getTime());
  const policy = payload.policy;
  const lists = urlListsAt(policy, now);
  if (!signedListsOnly(lists, key) || !compiledAsSigned(prev))
    return activatePolicy(payload, exceptions, now);
  // The previous plan is patched in place (like the matcher, prev is not used afterwards).
  const dnr =
    prev.dnr &&
    prev.dnr.patch('blocklist', prev.lists.blocklist, edits.urlBlocklist) &&
    prev.dnr.patch('allowlist', prev.lists.allowlist, edits.urlAllowlist)
      ? prev.dnr
      : undefined;
  return {
    ...(dnr ? { dnr } : {}),
    exceptionsKey: key,
    payload,
    policy,
    version: payload.version,
    lists,
    urls: patchUrlMatcher(
      prev.urls,
      { blocklist: lists.blocklist, allowlist: lists.allowlist },
      { blocklist: edits.urlBlocklist, allowlist: edits.urlAllowlist },
    ),
    controls: buildDataControls(policy),
    httpsOnly: buildHttpsOnly(policy.httpsOnly),
  };
}

/**
 * Whether the matcher holds exactly the policy's own lists: no URL schedule in force and no
 * access exception live, so a delta's list edits are the whole change to what it enforces.
 */
export function compiledAsSigned(active: ActivePolicy): boolean {
  return signedListsOnly(active.lists, active.exceptionsKey);
}

/** The same for a policy not compiled yet, at `now` with these exceptions. */
export function compilesAsSigned(
  policy: EffectivePolicy,
  exceptions: readonly AccessException[],
  now: Date,
): boolean {
  return signedListsOnly(urlListsAt(policy, now), exceptionsKey(exceptions, now.getTime()));
}

function signedListsOnly(lists: UrlListsNow, exceptionsKey: string): boolean {
  return !lists.key.includes('1') && exceptionsKey === '';
}

/**
 * Would this policy block a navigation to `url`? The same answer DNR gives (the compiler
 * guarantees it for covered filters), computed locally to name the deciding filter on the
 * blocked page and in the audit event, and to enforce what DNR cannot express.
 */
export function judgeNavigation(active: ActivePolicy, url: string): NavigationVerdict {
  const https = active.httpsOnly.match(url);
  if (https?.mode === 'block') {
    return { blocked: true, reason: 'https_only', filter: `httpsOnly: ${https.host}` };
  }
  // An http URL that DNR upgrades is judged by the URL it becomes.
  const judged = https?.mode === 'upgrade' ? url.replace(/^http:/i, 'https:') : url;
  const decision = active.urls.decide(judged);
  return decision.verdict === 'block'
    ? { blocked: true, reason: 'url_filter', filter: decision.filter }
    : { blocked: false };
}

/** The ids of the exceptions live at `nowMs`, as one string to compare. */
export function exceptionsKey(exceptions: readonly AccessException[], nowMs: number): string {
  return liveExceptions(exceptions, nowMs)
    .map((e) => e.id)
    .sort()
    .join(',');
}
