/**
 * Conditional access: the shapes shared by the policy language (`apps[].access`), the
 * extension's posture report, the server's device proof and the OpenID Provider.
 */

/** How far Palisade vouches for the browser a request comes from. */
export type DeviceTrust = 'managed' | 'enrolled' | 'none';

/** A time window: days of the week and hours, in a named IANA time zone. */
export interface TimeWindow {
  /** ISO weekdays, 1 = Monday … 7 = Sunday; absent means every day. */
  days?: number[];
  /** "HH:MM", inclusive. */
  from: string;
  /** "HH:MM", exclusive; earlier than `from` means the window runs past midnight. */
  to: string;
}

/** `when`: allowed if any window holds, in `timeZone`. */
export interface WhenCondition {
  timeZone: string;
  windows: TimeWindow[];
}

/** What the device must be for an app family to open. */
export interface DeviceRequirements {
  /** `managed`: force-installed by policy; `enrolled`: managed or paired; `none`: any browser. */
  trust?: DeviceTrust;
  /** Minimum browser major version, per browser (`{ "chrome": 120, "firefox": 128 }`). */
  minBrowserVersion?: Record<string, number>;
  /** The policy the device enforces was fetched at most this many minutes ago. */
  maxPolicyAgeMinutes?: number;
  /** The extension also runs in incognito / private windows. */
  incognitoCovered?: boolean;
  /** The device reported its posture at most this many minutes ago. */
  seenWithinMinutes?: number;
}

/** `apps[].access`. */
export interface AppAccessRule {
  /** Group names allowed; absent means every group. */
  groups?: string[];
  device?: DeviceRequirements;
  when?: WhenCondition;
  /** Client networks as CIDR ranges (IPv4 and IPv6); absent means anywhere. */
  where?: { networks: string[] };
  /** At most this many devices per user signed in to this app at once. */
  maxDevicesPerUser?: number;
}

/** What the extension reports about itself, with its heartbeat and at each sign-in. */
export interface DevicePosture {
  browser: string;
  browserVersion: string;
  os: string;
  extensionVersion: string;
  /** `management.getSelf().installType`: `admin` means force-installed by policy. */
  installType: 'admin' | 'development' | 'normal' | 'sideload' | 'other';
  incognitoAllowed: boolean;
  policyVersion: number | null;
  /** ISO time the enforced policy was fetched. */
  policySince: string | null;
  /** The DNR rule count matches what the policy compiles to. */
  rulesInPlace: boolean;
  /** ISO time of the last report, set by the server on receipt. */
  reportedAt: string;
}

export interface AccessInput {
  /** The app family, with its `access` rule (absent: any signed-in user of any group). */
  app: { id: string; name: string; access?: AppAccessRule };
  user: { id: string; email: string; groups: string[] };
  /** The device proven for this request, or null when no proof came with it. */
  device: { id: string; trust: DeviceTrust; group: string | null } | null;
  posture: DevicePosture | null;
  now: Date;
  clientAddress: string;
  /** Devices of this user with a live session for this app, other than this one. */
  otherActiveDevices?: number;
}

export type AccessCondition =
  | 'group'
  | 'device_trust'
  | 'browser_version'
  | 'policy_age'
  | 'incognito'
  | 'seen'
  | 'rules_in_place'
  | 'when'
  | 'where'
  | 'device_limit';

export interface FailedCondition {
  condition: AccessCondition;
  /** A sentence the user can act on. */
  message: string;
}

export type AccessDecision =
  { allow: true; failed: [] } | { allow: false; failed: FailedCondition[] };
