import type { ReportedPosture } from '../../core/policy/access/device-posture.ts';
import type { DevicePosture } from '../../core/policy/access/types.ts';
import type { Platform } from '../platform/types.ts';
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
}): Promise<ReportedPosture> {
  const { platform, state, store } = deps;
  const [browser, os, installType, incognitoAllowed, stored, dynamicIds] = await Promise.all([
    platform.self.browser().catch(() => ({ name: 'unknown', version: 'unknown' })),
    platform.self.os().catch(() => 'unknown'),
    platform.self.installType().catch(() => 'other'),
    platform.self.incognitoAllowed().catch(() => false),
    store.policyHead(),
    platform.dnr.getDynamicRuleIds().catch(() => null),
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
    dynamicIds !== null &&
    dynamicIds.length === rules.ruleCount;
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
