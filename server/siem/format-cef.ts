import type { StoredAuditEvent } from '../../core/audit/types.ts';

const VERSION = '1';

/** `|` and `\` are escaped in header fields. */
const header = (v: string) => v.replace(/[\\|]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ');
/** `=` and `\` are escaped in extension values, newlines written as `\n`. */
const value = (v: string) =>
  v
    .replace(/[\\=]/g, (c) => `\\${c}`)
    .replace(/\r\n|\n/g, '\\n')
    .replace(/\r/g, '\\r');

/** CEF severity 0–10: BLOCK 7, WARN 5, REPORT 3, alerts 9, admin actions 3. */
export function cefSeverity(e: StoredAuditEvent): number {
  if (e.kind === 'admin') return e.adminAction === 'alert' ? 9 : 3;
  if (e.kind === 'policy') return 8;
  return e.level === 'BLOCK' ? 7 : e.level === 'WARN' ? 5 : 3;
}

/**
 * One event as an ArcSight Common Event Format line:
 * `CEF:0|Palisade|Palisade|1|<signature id>|<name>|<severity>|<extensions>`. The
 * signature id is the kind (`navigation`, `admin:policy.publish`, `admin:alert`), so a
 * SIEM can tell classes apart; the extension keys are CEF's own where one fits (`rt`,
 * `suser`, `request`, `act`, `outcome`) and labelled custom strings for the rest.
 */
export function formatCef(e: StoredAuditEvent): string {
  const signatureId = e.kind === 'admin' ? `admin:${e.adminAction ?? ''}` : e.kind;
  const name =
    e.kind === 'admin'
      ? e.adminAction === 'alert'
        ? `Alert: ${summaryOf(e)}`
        : `Admin ${e.adminAction ?? ''}`
      : `${e.kind} ${e.outcome ?? ''}`.trim();
  const ext: [string, string | number | undefined][] = [
    ['rt', Date.parse(e.time)],
    ['externalId', e.id],
    ['cn1', e.seq],
    ['cn1Label', 'seq'],
    ['suid', e.userId],
    ['suser', e.userEmail ?? e.actor],
    ['deviceExternalId', e.deviceId],
    ['request', e.url],
    ['act', e.action ?? e.adminAction],
    ['outcome', e.outcome],
    ['cs1', e.ruleId],
    ['cs1Label', e.ruleId ? 'ruleId' : undefined],
    ['cs2', e.ruleName],
    ['cs2Label', e.ruleName ? 'ruleName' : undefined],
    ['cs3', e.destinationUrl],
    ['cs3Label', e.destinationUrl ? 'destinationUrl' : undefined],
    ['cs4', e.target],
    ['cs4Label', e.target ? 'target' : undefined],
    ['cs5', e.detail ? JSON.stringify(e.detail) : undefined],
    ['cs5Label', e.detail ? 'detail' : undefined],
    ['cs6', e.hash],
    ['cs6Label', 'hash'],
    ['cn2', e.policyVersion],
    ['cn2Label', e.policyVersion !== undefined ? 'policyVersion' : undefined],
  ];
  const extensions = ext
    .filter((kv): kv is [string, string | number] => kv[1] !== undefined && kv[1] !== '')
    .map(([k, v]) => `${k}=${value(String(v))}`)
    .join(' ');
  return `CEF:0|Palisade|Palisade|${VERSION}|${header(signatureId)}|${header(name)}|${cefSeverity(e)}|${extensions}`;
}

function summaryOf(e: StoredAuditEvent): string {
  const summary = (e.detail as Record<string, unknown> | undefined)?.summary;
  return typeof summary === 'string' ? summary : (e.target ?? '');
}
