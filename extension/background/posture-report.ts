import type { ReportedPosture } from '../../core/policy/access/device-posture.ts';
import type { DevicePosture } from '../../core/policy/access/types.ts';
import type { Platform } from '../platform/types.ts';
import type { RulesState } from './apply-rules.ts';
import type { PolicyState } from './policy-state.ts';
import type { StateStore } from './state-store.ts';

const INSTALL_TYPES: readonly string[] = ['admin', 'development', 'normal', 'sideload'];

/**
 * The posture the extension reports with its heartbeat and in each device proof — these
 * signals and nothing else (the transparency page lists them): browser and version, OS,
 * extension version, install type, incognito access, the policy version enforced and since
 * when, and whether its DNR rules are in place. A signal the browser will not give reads
 * as the least trusting value (`other`, `false`), never as a guess in the device's favour.
 */
export async function collectPosture(deps: {
  platform: Platform;
  state: PolicyState;
  store: StateStore;
  ruleCount: InstalledRuleCount;
}): Promise<ReportedPosture> {
  const { platform, state, store } = deps;
  const [browser, os, installType, incognitoAllowed, stored, installed] = await Promise.all([
    platform.self.browser().catch(() => ({ name: 'unknown', version: 'unknown' })),
    platform.self.os().catch(() => 'unknown'),
    platform.self.installType().catch(() => 'other'),
    platform.self.incognitoAllowed().catch(() => false),
    store.policyHead(),
    deps.ruleCount.read(state.rules),
  ]);
  const active = state.active;
  const rules = state.rules;
  // The rules are in place when the browser holds exactly what this policy compiled to.
  // (Session rules are the navigation guard's own, added per blocked URL, not the policy's.)
  const rulesInPlace =
    active !== null &&
    rules !== null &&
    rules.version === active.version &&
    !rules.error &&
    installed !== null &&
    installed === rules.ruleCount;
  return {
    browser: browser.name.slice(0, 40) || 'unknown',
    browserVersion: browser.version.slice(0, 40) || 'unknown',
    os: os.slice(0, 40) || 'unknown',
    extensionVersion: platform.runtime.version.slice(0, 40),
    installType: (INSTALL_TYPES.includes(installType)
      ? installType
      : 'other') as DevicePosture['installType'],
    incognitoAllowed,
    policyVersion: active?.version ?? null,
    policySince: active && stored?.version === active.version ? stored.appliedAt : null,
    rulesInPlace,
  };
}

/**
 * How many dynamic rules the browser holds. The browser has no count: the only way is
 * reading every rule back, which at a million filters (900,000 packed hosts) takes about
 * 1.2 s and ~100 MB of worker heap (bench/extension-apply, "getDynamicRules() of this
 * set"). So a count that took longer than SLOW_MS to read is reused for up to `reuseMs`
 * (the heartbeat's period): a rule set changed behind the extension's back shows within
 * one heartbeat. A rule set the extension has installed since (`rules`, a new RulesState
 * without an error: the browser accepted that update) counts as what it installed. A
 * count that is cheap to read is read every time.
 */
export class InstalledRuleCount {
  static readonly SLOW_MS = 100;
  private last: { count: number | null; rules: RulesState | null; at: number } | null = null;

  constructor(private readonly deps: { platform: Platform; now: () => number; reuseMs: number }) {}

  async read(rules: RulesState | null): Promise<number | null> {
    const now = this.deps.now();
    const last = this.last;
    if (last && now - last.at < this.deps.reuseMs) {
      if (last.rules === rules) return last.count;
      if (rules && !rules.error) {
        this.last = { ...last, count: rules.ruleCount, rules };
        return rules.ruleCount;
      }
    }
    const started = performance.now();
    const count = await this.deps.platform.dnr
      .getDynamicRuleIds()
      .then((ids) => ids.length)
      .catch(() => null);
    const slow = performance.now() - started > InstalledRuleCount.SLOW_MS;
    this.last = slow ? { count, rules, at: now } : null;
    return count;
  }
}
