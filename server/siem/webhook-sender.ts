import type { StoredAuditEvent } from '../../core/audit/types.ts';
import type { PayloadFormat, WebhookTarget } from '../store/types.ts';
import { payloadObject } from './format-payload.ts';
import { webhookHeaders } from './sign-webhook.ts';

const TIMEOUT_MS = 15_000;

/**
 * POSTs a batch to a webhook, signed per Standard Webhooks. The body is
 * `{ type: "palisade.audit.events", timestamp, data: { events: [...] } }`; the message id
 * names the destination and the seq range, so a retry of the same range carries the
 * same id and a receiver can drop the repeat. Any 2xx answer acknowledges the batch.
 */
export class WebhookSender {
  constructor(
    private readonly integrationId: string,
    private readonly target: WebhookTarget,
    private readonly format: PayloadFormat,
    private readonly secret: () => string,
    private readonly now: () => number,
  ) {}

  async send(events: StoredAuditEvent[]): Promise<void> {
    const format = this.format === 'cef' ? 'json' : this.format;
    const first = events[0]!.seq;
    const last = events[events.length - 1]!.seq;
    const id = `msg_${this.integrationId}_${first}-${last}`;
    const timestamp = Math.floor(this.now() / 1000);
    const body = JSON.stringify({
      type: 'palisade.audit.events',
      timestamp: new Date(this.now()).toISOString(),
      data: { format, events: events.map((e) => payloadObject(format, e)) },
    });
    const res = await fetch(this.target.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Palisade-Webhooks/1',
        ...webhookHeaders(this.secret(), id, timestamp, body),
      },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    // The body is read and dropped: it is the receiver's, and never logged.
    await res.arrayBuffer().catch(() => undefined);
    if (!res.ok) throw new Error(`the webhook answered HTTP ${res.status}`);
  }

  close(): void {}
}
