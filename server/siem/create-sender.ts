import type { StoredAuditEvent } from '../../core/audit/types.ts';
import type { IntegrationView, SyslogTarget, WebhookTarget } from '../store/types.ts';
import type { SecretBox } from './secret-box.ts';
import { SyslogSender } from './syslog-sender.ts';
import { WebhookSender } from './webhook-sender.ts';

/** What delivers a batch of events to one destination. */
export interface Sender {
  send(events: StoredAuditEvent[]): Promise<void>;
  close(): void;
}

/**
 * The sender for an integration's kind: syslog, or a webhook signed with the integration's
 * sealed secret (opened at each send, so a rotated secret takes effect at once).
 */
export function createSender(i: IntegrationView, secrets: SecretBox, now: () => number): Sender {
  if (i.kind === 'syslog') return new SyslogSender(i.target as SyslogTarget, i.format);
  return new WebhookSender(
    i.id,
    i.target as WebhookTarget,
    i.format,
    () => {
      if (!i.secret) throw new Error('the webhook has no signing secret');
      return secrets.open(i.secret);
    },
    now,
  );
}
