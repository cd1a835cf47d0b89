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
 * With `delta` (a policy over 64 KiB: its frame carries the signed delta from the version
 * before, not the envelope) a device holding that version takes the frame's deltas, as the
 * extension does, and any other device fetches its deltas over HTTP (with `fetchAll`, every
 * device fetches: the load before deltas travelled in the frame); the sample (the same
 * rule) verifies them as the extension does, the others compare the bytes with the
 * first verified one. Each generator then applies the verified deltas once to the policy
 * its devices hold and checks the rebuilt payload's signed SHA-256.
 *
 * Protocol with the parent (IPC): receives a `Start`; sends `{ type: 'ready', connected }`;
 * with `delta`, receives `{ type: 'hold' }` and sends `{ type: 'holding', version, bytes,
 * confirmed }`; then per version `{ type: 'done', version, times, pushed, fetched, … }`:
 * `pushed` for every device (frame in hand), `times`/`fetched` for the verified devices
 * only, or with `delta` for every device (deltas in hand, checked).
 */
import WebSocket from 'ws';
import { verifyEnvelope } from '../../core/crypto/envelope.ts';
import type { Subtle } from '../../core/crypto/webcrypto.ts';
import type { PolicyDelta } from '../../core/policy/policy-delta.ts';
import { parsePolicyPayload } from '../../core/policy/policy-payload.ts';
import {
  applyDeltas,
  fetchDeltas,
  holdCurrentPolicy,
  isDeltaAnswer,
  verifyDeltas,
  type Held,
} from './delta-device.ts';
import { fetchPolicy } from './policy-fetch.ts';

interface Start {
  base: string;
  credentials: string[];
  pinned: { keyId: string; jwk: Record<string, unknown> };
  /** Spread connections over 127.0.0.x source addresses so no ephemeral port range runs out. */
  localAddresses: string[];
  /** Every n-th device verifies its frame's signature itself (1: all of them). */
  verifyEvery: number;
  /**
   * Large policies: frames name the version only and every device fetches the signed deltas
   * from the version it holds (bench/push/delta-device.ts), after a `hold` message.
   */
  delta?: boolean;
  /** With `delta`: every device fetches its deltas, even when the frame carries them. */
  fetchAll?: boolean;
}

/** Connections opened at once: a fleet reconnects over seconds, not in one SYN burst. */
const CONNECT_CONCURRENCY = 200;
/** What a generator reports when every one of its devices holds a version. */
export interface Done {
  times: number[];
  pushed: number[];
  fetched: number[];
  /**
   * Delta sync: deltas taken from the push frame, fetch answers that were deltas, fetches
   * that failed or got no delta, self-verified devices.
   */
  carried: number;
  answered: number;
  failed: number;
  verified: number;
  /** Delta sync: one delta answer's bytes, and the verified deltas applied once (ms). */
  bytes?: number;
  applyMs?: number;
}

