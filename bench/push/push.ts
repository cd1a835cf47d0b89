/**
 * Push fan-out and propagation: N enrolled devices hold the real push channel (in two
 * load-generator processes), the admin publishes, and every device gets its new signed
 * policy; a sample verifies the signature itself, the others compare the frame's bytes
 * with a verified one (bench/push/push-client.ts). Prints publish → frame and publish →
 * verified percentiles and the memory of the server process alone (the devices run in
 * other processes) before they connect and with all of them connected.
 *
 * The server runs as `npm start` runs it: the bundle (dist/server.mjs, built here) with
 * the V8 flags of server/bundle.ts. Its memory is then measured once more on a restart
 * without them, so both figures come from the same run.
 *
 *   node --import tsx bench/push/push.ts [--devices 10000] [--publishes 3] [--verify-every 50]
 */
import { SERVER_NODE_FLAGS } from '../../server/bundle.ts';
import { startServer } from '../../test/helpers/start-server.ts';
import { isMain, numberArgs } from '../lib/args.ts';
import type { Fleet } from '../lib/fleet.ts';
import { fmt, percentile, printReport, type BenchReport } from '../lib/report.ts';
import { measurePropagation } from './propagation.ts';
import { BUNDLE, withPushFleet } from './push-fleet.ts';

const MB_256 = 256 * 2 ** 20;

interface Memory {
  /** Server RSS after a restart, before any device connects. */
  before: number;
  /** Server RSS with every device connected. */
  after: number;
  heapBefore: number;
  heapAfter: number;
  connected: number;
}

/** What the server process holds (its own /metrics), before and after `connect` runs. */
async function measureMemory(
  fleet: Fleet,
  connect: (afterConnect: () => Promise<void>) => Promise<number>,
): Promise<Memory> {
  const before = await fleet.metric('process_resident_memory_bytes');
  const heapBefore = await fleet.metric('nodejs_heap_size_used_bytes');
  let after = 0;
  let heapAfter = 0;
  const connected = await connect(async () => {
    after = await fleet.metric('process_resident_memory_bytes');
    heapAfter = await fleet.metric('nodejs_heap_size_used_bytes');
  });
  return { before, after, heapBefore, heapAfter, connected };
}

const perConnection = (m: Memory) => (m.after - m.before) / m.connected;

