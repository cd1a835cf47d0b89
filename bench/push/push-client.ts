/**
 * A load-generator process for bench/push: holds one real push WebSocket per simulated
 * device, authenticated with that device's credential.
 *
 * Simulating 10,000 devices that each parse and ES256-verify a few-KB envelope costs more
 * CPU than the server's whole fan-out, and here the simulator shares the server's 2 cores;
 * so the devices are cheap and the verification is still total:
 * - a sample of devices (every `verifyEvery`-th, and the first to receive each version)
 *   behave exactly as the extension: parse the frame, verify the envelope's signature
 *   against the pinned key (fetching with If-None-Match when the push carries none), check
 *   the version;
 * - every other device records the frame's arrival and compares its bytes with the frame
 *   the first device received; since that one is verified, an equal frame carries the same
 *   verified policy. A different frame is verified in full.
 *
 * Protocol with the parent (IPC): receives a `Start`; sends `{ type: 'ready', connected }`,
 * then per version `{ type: 'done', version, times, pushed, fetched }`: `pushed` for every
 * device (frame in hand), `times`/`fetched` for the verified devices only.
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
  /** Every n-th device verifies its frame's signature itself (1: all of them). */
  verifyEvery: number;
}

/** Connections opened at once: a fleet reconnects over seconds, not in one SYN burst. */
const CONNECT_CONCURRENCY = 200;
const subtle = globalThis.crypto.subtle as unknown as Subtle;
/** A bounded keep-alive pool, as a fleet of browsers would not open 5,000 sockets at once from one host. */
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const POLICY_PREFIX = Buffer.from('{"type":"policy","version":');

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

/** The version of a `policy` frame, read from its fixed prefix without parsing the rest. */
function policyVersion(data: Buffer): number | null {
  if (
    data.length <= POLICY_PREFIX.length ||
    data.compare(POLICY_PREFIX, 0, POLICY_PREFIX.length, 0, POLICY_PREFIX.length) !== 0
  )
    return null;
  let v = 0;
  let i = POLICY_PREFIX.length;
  for (; i < data.length && data[i]! >= 0x30 && data[i]! <= 0x39; i++) v = v * 10 + data[i]! - 0x30;
  return i > POLICY_PREFIX.length ? v : null;
}

process.once('message', async (start: Start) => {
  const etags = new Map<number, string>();
  interface Marks {
    times: number[];
    pushed: number[];
    fetched: number[];
    received: number;
    verifying: number;
  }
  const pending = new Map<number, Marks>();
  /** Per version, the first frame received: it is verified, and the others compared to it. */
  const reference = new Map<number, Buffer>();
  let connected = 0;

  const marksOf = (version: number) => {
    let marks = pending.get(version);
    if (!marks)
      pending.set(
        version,
        (marks = { times: [], pushed: [], fetched: [], received: 0, verifying: 0 }),
      );
    return marks;
  };
  const maybeDone = (version: number, marks: Marks) => {
    if (marks.received === start.credentials.length && marks.verifying === 0) {
      const { times, pushed, fetched } = marks;
      process.send!({ type: 'done', version, times, pushed, fetched });
      pending.delete(version);
    }
  };

  /** Verifies as the extension does: the envelope the push carried, else a fetch. */
  async function verify(i: number, data: Buffer, version: number): Promise<number> {
    const msg = JSON.parse(data.toString()) as { etag?: string; envelope?: unknown };
    let res = msg.envelope && msg.etag ? { status: 200, etag: msg.etag, body: '' } : null;
    if (!res) {
      const headers: Record<string, string> = { authorization: `Bearer ${start.credentials[i]}` };
      const etag = etags.get(i);
      if (etag) headers['if-none-match'] = etag;
      res = await fetchPolicy(`${start.base}/api/v1/device/policy`, headers);
    }
    if (res.status !== 200) throw new Error(`device ${i}: policy fetch answered ${res.status}`);
    const fetched = now();
    const envelope: unknown = msg.envelope && msg.etag ? msg.envelope : JSON.parse(res.body);
    const verified = await verifyEnvelope(subtle, envelope, start.pinned as never);
    if (!verified.ok) throw new Error(`device ${i}: ${verified.message}`);
    const payload = parsePolicyPayload(verified.payload);
    if (!payload || payload.version < version) throw new Error(`device ${i}: got an older policy`);
    etags.set(i, res.etag);
    return fetched;
  }

  function onPolicy(i: number, data: Buffer, version: number) {
    const pushed = now();
    const marks = marksOf(version);
    marks.pushed.push(pushed);
    marks.received++;
    const first = reference.get(version);
    if (!first) reference.set(version, data);
    const full = !first || i % start.verifyEvery === 0 || !data.equals(first);
    if (!full) return maybeDone(version, marks);
    marks.verifying++;
    verify(i, data, version).then(
      (fetched) => {
        marks.fetched.push(fetched);
        marks.times.push(now());
        marks.verifying--;
        maybeDone(version, marks);
      },
      (err: Error) => process.send!({ type: 'error', message: err.message }),
    );
  }

  const wsUrl = start.base.replace(/^http/, 'ws') + '/api/v1/device/push';
  const connect = (credential: string, i: number) =>
    new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(wsUrl, {
        localAddress: start.localAddresses[i % start.localAddresses.length],
        perMessageDeflate: false,
      });
      ws.once('open', () => ws.send(JSON.stringify({ type: 'auth', credential })));
      ws.once('error', reject);
      ws.on('message', (data: Buffer) => {
        const version = policyVersion(data);
        if (version !== null) return onPolicy(i, data, version);
        const msg = JSON.parse(String(data)) as { type: string };
        if (msg.type === 'hello') {
          connected++;
          resolve();
        }
      });
    });
  let next = 0;
  await Promise.all(
    Array.from({ length: CONNECT_CONCURRENCY }, async () => {
      while (next < start.credentials.length) {
        const i = next++;
        await connect(start.credentials[i]!, i);
      }
    }),
  );
  process.send!({ type: 'ready', connected });
});
