import type { DevicePosture } from './types.ts';

/** Posture as the device reports it; the server adds `reportedAt` on receipt. */
export type ReportedPosture = Omit<DevicePosture, 'reportedAt'>;

const INSTALL_TYPES: readonly DevicePosture['installType'][] = [
  'admin',
  'development',
  'normal',
  'sideload',
  'other',
];

/** The signals a posture report carries, and nothing else. */
export const POSTURE_FIELDS = [
  'browser',
  'browserVersion',
  'os',
  'extensionVersion',
  'installType',
  'incognitoAllowed',
  'policyVersion',
  'policySince',
  'rulesInPlace',
] as const satisfies readonly (keyof ReportedPosture)[];
const REPORTED_FIELDS: ReadonlySet<string> = new Set(POSTURE_FIELDS);

const text = (v: unknown, max: number): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= max;

/**
 * Checks a posture report (push heartbeat or device proof); null unless every field is
 * there with its type, and nothing else is (a report carries only the listed signals —
 * the transparency page says so).
 */
export function parseDevicePosture(value: unknown): ReportedPosture | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const p = value as Record<string, unknown>;
  if (Object.keys(p).some((k) => !REPORTED_FIELDS.has(k))) return null;
  if (!text(p.browser, 40) || !text(p.browserVersion, 40) || !text(p.os, 40)) return null;
  if (!text(p.extensionVersion, 40)) return null;
  if (!INSTALL_TYPES.includes(p.installType as DevicePosture['installType'])) return null;
  if (typeof p.incognitoAllowed !== 'boolean' || typeof p.rulesInPlace !== 'boolean') return null;
  const version = p.policyVersion;
  if (version !== null && !(typeof version === 'number' && Number.isSafeInteger(version)))
    return null;
  const since = p.policySince;
  if (since !== null && !(typeof since === 'string' && !Number.isNaN(Date.parse(since))))
    return null;
  if (typeof since === 'string' && since.length > 40) return null;
  return {
    browser: p.browser,
    browserVersion: p.browserVersion,
    os: p.os,
    extensionVersion: p.extensionVersion,
    installType: p.installType as DevicePosture['installType'],
    incognitoAllowed: p.incognitoAllowed,
    policyVersion: version as number | null,
    policySince: since as string | null,
    rulesInPlace: p.rulesInPlace,
  };
}
