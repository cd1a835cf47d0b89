import { addressInNetworks, parseIpAddress, formatAddress } from './cidr.ts';
import type {
  AccessDecision,
  AccessInput,
  DevicePosture,
  DeviceRequirements,
  DeviceTrust,
  FailedCondition,
} from './types.ts';
import { describeWhen, isWithinWhen } from './when.ts';

const TRUST_RANK: Record<DeviceTrust, number> = { none: 0, enrolled: 1, managed: 2 };

/**
 * Without a rule saying otherwise an app opens only in a browser where Palisade is
 * installed: that is what makes the data controls mandatory rather than voluntary.
 * `device.trust: "none"` lets any browser in.
 */
export const DEFAULT_DEVICE_TRUST: DeviceTrust = 'enrolled';

const BROWSER_NAMES: Record<string, string> = {
  chrome: 'Chrome',
  chromium: 'Chromium',
  edge: 'Edge',
  firefox: 'Firefox',
  brave: 'Brave',
  opera: 'Opera',
  safari: 'Safari',
};

function browserName(id: string): string {
  return BROWSER_NAMES[id.toLowerCase()] ?? id;
}

/** "3 minutes", "1 minute", "2 hours", "5 days". */
function duration(minutes: number): string {
  const m = Math.max(0, Math.floor(minutes));
  const [n, unit] =
    m < 120
      ? [m, 'minute']
      : m < 48 * 60
        ? [Math.floor(m / 60), 'hour']
        : [Math.floor(m / 1440), 'day'];
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

function minutesSince(iso: string | null, now: Date): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : (now.getTime() - t) / 60_000;
}

/**
 * May this user, on this device, open this app now? Pure: the caller brings the proven
 * device, its posture, the time and the client address. Every condition is checked and
 * every failure listed, each with a sentence the user can act on, so one refusal page
 * names everything to fix.
 *
 * @example
 * decideAccess({ app, user, device: null, posture: null, now, clientAddress: '203.0.113.7' });
 * // { allow: false, failed: [{ condition: 'device_trust', message: 'Open this app in the browser where Palisade is installed …' }] }
 */
export function decideAccess(input: AccessInput): AccessDecision {
  const rule = input.app.access ?? {};
  const failed: FailedCondition[] = [];
  const fail = (condition: FailedCondition['condition'], message: string) =>
    failed.push({ condition, message });

  if (rule.groups) {
    const allowed = new Set(rule.groups.map((g) => g.toLowerCase()));
    if (!input.user.groups.some((g) => allowed.has(g.toLowerCase()))) {
      fail(
        'group',
        `Your account is not in a group allowed to use ${input.app.name}; ask your administrator for access.`,
      );
    }
  }

  const device = rule.device ?? {};
  checkTrust(device, input, fail);
  checkPosture(device, input, fail);

  if (rule.when && !isWithinWhen(rule.when, input.now)) fail('when', describeWhen(rule.when));

  if (rule.where && !addressInNetworks(input.clientAddress, rule.where.networks)) {
    const parsed = parseIpAddress(input.clientAddress);
    const shown = parsed ? formatAddress(parsed) : input.clientAddress || 'unknown';
    fail(
      'where',
      `Your network (${shown}) is not one this app accepts; connect from the office network or the company VPN.`,
    );
  }

  const max = rule.maxDevicesPerUser;
  if (max !== undefined && (input.otherActiveDevices ?? 0) + 1 > max) {
    fail(
      'device_limit',
      `Sign out of this app on another device first: at most ${max} device${max === 1 ? '' : 's'}.`,
    );
  }

  return failed.length === 0 ? { allow: true, failed: [] } : { allow: false, failed };
}

type Fail = (condition: FailedCondition['condition'], message: string) => void;

function checkTrust(req: DeviceRequirements, input: AccessInput, fail: Fail): void {
  const needed = req.trust ?? DEFAULT_DEVICE_TRUST;
  const have = input.device?.trust ?? 'none';
  if (TRUST_RANK[have] >= TRUST_RANK[needed]) return;
  if (have === 'none') {
    fail(
      'device_trust',
      'Open this app in the browser where Palisade is installed (not another browser, profile or a private window it does not cover).',
    );
  } else {
    fail(
      'device_trust',
      'Open this app in a browser your organisation manages (Palisade installed by policy); ask your administrator to manage this one.',
    );
  }
}

/** The posture conditions; with no posture reported, each one that is asked for fails. */
function checkPosture(req: DeviceRequirements, input: AccessInput, fail: Fail): void {
  const p: DevicePosture | null = input.posture;
  const unknown = 'Palisade on this browser has not reported its state';
  const needed = req.trust ?? DEFAULT_DEVICE_TRUST;

  if (req.minBrowserVersion && Object.keys(req.minBrowserVersion).length > 0) {
    const wants = Object.entries(req.minBrowserVersion)
      .map(([b, v]) => `${browserName(b)} ${v}`)
      .join(' or ');
    if (!p) {
      fail('browser_version', `${unknown}; this app needs ${wants} or later.`);
    } else {
      const key = Object.keys(req.minBrowserVersion).find(
        (b) => b.toLowerCase() === p.browser.toLowerCase(),
      );
      const major = Number.parseInt(p.browserVersion, 10);
      const shown = `${browserName(p.browser)} ${Number.isNaN(major) ? p.browserVersion : major}`;
      if (key === undefined) {
        fail('browser_version', `Your browser is ${shown}; this app needs ${wants} or later.`);
      } else if (Number.isNaN(major) || major < req.minBrowserVersion[key]!) {
        fail(
          'browser_version',
          `Your browser is ${shown}; this app needs ${browserName(key)} ${req.minBrowserVersion[key]} or later. Update the browser, then try again.`,
        );
      }
    }
  }

  if (req.maxPolicyAgeMinutes !== undefined) {
    const age = minutesSince(p?.policySince ?? null, input.now);
    if (!p) fail('policy_age', `${unknown}; this app needs its policy to be current.`);
    else if (age === null) {
      fail(
        'policy_age',
        'Palisade on this browser has no policy yet; keep the browser online for a minute, then try again.',
      );
    } else if (age > req.maxPolicyAgeMinutes) {
      fail(
        'policy_age',
        `Palisade on this browser last fetched its policy ${duration(age)} ago; this app needs one from the last ${duration(req.maxPolicyAgeMinutes)}. Keep the browser online for a minute, then try again.`,
      );
    }
  }

  if (req.incognitoCovered && !p?.incognitoAllowed) {
    fail(
      'incognito',
      p
        ? 'Allow Palisade in private windows (Extensions → Palisade → Details → Allow in Incognito), or ask your administrator to.'
        : `${unknown}; this app needs Palisade to cover private windows too.`,
    );
  }

  if (req.seenWithinMinutes !== undefined) {
    const age = minutesSince(p?.reportedAt ?? null, input.now);
    if (age === null || age > req.seenWithinMinutes) {
      fail(
        'seen',
        age === null
          ? `${unknown}; keep the browser online with Palisade running, then try again.`
          : `Palisade on this browser last reported ${duration(age)} ago; this app needs a report from the last ${duration(req.seenWithinMinutes)}. Keep the browser online with Palisade running, then try again.`,
      );
    }
  }

  // A browser that vouches for itself must also be enforcing: its blocking rules in place.
  if (p && !p.rulesInPlace && needed !== 'none') {
    fail(
      'rules_in_place',
      "Palisade's rules are not fully in place in this browser; restart the browser, and ask your administrator if this persists.",
    );
  }
}
