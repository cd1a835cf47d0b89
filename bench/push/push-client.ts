/**
 * A load-generator process for bench/push: holds one real push WebSocket per simulated
 * device, authenticated with that device's credential. On a `policy` push each device
 * fetches its signed policy (If-None-Match) and verifies the signature against the pinned
 * key, as the extension does, then reports when it holds the verified new version.
 *
 * Protocol with the parent (IPC): receives `{ base, credentials, pinned }`; sends
 * `{ type: 'ready', connected }`, then `{ type: 'done', version, times, pushed, fetched }`: per
 * device, when it held the verified policy, when the push arrived and when it had the
 * envelope (the push carries it; a fetch is made only when it does not).
 */
import { Agent, get } from 'node:http';
import WebSocket from 'ws';
import { verifyEnvelope } from '../../core/crypto/envelope.ts';
import type { Subtle } from '../../core/crypto/webcrypto.ts';
import { parsePolicyPayload } from '../../core/policy/policy-payload.ts';

interface Start {
  base: string;
  credentials: string[];
  pinned: { keyId: string; jwk: Record<string, unknown> };
  /** Spread connections over 127.0.0.x source addresses so no ephemeral port range runs out. */
  localAddresses: string[];
}

const subtle = globalThis.crypto.subtle as unknown as Subtle;
/** A bounded keep-alive pool, as a fleet of browsers would not open 5,000 sockets at once from one host. */
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function fetchPolicy(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; etag: string; body: string }>((resolve, reject) => {
    get(url, { headers, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, etag: String(res.headers.etag ?? ''), body }),
      );
    }).on('error', reject);
  });
}
const now = () => performance.timeOrigin + performance.now();

process.once('message', async (start: Start) => {
  const etags = new Map<number, string>();
  interface Marks {
    times: number[];
    pushed: number[];
    fetched: number[];
  }
  const pending = new Map<number, Marks>();
  let connected = 0;

  /** Takes the envelope the push carried, as the extension does; fetches when there is none. */
  async function onPolicy(
    i: number,
    version: number,
    carried?: { envelope: unknown; etag: string },
  ) {
    const pushed = now();
    let res = carried ? { status: 200, etag: carried.etag, body: '' } : null;
    if (!res) {
      const headers: Record<string, string> = { authorization: `Bearer ${start.credentials[i]}` };
      const etag = etags.get(i);
      if (etag) headers['if-none-match'] = etag;
      res = await fetchPolicy(`${start.base}/api/v1/device/policy`, headers);
    }
    if (res.status !== 200) throw new Error(`device ${i}: policy fetch answered ${res.status}`);
    const fetched = now();
    const envelope: unknown = carried ? carried.envelope : JSON.parse(res.body);
    const verified = await verifyEnvelope(subtle, envelope, start.pinned as never);
    if (!verified.ok) throw new Error(`device ${i}: ${verified.message}`);
    const payload = parsePolicyPayload(verified.payload);
    if (!payload || payload.version < version) throw new Error(`device ${i}: got an older policy`);
    etags.set(i, res.etag);
    const marks = pending.get(version) ?? { times: [], pushed: [], fetched: [] };
    marks.times.push(now());
    marks.pushed.push(pushed);
    marks.fetched.push(fetched);
    pending.set(version, marks);
    if (marks.times.length === start.credentials.length) {
      process.send!({ type: 'done', version, ...marks });
      pending.delete(version);
    }
  }

  const wsUrl = start.base.replace(/^http/, 'ws') + '/api/v1/device/push';
  await Promise.all(
    start.credentials.map(
      (credential, i) =>
        new Promise<void>((resolve, reject) => {
          const ws = new WebSocket(wsUrl, {
            localAddress: start.localAddresses[i % start.localAddresses.length],
            perMessageDeflate: false,
          });
          ws.once('open', () => ws.send(JSON.stringify({ type: 'auth', credential })));
          ws.once('error', reject);
          ws.on('message', (data) => {
            const msg = JSON.parse(String(data)) as {
              type: string;
              version?: number;
              etag?: string;
              envelope?: unknown;
            };
            if (msg.type === 'hello') {
              connected++;
              resolve();
            } else if (msg.type === 'policy' && msg.version !== undefined) {
              const carried =
                msg.envelope && msg.etag ? { envelope: msg.envelope, etag: msg.etag } : undefined;
              onPolicy(i, msg.version, carried).catch((err: Error) => {
                process.send!({ type: 'error', message: err.message });
              });
            }
          });
        }),
    ),
  );
  process.send!({ type: 'ready', connected });
});
