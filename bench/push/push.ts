/**
 * Push fan-out and propagation: N enrolled devices hold the real push channel (in two
 * load-generator processes), the admin publishes, and every device fetches and verifies
 * its new signed policy. Prints publish → verified-new-policy percentiles and the
 * server's memory per connection.
 *
 *   node --import tsx bench/push/push.ts [--devices 10000] [--publishes 3]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { argNumber, isMain } from '../lib/args.ts';
import { startFleet } from '../lib/fleet.ts';
import { fmt, percentile, printReport, type BenchReport } from '../lib/report.ts';

const GENERATORS = 2;

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

export async function runPushBench(opts: {
  devices: number;
  publishes: number;
}): Promise<BenchReport> {
  const fleet = await startFleet();
  const generators: ChildProcess[] = [];
  try {
    const enrollStarted = performance.now();
    const credentials = await fleet.enroll(opts.devices, 32);
    const enrollSeconds = (performance.now() - enrollStarted) / 1000;
    const pinned = (await (await fetch(`${fleet.server.url}/api/v1/public-key`)).json()) as object;
    const rssBefore = await fleet.metric('process_resident_memory_bytes');
    const heapBefore = await fleet.metric('nodejs_heap_used_bytes');

    const share = Math.ceil(credentials.length / GENERATORS);
    const started = await Promise.all(
      Array.from({ length: GENERATORS }, (_, g) =>
        startGenerator({
          base: fleet.server.url.replace('localhost', '127.0.0.1'),
          credentials: credentials.slice(g * share, (g + 1) * share),
          pinned,
          localAddresses: Array.from({ length: 8 }, (_, k) => `127.0.${g + 1}.${k + 1}`),
        }),
      ),
    );
    generators.push(...started.map((s) => s.child));
    const connected = started.reduce((n, s) => n + s.connected, 0);
    const rssAfter = await fleet.metric('process_resident_memory_bytes');
    const heapAfter = await fleet.metric('nodejs_heap_used_bytes');

    const latencies: number[] = [];
    const publishResponse: number[] = [];
    for (let p = 1; p <= opts.publishes; p++) {
      const done = generators.map(
        (child) =>
          new Promise<number[]>((ok, fail) => {
            const onMessage = (m: { type: string; times?: number[]; message?: string }) => {
              if (m.type === 'done') {
                child.off('message', onMessage);
                ok(m.times!);
              } else if (m.type === 'error') fail(new Error(m.message));
            };
            child.on('message', onMessage);
          }),
      );
      const sentAt = performance.timeOrigin + performance.now();
      const { respondedAt } = await fleet.publish(p);
      publishResponse.push(respondedAt - sentAt);
      const times = (await Promise.all(done)).flat();
      latencies.push(...times.map((t) => t - sentAt));
    }
    const perConnection = (rssAfter - rssBefore) / connected;
    return {
      title: 'Push fan-out and propagation',
      command: `node --import tsx bench/push/push.ts --devices ${opts.devices} --publishes ${opts.publishes}`,
      rows: [
        ['devices connected (real enrolled credentials)', fmt.int(connected)],
        ['enrollment of the fleet', `${enrollSeconds.toFixed(1)} s`],
        ['publish request → response (median)', fmt.ms(percentile(publishResponse, 50))],
        ['publish → verified new policy: p50 (goal p99 ≤ 1 s)', fmt.ms(percentile(latencies, 50))],
        ['publish → verified new policy: p99', fmt.ms(percentile(latencies, 99))],
        ['publish → verified new policy: max', fmt.ms(Math.max(...latencies))],
        ['server RSS with all connected', fmt.mb(rssAfter)],
        ['server RSS per connection', `${(perConnection / 1024).toFixed(1)} KB`],
        [
          'server heap per connection',
          `${((heapAfter - heapBefore) / connected / 1024).toFixed(1)} KB`,
        ],
        [
          'connections within 256 MB at that rate (goal ≥ 20,000)',
          fmt.int((256 * 2 ** 20 - rssBefore) / perConnection),
        ],
      ],
      notes: [
        `${opts.publishes} publishes; each device fetches with If-None-Match and verifies the ES256 signature against the key it pinned, in ${GENERATORS} load-generator processes on the same 2 cores as the server.`,
        'Latency is measured from just before the publish request to the moment each device holds the verified new version.',
        'This machine caps a process at 20,000 open files, so the 20,000-connection figure is extrapolated from the measured per-connection memory.',
      ],
    };
  } finally {
    for (const g of generators) g.kill();
    await fleet.server.stop();
  }
}

if (isMain(import.meta.url)) {
  printReport(
    await runPushBench({
      devices: argNumber('--devices', 10_000),
      publishes: argNumber('--publishes', 3),
    }),
  );
}
