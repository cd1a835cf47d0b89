/**
 * Policy sync throughput: the device policy endpoint on its 304 path (nothing changed,
 * the common case) and its 200 path (a ~5 KB signed policy), against a bare node:http
 * server answering a fixed 304 in the same run.
 *
 *   node --import tsx bench/sync/sync.ts [--seconds 10] [--connections 50]
 */
import type autocannon from 'autocannon';
import { startFleet } from '../lib/fleet.ts';
import { load, type LoadResult } from '../lib/load.ts';
import { startRawNode304 } from '../lib/raw-node-server.ts';
import { fmt, printReport, type BenchReport } from '../lib/report.ts';
import { isMain, numberArgs } from '../lib/args.ts';

/** Equal-length runs as one: mean requests/s, the worst p99, summed statuses. */
function combine(runs: LoadResult[]): LoadResult {
  const statuses: Record<string, number> = {};
  for (const r of runs) {
    for (const [k, n] of Object.entries(r.statuses)) statuses[k] = (statuses[k] ?? 0) + n;
  }
  return {
    rps: runs.reduce((n, r) => n + r.rps, 0) / runs.length,
    p50: Math.max(...runs.map((r) => r.p50)),
    p99: Math.max(...runs.map((r) => r.p99)),
    statuses,
    errors: runs.reduce((n, r) => n + r.errors, 0),
  };
}

export async function runSyncBench(opts: {
  seconds: number;
  connections: number;
}): Promise<BenchReport> {
  const fleet = await startFleet();
  const raw = await startRawNode304();
  try {
    // Many devices, not one credential repeated: each request authenticates a different
    // device, as a real fleet's polls do.
    const credentials = await fleet.enroll(200);
    const url = `${fleet.server.url}/api/v1/device/policy`;
    const auth = { authorization: `Bearer ${credentials[0]}` };
    const first = await fetch(url, { headers: auth });
    const etag = first.headers.get('etag')!;
    const size = (await first.text()).length;
    let next = 0;
    const rotating = (headers: Record<string, string>): autocannon.Request[] => [
      {
        method: 'GET',
        setupRequest: (req: autocannon.Request) => ({
          ...req,
          headers: {
            ...headers,
            authorization: `Bearer ${credentials[next++ % credentials.length]}`,
          },
        }),
      },
    ];

    // The baseline gets the very requests the 304 path gets (same headers, same rotation),
    // so the load generator — on the same cores — spends the same on each and the ratio
    // compares the servers alone. The two alternate in short rounds after a warm-up, so a
    // burst of other load on the shared machine falls on both rather than on one.
    const conditional = rotating({ 'if-none-match': etag });
    const rounds = 4;
    const roundSeconds = Math.max(1, Math.round(opts.seconds / rounds));
    await load({ url, seconds: 1, connections: opts.connections, requests: conditional });
    const baselineRuns: LoadResult[] = [];
    const notModifiedRuns: LoadResult[] = [];
    for (let i = 0; i < rounds; i++) {
      for (const [target, runs] of [
        [raw.url, baselineRuns],
        [url, notModifiedRuns],
      ] as const) {
        runs.push(
          await load({
            url: target,
            seconds: roundSeconds,
            connections: opts.connections,
            requests: conditional,
          }),
        );
      }
    }
    const baseline = combine(baselineRuns);
    const notModified = combine(notModifiedRuns);
    const full = await load({
      url,
      seconds: opts.seconds,
      connections: opts.connections,
      requests: rotating({}),
    });
    const statuses = (r: typeof full) =>
      Object.entries(r.statuses)
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ');
    return {
      title: 'Policy sync throughput',
      command: `node --import tsx bench/sync/sync.ts --seconds ${opts.seconds} --connections ${opts.connections}`,
      rows: [
        ['raw node:http fixed 304: req/s', fmt.int(baseline.rps)],
        ['raw node:http: p99 latency', fmt.ms(baseline.p99)],
        ['GET /device/policy 304: req/s', fmt.int(notModified.rps)],
        ['GET /device/policy 304: p99 latency', fmt.ms(notModified.p99)],
        ['GET /device/policy 304: statuses', statuses(notModified)],
        ['304 path ÷ raw node (goal ≥ 0.8×)', fmt.ratio(notModified.rps / baseline.rps)],
        [`GET /device/policy 200 (${(size / 1024).toFixed(1)} KB): req/s`, fmt.int(full.rps)],
        ['GET /device/policy 200: p99 latency', fmt.ms(full.p99)],
        ['200 path ÷ raw node', fmt.ratio(full.rps / baseline.rps)],
      ],
      notes: [
        `autocannon with ${opts.connections} connections in the benchmark process; each server in its own process, both on the same 2 cores. Baseline and 304 path alternate in ${rounds} rounds of ${roundSeconds} s after a 1 s warm-up; p99 is the worst round's.`,
        'Requests rotate over 200 enrolled devices; the raw baseline gets the same requests. The 304 path is answered on the Node request before Hono: SHA-256 of the credential, its active device from the in-memory credential index (a database read once a minute per device, with the lastSeenAt write; a revoke, wipe or move drops the entry at once on its instance and on the others as the relay delivers it, and nothing is held while the relay is down), and the ETag of its group envelope (cached in memory).',
      ],
    };
  } finally {
    await raw.stop();
    await fleet.server.stop();
  }
}

if (isMain(import.meta.url)) {
  printReport(await runSyncBench(numberArgs({ seconds: 10, connections: 50 })));
}
