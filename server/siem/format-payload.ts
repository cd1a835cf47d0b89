import type { StoredAuditEvent } from '../../core/audit/types.ts';
import type { PayloadFormat } from '../store/types.ts';
import { formatCef } from './format-cef.ts';
import { formatOcsf } from './format-ocsf.ts';

/** One event as the destination's payload text: a CEF line, or JSON (Palisade's or OCSF-shaped). */
export function formatPayload(format: PayloadFormat, e: StoredAuditEvent): string {
  if (format === 'cef') return formatCef(e);
  return JSON.stringify(format === 'ocsf' ? formatOcsf(e) : e);
}

/** The same as an object, for a webhook's JSON body (CEF is a line format: syslog only). */
export function payloadObject(format: Exclude<PayloadFormat, 'cef'>, e: StoredAuditEvent): unknown {
  return format === 'ocsf' ? formatOcsf(e) : e;
}