export async function runPushBench(opts: {
  devices: number;
  publishes: number;
  verifyEvery?: number;
}): Promise<BenchReport> {
  const verifyEvery = opts.verifyEvery ?? 50;
  return withPushFleet(opts.devices, async (fleet, credentials, enrollSeconds) => {
    // Enrolling 10,000 devices in seconds leaves garbage a server in service would not
    // hold; a restart gives the memory of a server whose devices reconnect.
    await fleet.server.restart();
    let run!: Awaited<ReturnType<typeof measurePropagation>>;
    const memory = await measureMemory(fleet, async (afterConnect) => {
      run = await measurePropagation({
        fleet,
        // Two load-generator processes against the one server.
        bases: [fleet.server.url, fleet.server.url],
        credentials,
        publishes: opts.publishes,
        verifyEvery,
        afterConnect,
      });
      return run.connected;
    });
    const { connected, latencies, pushed, publishResponse } = run;

    // The same server and fleet without the V8 flags (connect only, no publish).
    await fleet.server.stop();
    const plain = await startServer({
      dataDir: fleet.server.dataDir,
      port: fleet.server.port,
      nodeArgs: [BUNDLE],
    });
    let unflagged: Memory;
    try {
      unflagged = await measureMemory(fleet, async (afterConnect) => {
        const { connected } = await measurePropagation({
          fleet,
          bases: [plain.url, plain.url],
          credentials,
          publishes: 0,
          afterConnect,
        });
        return connected;
      });
    } finally {
      await plain.stop();
    }

    const flag = SERVER_NODE_FLAGS.join(' ');
    const at20k = memory.before + 20_000 * perConnection(memory);
    return {
      title: 'Push fan-out and propagation',
      command: `node --import tsx bench/push/push.ts --devices ${opts.devices} --publishes ${opts.publishes} --verify-every ${verifyEvery}`,
      rows: [
        ['devices connected (real enrolled credentials)', fmt.int(connected)],
        [
          'enrollment of the fleet (POST /device/enroll, 32 at a time)',
          `${enrollSeconds.toFixed(1)} s`,
        ],
        ['publish request → response (median)', fmt.ms(percentile(publishResponse, 50))],
        [
          `publish → push frame at every device (${fmt.int(pushed.length)} frames): p50 / p99`,
          `${fmt.ms(percentile(pushed, 50))} / ${fmt.ms(percentile(pushed, 99))}`,
        ],
        [
          `publish → verified new policy, the ${fmt.int(latencies.length)} verifying devices: p50`,
          fmt.ms(percentile(latencies, 50)),
        ],
        [
          'publish → verified new policy: p99 (goal ≤ 1 s; baseline on main 1.2 s)',
          fmt.ms(percentile(latencies, 99)),
        ],
        ['publish → verified new policy: max', fmt.ms(Math.max(...latencies))],
        ['publish → push frame: max (every device)', fmt.ms(Math.max(...pushed))],
        ['server RSS, restarted, before devices connect', fmt.mb(memory.before)],
        [
          `server RSS with ${fmt.int(connected)} connected (goal ≤ 128 MB; baseline on main 251 MB)`,
          fmt.mb(memory.after),
        ],
        ['server RSS per connection', `${(perConnection(memory) / 1024).toFixed(1)} KB`],
        [
          'server heap per connection',
          `${((memory.heapAfter - memory.heapBefore) / connected / 1024).toFixed(1)} KB`,
        ],
        ['server RSS at 20,000 connections, extrapolated (goal ≤ 256 MB)', fmt.mb(at20k)],
        [
          'connections within 256 MB at that rate (goal ≥ 20,000)',
          fmt.int((MB_256 - memory.before) / perConnection(memory)),
        ],
        [
          `without ${flag}: server RSS before connects / with ${fmt.int(unflagged.connected)} connected`,
          `${fmt.mb(unflagged.before)} / ${fmt.mb(unflagged.after)}`,
        ],
        [
          `without ${flag}: connections within 256 MB`,
          fmt.int((MB_256 - unflagged.before) / perConnection(unflagged)),
        ],
      ],
      notes: [
        `${opts.publishes} publishes; the push frame carries the group's signed envelope. The devices run in two load-generator processes on the same 2 cores as the server, so they are made cheap: every ${verifyEvery}th device (and the first to receive each version) parses the frame and verifies its ES256 signature against the key it pinned, as the extension does; every other device records the frame's arrival and checks its bytes equal the first device's verified frame (a different frame is verified in full). The verified figures are from that sample; the frame figures from every device.`,
        'Latency is measured from just before the publish request to the moment each device holds the frame, or the verified new version.',
        `The server runs as \`npm start\` runs it: node ${flag} dist/server.mjs (the bundle; no tsx loader). It is restarted after enrollment (devices are in the database, none in memory), so its memory is that of a server whose fleet reconnects. RSS is the server process's own (its /metrics), not the device simulators'; before any device connects it is mostly the runtime: Node, its binary's pages and the loaded modules.`,
        `The 'without' rows restart the same server on the same database without ${flag} and connect the same devices again (no publish): V8 then lets the young generation grow to 16 MB per semi-space while thousands of sockets open, and keeps it, and grows the old generation more freely.`,
        'This machine caps a process at 20,000 open files, so the 20,000-connection figure is extrapolated from the measured per-connection memory.',
      ],
    };
  });
}

if (isMain(import.meta.url)) {
  printReport(await runPushBench(numberArgs({ devices: 10_000, publishes: 3, verifyEvery: 50 })));
}
