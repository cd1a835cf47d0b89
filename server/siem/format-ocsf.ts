import type { StoredAuditEvent } from '../../core/audit/types.ts';

/** The OCSF schema version the events are shaped after (https://schema.ocsf.io/). */
export const OCSF_VERSION = '1.1.0';

interface OcsfClass {
  classUid: number;
  className: string;
  categoryUid: number;
  categoryName: string;
  activityId: number;
  activityName: string;
}

const WEB = {
  classUid: 6001,
  className: 'Web Resources Activity',
  categoryUid: 6,
  categoryName: 'Application Activity',
};
const FINDING = {
  classUid: 2004,
  className: 'Detection Finding',
  categoryUid: 2,
  categoryName: 'Findings',
};
const IAM = { categoryUid: 3, categoryName: 'Identity & Access Management' };
const AUTH = { classUid: 3002, className: 'Authentication', ...IAM };
const ACCOUNT = { classUid: 3001, className: 'Account Change', ...IAM };
const ENTITY = { classUid: 3004, className: 'Entity Management', ...IAM };

const WEB_ACTIVITY: Record<string, [number, string]> = {
  navigate: [2, 'Read'],
  download: [7, 'Export'],
  upload: [6, 'Import'],
  copy: [7, 'Export'],
  cut: [7, 'Export'],
  paste: [6, 'Import'],
};

const ACCOUNT_ACTIVITY: Record<string, [number, string]> = {
  'user.invite': [1, 'Create'],
  'user.enroll': [1, 'Create'],
  'user.approve': [2, 'Enable'],
  'user.reject': [6, 'Delete'],
  'passkey.add': [10, 'MFA Factor Enable'],
  'passkey.delete': [11, 'MFA Factor Disable'],
};

/**
 * The OCSF class of an event (the mapping table in docs/siem.md): what a device blocked
 * or let through on the web is Web Resources Activity (6001); a refused policy, an alert
 * and a broken audit chain are Detection Findings (2004); a sign-in is Authentication
 * (3002); changes to accounts and passkeys are Account Change (3001); every other admin
 * action is Entity Management (3004).
 */
export function ocsfClass(e: StoredAuditEvent): OcsfClass {
  if (e.kind === 'policy') return { ...FINDING, activityId: 1, activityName: 'Create' };
  if (e.kind !== 'admin') {
    const [activityId, activityName] =
      e.kind === 'print' ? [99, 'Other'] : (WEB_ACTIVITY[e.action ?? 'navigate'] ?? [99, 'Other']);
    return { ...WEB, activityId, activityName };
  }
  const action = e.adminAction ?? '';
  if (action === 'alert' || action === 'audit.chain_broken')
    return { ...FINDING, activityId: 1, activityName: 'Create' };
  if (action === 'auth.login') return { ...AUTH, activityId: 1, activityName: 'Logon' };
  const account = ACCOUNT_ACTIVITY[action];
  if (account) return { ...ACCOUNT, activityId: account[0], activityName: account[1] };
  const verb = action.split('.').pop() ?? '';
  const [activityId, activityName]: [number, string] =
    verb === 'create'
      ? [1, 'Create']
      : verb === 'update' || verb === 'publish'
        ? [3, 'Update']
        : verb === 'revoke' || verb === 'wipe' || verb === 'removed' || verb === 'prune'
          ? [4, 'Delete']
          : [99, 'Other'];
  return { ...ENTITY, activityId, activityName };
}

function severityId(e: StoredAuditEvent): number {
  if (e.kind === 'admin') {
    if (e.adminAction === 'audit.chain_broken') return 5;
    return e.adminAction === 'alert' ? 4 : 1;
  }
  if (e.kind === 'policy') return 4;
  return e.level === 'BLOCK' ? 3 : e.level === 'WARN' ? 2 : 1;
}

/** One stored event as an OCSF-shaped object; what OCSF has no attribute for goes in `unmapped`. */
export function formatOcsf(e: StoredAuditEvent): Record<string, unknown> {
  const c = ocsfClass(e);
  const out: Record<string, unknown> = {
    class_uid: c.classUid,
    class_name: c.className,
    category_uid: c.categoryUid,
    category_name: c.categoryName,
    activity_id: c.activityId,
    activity_name: c.activityName,
    type_uid: c.classUid * 100 + c.activityId,
    type_name: `${c.className}: ${c.activityName}`,
    time: Date.parse(e.time),
    severity_id: severityId(e),
    metadata: {
      version: OCSF_VERSION,
      uid: e.id,
      sequence: e.seq,
      logged_time: Date.parse(e.receivedAt),
      product: { name: 'Palisade', vendor_name: 'Palisade' },
    },
  };
  if (e.userId || e.userEmail || e.actor) {
    out.actor = {
      user: {
        ...(e.userId ? { uid: e.userId } : {}),
        ...(e.userEmail || e.actor ? { email_addr: e.userEmail ?? e.actor } : {}),
      },
    };
  }
  if (e.deviceId) out.device = { uid: e.deviceId, type_id: 0 };
  if (e.kind !== 'admin' && e.kind !== 'policy') {
    const blocked = e.outcome === 'blocked' || e.outcome === 'cancelled';
    out.action_id = blocked ? 2 : 1;
    out.action = blocked ? 'Denied' : 'Allowed';
    out.disposition_id = blocked ? 2 : 1;
    out.disposition = blocked ? 'Blocked' : 'Allowed';
    out.status_id = 1;
    const resources = [e.url, e.destinationUrl].filter((u): u is string => !!u);
    if (resources.length) out.web_resources = resources.map((url_string) => ({ url_string }));
  }
  if (c.classUid === FINDING.classUid) {
    const detail = (e.detail ?? {}) as Record<string, unknown>;
    out.finding_info = {
      uid: e.id,
      title:
        typeof detail.summary === 'string'
          ? detail.summary
          : e.kind === 'policy'
            ? `Device refused a policy (${String(detail.reason ?? 'unknown reason')})`
            : (e.adminAction ?? e.kind),
      ...(typeof detail.type === 'string' ? { types: [detail.type] } : {}),
    };
  }
  if (e.actor && e.kind === 'admin')
    out.message = `${e.actor}: ${e.adminAction ?? ''} ${e.target ?? ''}`.trim();
  out.unmapped = {
    kind: e.kind,
    ...(e.level ? { level: e.level } : {}),
    ...(e.outcome ? { outcome: e.outcome } : {}),
    ...(e.ruleId ? { rule_id: e.ruleId } : {}),
    ...(e.ruleName ? { rule_name: e.ruleName } : {}),
    ...(e.policyVersion !== undefined ? { policy_version: e.policyVersion } : {}),
    ...(e.adminAction ? { admin_action: e.adminAction } : {}),
    ...(e.target ? { target: e.target } : {}),
    ...(e.claimedEmail ? { claimed_email: e.claimedEmail } : {}),
    ...(e.detail ? { detail: e.detail } : {}),
    hash: e.hash,
    prev_hash: e.prevHash,
  };
  return out;
}
