import { decideAccess } from '../../../core/policy/access/decide-access.ts';
import { deviceTrust } from '../../../core/policy/access/device-trust.ts';
import type { AccessDecision, DevicePosture } from '../../../core/policy/access/types.ts';
import {
  buildDataControls,
  type DataAction,
  type DataDecision,
} from '../../../core/policy/data-controls.ts';
import type { PolicyDocument } from '../../../core/policy/types.ts';
import { buildUrlMatcher, type UrlDecision } from '../../../core/policy/url-filter/url-matcher.ts';
import { urlListsAt } from '../../../core/policy/url-schedules.ts';

export type { UrlDecision };

/**
 * What the extension would do with `url` under this policy alone, decided by the same
 * core matcher it enforces with (Chrome's URLBlocklist precedence: the most specific
 * filter wins, allow beats block at equal specificity), with the URL schedules in force at
 * `now`.
 */
export function simulateUrl(
  doc: PolicyDocument,
  url: string,
  now = new Date(),
): UrlDecision & { schedule?: string } {
  const base = { urlBlocklist: doc.urlBlocklist ?? [], urlAllowlist: doc.urlAllowlist ?? [] };
  const lists = urlListsAt({ ...base, urlSchedules: doc.urlSchedules }, now);
  const d = buildUrlMatcher({ blocklist: lists.blocklist, allowlist: lists.allowlist }).decide(url);
  const baseLength = d.list === 'allowlist' ? base.urlAllowlist.length : base.urlBlocklist.length;
  if (d.index < baseLength) return d;
  // A schedule's filter: name the schedule rather than a line of the base list.
  const key = d.list === 'allowlist' ? 'urlAllowlist' : 'urlBlocklist';
  const from = (doc.urlSchedules ?? []).find((s) => d.filter && s[key]?.includes(d.filter));
  return { ...d, index: -1, schedule: from?.name };
}

export interface DataQuestion {
  action: DataAction;
  /** A page URL, or 'os' for another program (the system clipboard). */
  from?: string;
  to?: string;
  /** When the action happens, for rules with `when` (default: now). */
  now?: Date;
}

/**
 * "May this action go from A to B?" under this policy's data controls, following the
 * extension's conventions (core/policy/data-controls.ts): copy-then-paste is asked as a
 * paste with both sides; print and download have a source only, upload a destination only.
 */
export function simulateData(doc: PolicyDocument, q: DataQuestion): DataDecision {
  const controls = buildDataControls({
    dataControls: doc.dataControls ?? [],
    apps: doc.apps ?? [],
  });
  const ctx = (v: string | undefined) =>
    v === 'os' ? { os_clipboard: true } : v ? { url: v } : undefined;
  const source = q.action === 'upload' ? undefined : ctx(q.from);
  const destination = q.action === 'print' || q.action === 'download' ? undefined : ctx(q.to);
  return controls.decide({ action: q.action, source, destination, now: q.now });
}

export interface AccessQuestion {
  appId: string;
  user: { id: string; email: string; groupName?: string | null };
  /** The device the request would come from, or null for a browser without Palisade. */
  device: { id: string; status: string; managed: boolean; groupName?: string | null } | null;
  /** What the device would report (ignored without a device). */
  posture: Omit<DevicePosture, 'reportedAt'> & { reportedAt: string };
  now: Date;
  clientAddress: string;
  otherActiveDevices: number;
}

/**
 * "May this user, on this device, open this app now?" under this draft's access rule, by
 * the same decideAccess the server signs people in with. A revoked or wiped device counts
 * as no Palisade (it can no longer prove itself). Null when the draft has no such app.
 */
export function simulateAccess(doc: PolicyDocument, q: AccessQuestion): AccessDecision | null {
  const app = (doc.apps ?? []).find((a) => a.id === q.appId);
  if (!app) return null;
  const trust = q.device ? deviceTrust(q.device) : 'none';
  const device =
    q.device && trust !== 'none'
      ? { id: q.device.id, trust, group: q.device.groupName ?? null }
      : null;
  return decideAccess({
    app: { id: app.id, name: app.name, access: app.access },
    user: {
      id: q.user.id,
      email: q.user.email,
      groups: q.user.groupName ? [q.user.groupName] : [],
    },
    device,
    posture: device ? q.posture : null,
    now: q.now,
    clientAddress: q.clientAddress,
    otherActiveDevices: q.otherActiveDevices,
  });
}
