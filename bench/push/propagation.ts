import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { Fleet } from '../lib/fleet.ts';

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
}

interface Marks {
  times: number[];
  pushed: number[];
  fetched: number[];
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
          localAddresses: Array.from({ length: 8 }, (_, k) => `127.0.${g + 1}.${k + 1}`),
        }),
      ),
    );
    generators.push(...started.map((s) => s.child));
    const connected = started.reduce((n, s) => n + s.connected, 0);
    await opts.afterConnect?.(connected);

    const latencies: number[] = [];
    const pushed: number[] = [];
    const fetched: number[] = [];
    const publishResponse: number[] = [];
    for (let p = 1; p <= opts.publishes; p++) {
      const done = generators.map(
        (child) =>
          new Promise<Marks>((ok, fail) => {
            const onMessage = (m: Partial<Marks> & { type: string; message?: string }) => {
              if (m.type === 'done') {
                child.off('message', onMessage);
                ok(m as Marks);
              } else if (m.type === 'error') fail(new Error(m.message));
            };
            child.on('message', onMessage);
          }),
      );
      const sentAt = performance.timeOrigin + performance.now();
      const { respondedAt } = await fleet.publish(p);
      publishResponse.push(respondedAt - sentAt);
      for (const marks of await Promise.all(done)) {
        latencies.push(...marks.times.map((t) => t - sentAt));
        pushed.push(...marks.pushed.map((t) => t - sentAt));
        fetched.push(...marks.fetched.map((t) => t - sentAt));
      }
    }
    return { connected, latencies, pushed, fetched, publishResponse };
  } finally {
    for (const g of generators) g.kill();
  }
}
