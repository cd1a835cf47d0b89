import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  id: string;
  timestamp: number;
  body: { type: string; data: { format: string; events: Record<string, unknown>[] } };
}

export interface WebhookReceiver {
  url: string;
  /** Signed, fresh requests accepted (2xx), in the order they arrived. */
  accepted: ReceivedWebhook[];
  /** Requests refused for a missing or wrong signature or a stale timestamp. */
  refused: { reason: string }[];
  /** The secret to check with (set once the destination is created). */
  secret: string | null;
  /**
   * Requests that came before `secret` was set, answered 503 so the sender retries: the
   * server may deliver before the admin has copied the new destination's secret into
   * the receiver, as with a real receiver still being configured.
   */
  beforeSecret: number;
  /** Answer the next `n` signed requests with 503, to exercise retries. */
  failNext(n: number): void;
  stop(): Promise<void>;
}

/**
 * A receiver that checks Standard Webhooks signatures the way a consumer would, written
 * from the convention rather than from the server's code: the secret's bytes are the
 * base64 after `whsec_`; the signed content is `id.timestamp.body`; `webhook-signature`
 * holds space-separated `v1,<base64>` entries, any of which may match; timestamps more
 * than five minutes off are refused.
 */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  let failing = 0;
  const state: WebhookReceiver = {
    url: '',
    accepted: [],
    refused: [],
    secret: null,
    beforeSecret: 0,
    failNext: (n) => void (failing = n),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const id = String(req.headers['webhook-id'] ?? '');
      const timestamp = Number(req.headers['webhook-timestamp']);
      const signatures = String(req.headers['webhook-signature'] ?? '').split(' ');
      const refuse = (reason: string) => {
        state.refused.push({ reason });
        res.writeHead(401).end();
      };
      if (!state.secret) {
        state.beforeSecret++;
        return void res.writeHead(503).end('not configured yet');
      }
      if (!id || !Number.isInteger(timestamp)) return refuse('missing headers');
      if (Math.abs(Date.now() / 1000 - timestamp) > 300) return refuse('stale timestamp');
      const key = Buffer.from(state.secret.slice('whsec_'.length), 'base64');
      const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
      const ok = signatures.some((s) => {
        const [version, sig] = s.split(',');
        if (version !== 'v1' || !sig) return false;
        const given = Buffer.from(sig, 'base64');
        return given.length === expected.length && timingSafeEqual(given, expected);
      });
      if (!ok) return refuse('bad signature');
      if (failing > 0) {
        failing--;
        return void res.writeHead(503).end('try later');
      }
      state.accepted.push({ id, timestamp, body: JSON.parse(body) as ReceivedWebhook['body'] });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/palisade`;
  return state;
}
