import type { StoredAuditEvent } from '../../core/audit/types.ts';

/** RFC 5424 severities: 1 alert, 2 critical, 4 warning, 5 notice, 6 informational. */
export function syslogSeverity(e: StoredAuditEvent): number {
  if (e.kind === 'admin') {
    if (e.adminAction === 'audit.chain_broken') return 2;
    return e.adminAction === 'alert' ? 1 : 5;
  }
  if (e.kind === 'policy') return 2;
  return e.level === 'BLOCK' ? 4 : e.level === 'WARN' ? 5 : 6;
}

/** Header fields are printable US-ASCII without spaces (RFC 5424 §6.2), at most `max` long. */
function field(v: string, max: number): string {
  const clean = v.replace(/[^\x21-\x7e]/g, '').slice(0, max);
  return clean || '-';
}

/**
 * One event as an RFC 5424 message: `<PRI>1 TIMESTAMP HOSTNAME palisade - MSGID - MSG`,
 * PRI being facility × 8 + severity, MSGID the event kind, no structured data, and the
 * payload (CEF or JSON) as MSG. The timestamp is when the event happened.
 */
export function syslogMessage(
  e: StoredAuditEvent,
  payload: string,
  opts: { facility: number; hostname: string },
): string {
  const pri = opts.facility * 8 + syslogSeverity(e);
  const msgId = e.kind === 'admin' && e.adminAction === 'alert' ? 'alert' : e.kind;
  return `<${pri}>1 ${e.time} ${field(opts.hostname, 255)} palisade - ${field(msgId, 32)} - ${payload}`;
}

/**
 * RFC 6587 octet-counting framing: the message's length in bytes, a space, the message.
 * Unlike newline framing it carries any payload, newlines included, unambiguously.
 */
export function octetFrame(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
}
