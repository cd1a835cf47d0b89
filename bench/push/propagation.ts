import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { Fleet } from '../lib/fleet.ts';
import type { Done } from './push-client.ts';

export interface Propagation {
  connected: number;
  /**
   * publish request sent → a verifying device holding the verified new policy, in ms: the
   * sample that checks signatures itself (bench/push/push-client.ts), not every device.
   */
  latencies: number[];
  /** publish request sent → the push frame reaching each device (all of them), in ms. */
  pushed: number[];
  /** publish request sent → a verifying device holding the signed envelope (before it verifies), in ms. */
  fetched: number[];
  /** publish request → its response, in ms. */
  publishResponse: number[];
  /** The same moments as `latencies` and `pushed`, counted from the publish response. */
  afterResponse: { latencies: number[]; pushed: number[] };
  /** Delta sync only (`delta`): what the devices held before, and what their fetches got. */
  deltas?: DeltaFigures;
}

export interface DeltaFigures {
  /** The version every device held before the publishes, and the one full envelope's bytes per generator. */
  heldVersion: number;
  fullBytes: number;
  /** Devices whose 304 for the held ETag confirmed it (all but one per generator) plus those that fetched it. */
  holding: number;
  /**
   * Deltas taken from the push frame, delta answers fetched, fetches that failed or got no
   * delta, devices that verified deltas themselves.
   */
  carried: number;
  answered: number;
  failed: number;
  verified: number;
  /** One delta answer's bytes (every device gets the same). */
  bytes: number;
  /** Per generator and publish: the verified deltas applied to the held policy, hash checked. */
  applyMs: number[];
}

/** The next message of `type` from a generator (an `error` message rejects). */
function nextMessage<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise<T>((ok, fail) => {
    const onMessage = (m: { type: string; message?: string }) => {
      if (m.type === type) {
        child.off('message', onMessage);
        ok(m as T);
      } else if (m.type === 'error') fail(new Error(m.message));
    };
    child.on('message', onMessage);
  });
}

function startGenerator(start: object): Promise<{ child: ChildProcess; connected: number }> {
  const child = fork(resolve(import.meta.dirname, 'push-client.ts'), {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  child.send(start);
  return new Promise((ok, fail) => {
    child.once('message', (m: { type: string; connected?: number; message?: string }) =>
      m.type === 'ready' ? ok({ child, connected: m.connected! }) : fail(new Error(m.message)),
    );
    child.once('exit', (code) => fail(new Error(`load generator exited with ${code}`)));
  });
}

/** Has every generator bring its devices to the current version; what they then hold. */
async function holdCurrentPolicy(generators: ChildProcess[]): Promise<DeltaFigures> {
  const holding = await Promise.all(
    generators.map((child) => {
      const answer = nextMessage<{ version: number; bytes: number; confirmed: number }>(
        child,
        'holding',
      );
      child.send({ type: 'hold' });
      return answer;
    }),
  );
  const versions = new Set(holding.map((h) => h.version));
  if (versions.size !== 1) throw new Error(`the devices hold versions ${[...versions].join(', ')}`);
  return {
    heldVersion: holding[0]!.version,
    fullBytes: holding[0]!.bytes,
    holding: holding.reduce((n, h) => n + h.confirmed, 0),
    carried: 0,
    answered: 0,
    failed: 0,
    verified: 0,
    bytes: 0,
    applyMs: [],
  };
}

/**
 * Connects the devices to the push channel of the given server bases (one load-generator
 * process per base, devices split evenly), publishes through `fleet` `publishes` times and
 * measures when every device holds its verified new policy.
 */
export async function measurePropagation(opts: {
  fleet: Fleet;
  bases: string[];
  credentials: string[];
  publishes: number;
  /** Every n-th device verifies the signature itself; the rest compare frames (default 1: all). */
  verifyEvery?: number;
  afterConnect?: (connected: number) => Promise<void>;
  /**
   * A policy over 64 KiB: after connecting, the devices are brought to the current version
   * (bench/push/delta-device.ts) and each fetches its deltas at every publish.
   */
  delta?: boolean;
  /** With `delta`: every device fetches its deltas, even when the frame carries them. */
  fetchAll?: boolean;
  /** The `p`-th publish (default: `fleet.publish(p)`); resolves at its response. */
  publish?: (p: number) => Promise<{ respondedAt: number }>;
}): Promise<Propagation> {
  const { fleet, bases, credentials } = opts;
  const pinned = (await (await fetch(`${fleet.server.url}/api/v1/public-key`)).json()) as object;
  const share = Math.ceil(credentials.length / bases.length);
  const generators: ChildProcess[] = [];
  try {
    const started = await Promise.all(
      bases.map((base, g) =>
        startGenerator({
          base: base.replace('localhost', '127.0.0.1'),
          credentials: credentials.slice(g * share, (g + 1) * share),
          pinned,
          verifyEvery: opts.verifyEvery ?? 1,
          delta: opts.delta ?? false,
          fetchAll: opts.fetchAll ?? false,
          localAddresses: Array.from({ length: 8 }, (_, k) => `127.0.${g + 1}.${k + 1}`),
        }),
      ),
    );
    generators.push(...started.map((s) => s.child));
    const connected = started.reduce((n, s) => n + s.connected, 0);
    await opts.afterConnect?.(connected);
    const deltas = opts.delta ? await holdCurrentPolicy(generators) : undefined;

    const latencies: number[] = [];
    const pushed: number[] = [];
    const fetched: number[] = [];
    const publishResponse: number[] = [];
    const afterResponse = { latencies: [] as number[], pushed: [] as number[] };
    const publish = opts.publish ?? ((p: number) => fleet.publish(p));
    for (let p = 1; p <= opts.publishes; p++) {
      const done = generators.map((child) => nextMessage<Done>(child, 'done'));
      const sentAt = performance.timeOrigin + performance.now();
      const { respondedAt } = await publish(p);
      publishResponse.push(respondedAt - sentAt);
      for (const marks of await Promise.all(done)) {
        latencies.push(...marks.times.map((t) => t - sentAt));
        pushed.push(...marks.pushed.map((t) => t - sentAt));
        fetched.push(...marks.fetched.map((t) => t - sentAt));
        afterResponse.latencies.push(...marks.times.map((t) => t - respondedAt));
        afterResponse.pushed.push(...marks.pushed.map((t) => t - respondedAt));
        if (!deltas) continue;
        deltas.carried += marks.carried;
        deltas.answered += marks.answered;
        deltas.failed += marks.failed;
        deltas.verified += marks.verified;
        deltas.bytes = marks.bytes ?? deltas.bytes;
        if (marks.applyMs !== undefined) deltas.applyMs.push(marks.applyMs);
      }
    }
    return {
      connected,
      latencies,
      pushed,
      fetched,
      publishResponse,
      afterResponse,
      ...(deltas ? { deltas } : {}),
    };
  } finally {
    for (const g of generators) g.kill();
  }
}
