/** Access-rule fixtures shared by the access tests and bench/access. */
import type {
  DevicePosture,
  DeviceRequirements,
  WhenCondition,
} from '../../../core/policy/access/types.ts';

/** Every device requirement an app can set. */
export const STRICT_DEVICE: DeviceRequirements = {
  trust: 'managed',
  minBrowserVersion: { chrome: 120, edge: 120 },
  maxPolicyAgeMinutes: 60,
  incognitoCovered: true,
  seenWithinMinutes: 15,
};

/** Office hours in Paris, and a Saturday night window that crosses midnight. */
export const OFFICE_AND_SATURDAY_NIGHT: WhenCondition = {
  timeZone: 'Europe/Paris',
  windows: [
    { days: [1, 2, 3, 4, 5], from: '08:00', to: '19:00' },
    { days: [6], from: '22:00', to: '02:00' },
  ],
};

/** A force-installed extension on a recent Chrome, rules in place, incognito allowed. */
export const posture: DevicePosture = {
  browser: 'chrome',
  browserVersion: '131.0.6778.85',
  os: 'linux',
  extensionVersion: '0.1.0',
  installType: 'admin',
  incognitoAllowed: true,
  policyVersion: 12,
  policySince: '2026-12-04T09:50:00Z',
  rulesInPlace: true,
  reportedAt: '2026-12-04T09:58:00Z',
};
