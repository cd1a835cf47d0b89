import type { Device } from '../api/types.ts';
import { formatDateTime, formatRelative } from '../lib/format.ts';

/** Silent, removed, or nothing: what the device's own silence says, in a word. */
export function presenceLabel(d: Device): string | null {
  if (d.removedAt) return 'Removed';
  if (d.silentSince) return 'Silent';
  return null;
}

const INSTALL: Record<string, string> = {
  admin: 'Force-installed by policy',
  normal: 'Installed by the person',
  development: 'Loaded unpacked (development)',
  sideload: 'Sideloaded by other software',
  other: 'Unknown',
};

/** The device's posture as it last reported it, and its presence (silent, removed). */
export function DevicePostureFacts({ device: d }: { device: Device }) {
  const p = d.posture;
  return (
    <>
      <h3>Posture</h3>
      <dl class="facts">
        <dt>Presence</dt>
        <dd>
          {d.removedAt
            ? `Removed: the extension was uninstalled (${formatDateTime(d.removedAt)})`
            : d.silentSince
              ? `Silent since ${formatDateTime(d.silentSince)}: no heartbeat`
              : p
                ? 'Reporting'
                : 'No report yet'}
        </dd>
        <dt>Device key</dt>
        <dd>
          {d.hasKey ? 'Registered' : 'None: it must enroll or pair again to open company apps'}
        </dd>
        {p && (
          <>
            <dt>Browser</dt>
            <dd>
              {p.browser} {p.browserVersion} on {p.os}
            </dd>
            <dt>Extension</dt>
            <dd>
              {p.extensionVersion} — {INSTALL[p.installType] ?? p.installType}
            </dd>
            <dt>Private windows</dt>
            <dd>{p.incognitoAllowed ? 'Covered' : 'Not covered (not allowed in incognito)'}</dd>
            <dt>Policy enforced</dt>
            <dd>
              {p.policyVersion === null
                ? 'none'
                : `version ${p.policyVersion}${p.policySince ? `, since ${formatDateTime(p.policySince)}` : ''}`}
            </dd>
            <dt>Rules in place</dt>
            <dd>{p.rulesInPlace ? 'Yes' : 'No: the browser’s rules do not match the policy'}</dd>
            <dt>Last report</dt>
            <dd>{formatRelative(p.reportedAt)}</dd>
          </>
        )}
      </dl>
    </>
  );
}
