/**
 * Push fan-out and propagation: N enrolled devices hold the real push channel (in two
 * load-generator processes), the admin publishes, and every device fetches and verifies
 * its new signed policy. Prints publish → verified-new-policy percentiles and the
 * server's memory per connection.
 *
 *   node --import tsx bench/push/push.ts [--devices 10000] [--publishes 3]
 */
import { argNumber, isMain } from '../lib/args.ts';
import { startFleet } from '../lib/fleet.ts';
import { fmt, percentile, printReport, type BenchReport } from '../lib/report.ts';
import { measurePropagation } from './propagation.ts';

export async function runPushBench(opts: {
  devices: number;
  publishes: number;
}): Promise<BenchReport> {
  const fleet = await startFleet();
  try {
    const enrollStarted = performance.now();
    const credentials = await fleet.enroll(opts.devices, 32);
    const enrollSeconds = (performance.now() - enrollStarted) / 1000;
    const rssBefore = await fleet.metric('process_resident_memory_bytes');
    const heapBefore = await fleet.metric('nodejs_heap_used_bytes');
    let rssAfter = 0;
    let heapAfter = 0;
    const { connected, latencies, pushed, fetched, publishResponse } = await measurePropagation({
      fleet,
      // Two load-generator processes against the one server.
      bases: [fleet.server.url, fleet.server.url],
      credentials,
      publishes: opts.publishes,
      afterConnect: async () => {
        rssAfter = await fleet.metric('process_resident_memory_bytes');
        heapAfter = await fleet.metric('nodejs_heap_used_bytes');
      },
    });
    const perConnection = (rssAfter - rssBefore) / connected;
    return {
      title: 'Push fan-out and propagation',
      command: `node --import tsx bench/push/push.ts --devices ${opts.devices} --publishes ${opts.publishes}`,
      rows: [
        ['devices connected (real enrolled credentials)', fmt.int(connected)],
        [
          'enrollment of the fleet (POST /device/enroll, 32 at a time)',
          `${enrollSeconds.toFixed(1)} s`,
        ],
        ['publish request → response (median)', fmt.ms(percentile(publishResponse, 50))],
        [
          'publish → push received: p50 / p99',
          `${fmt.ms(percentile(pushed, 50))} / ${fmt.ms(percentile(pushed, 99))}`,
        ],
        [
          'publish → signed envelope in hand (pushed, or fetched): p50 / p99',
          `${fmt.ms(percentile(fetched, 50))} / ${fmt.ms(percentile(fetched, 99))}`,
        ],
        ['publish → verified new policy: p50', fmt.ms(percentile(latencies, 50))],
        ['publish → verified new policy: p99 (goal ≤ 1 s)', fmt.ms(percentile(latencies, 99))],
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
        `${opts.publishes} publishes; the push message carries the group's signed envelope and each device verifies its ES256 signature against the key it pinned (a device fetches with If-None-Match only when a push comes without it), in two load-generator processes on the same 2 cores as the server.`,
        'Latency is measured from just before the publish request to the moment each device holds the verified new version. The simulated devices (JSON parsing and ES256 verification, 10,000 of them) run on the same 2 cores as the server, so the last step measures the simulator as much as the server.',
        'This machine caps a process at 20,000 open files, so the 20,000-connection figure is extrapolated from the measured per-connection memory.',
      ],
    };
  } finally {
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