const subtle = globalThis.crypto.subtle as unknown as Subtle;
const POLICY_PREFIX = Buffer.from('{"type":"policy","version":');
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
  interface Marks extends Done {
    received: number;
    verifying: number;
    bytes: number;
  }
  const pending = new Map<number, Marks>();
  /** Per version, the first frame received: it is verified, and the others compared to it. */
  const reference = new Map<number, Buffer>();
  /** Delta sync: per version, the first delta answer fetched and its verified deltas. */
  const referenceDeltas = new Map<
    number,
    Promise<{ body: string; etag: string; deltas: PolicyDelta[] }>
  >();
  let held: Held | null = null;
  let connected = 0;

  const marksOf = (version: number) => {
    let marks = pending.get(version);
    if (!marks)
      pending.set(
        version,
        (marks = {
          times: [],
          pushed: [],
          fetched: [],
          received: 0,
          verifying: 0,
          carried: 0,
          answered: 0,
          failed: 0,
          verified: 0,
          bytes: 0,
        }),
      );
    return marks;
  };
  const fail = (err: Error) => process.send!({ type: 'error', message: err.message });
  const maybeDone = (version: number, marks: Marks) => {
    if (marks.received !== start.credentials.length || marks.verifying !== 0) return;
    pending.delete(version);
    const { times, pushed, fetched, carried, answered, failed, verified, bytes } = marks;
    const done = {
      type: 'done',
      ...{ version, times, pushed, fetched, carried, answered, failed, verified },
    };
    const deltas = referenceDeltas.get(version);
    if (!deltas) return process.send!(done);
    // Once per generator, outside every device's time: rebuild the new policy from the
    // verified deltas and check it is the signed one; the devices then hold it.
    void deltas
      .then(async (first) => {
        const started = performance.now();
        held = await applyDeltas(held!, first.deltas, first.etag);
        process.send!({ ...done, bytes, applyMs: performance.now() - started });
      })
      .catch(fail);
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

  type Carried = { body: string; etag: string } | null;
  /** Per version, the first frame and the delta answer it carried for the held version. */
  const carriedBy = new Map<number, { frame: Buffer; carried: Carried }>();
  /**
   * The frame's deltas as the body a delta fetch answers, when they continue from the held
   * version (PolicySync's test: the frame's `baseEtag` is the held ETag); a frame equal to
   * the version's first one carries the same, and is not parsed again.
   */
  function carriedDeltas(data: Buffer, version: number): Carried {
    if (start.fetchAll) return null;
    const first = carriedBy.get(version);
    if (first && data.equals(first.frame)) return first.carried;
    const msg = JSON.parse(data.toString()) as {
      etag?: unknown;
      baseEtag?: unknown;
      deltas?: unknown;
    };
    const carried =
      msg.baseEtag === held!.etag && typeof msg.etag === 'string' && Array.isArray(msg.deltas)
        ? { body: JSON.stringify({ deltas: msg.deltas }), etag: msg.etag }
        : null;
    if (!first) carriedBy.set(version, { frame: data, carried });
    return carried;
  }

  /**
   * Delta sync: the deltas the frame carries for the held version, else fetched from it;
   * the sample (and the first to get them) verifies them, the others compare the body with
   * that first verified one. Returns when the body was in hand, or null when the fetch
   * failed or got no delta (a failed verification throws: it ends the run).
   */
  async function checkDeltas(i: number, data: Buffer, version: number, marks: Marks) {
    const carried = carriedDeltas(data, version);
    const res =
      carried ??
      (await fetchDeltas(start.base, start.credentials[i]!, held!).then(
        (r) => (isDeltaAnswer(r) ? r : null),
        () => null,
      ));
    const fetched = now();
    if (!res) return null;
    if (carried) marks.carried++;
    else marks.answered++;
    marks.bytes = Buffer.byteLength(res.body);
    let first = referenceDeltas.get(version);
    const isFirst = !first;
    if (!first) {
      const checked = verifyDeltas(res.body, held!, start.pinned, version);
      const reference = checked.then((deltas) => ({ body: res.body, etag: res.etag, deltas }));
      referenceDeltas.set(version, (first = reference));
    }
    const own = !isFirst && (i % start.verifyEvery === 0 || res.body !== (await first).body);
    if (own) await verifyDeltas(res.body, held!, start.pinned, version);
    await first;
    if (isFirst || own) marks.verified++;
    return fetched;
  }

  function onPolicy(i: number, data: Buffer, version: number) {
    const pushed = now();
    const marks = marksOf(version);
    marks.pushed.push(pushed);
    marks.received++;
    let checked: Promise<number | null>;
    if (start.delta) checked = checkDeltas(i, data, version, marks);
    else {
      const first = reference.get(version);
      if (!first) reference.set(version, data);
      const full = !first || i % start.verifyEvery === 0 || !data.equals(first);
      if (!full) return maybeDone(version, marks);
      checked = verify(i, data, version);
    }
    marks.verifying++;
    checked.then((fetched) => {
      if (fetched === null) marks.failed++;
      else {
        marks.fetched.push(fetched);
        marks.times.push(now());
      }
      marks.verifying--;
      maybeDone(version, marks);
    }, fail);
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
  process.on('message', (m: { type: string }) => {
    if (m.type !== 'hold') return;
    holdCurrentPolicy(start.base, start.credentials, start.pinned).then((hold) => {
      held = hold.held;
      const { bytes, confirmed } = hold;
      process.send!({ type: 'holding', version: held.payload.version, bytes, confirmed });
    }, fail);
  });
});
