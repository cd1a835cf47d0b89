/**
 * Scale-out on PostgreSQL: policy sync (304 path) and durable audit ingest with one and
 * with two server instances on one database, and the propagation of a publish on
 * instance A to 1,000 devices connected half to A and half to B. Both instances, the
 * database and the load generators share this machine's 2 cores, so the two-instance
 * figures show correctness under concurrency more than added capacity.
 *
 *   node --import tsx bench/postgres/postgres.ts [--seconds 5] [--devices 1000]
 */
import { startPostgres } from '../../test/helpers/postgres.ts';
import type { TestServer } from '../../test/helpers/start-server.ts';
import { drive } from '../ingest/ingest.ts';
import { isMain, numberArgs } from '../lib/args.ts';
import { startFleet } from '../lib/fleet.ts';
import { load } from '../lib/load.ts';
import { fmt, percentile, printReport, type BenchReport } from '../lib/report.ts';
import { measurePropagation } from '../push/propagation.ts';

async function sync304(bases: string[], credential: string, seconds: number) {
  const url = (b: string) => `${b}/api/v1/device/policy`;
  const auth = { authorization: `Bearer ${credential}` };
  const etag = (await fetch(url(bases[0]!), { headers: auth })).headers.get('etag')!;
  const headers = { ...auth, 'if-none-match': etag };
  // A warm-up first: a cold instance's first seconds (JIT) are not its 304 path.
  await Promise.all(bases.map((b) => load({ url: url(b), seconds: 1, connections: 10, headers })));
  const runs = await Promise.all(
    bases.map((b) =>
      load({
        url: url(b),
        seconds,
        connections: Math.ceil(50 / bases.length),
        headers,
      }),
    ),
  );
  return { rps: runs.reduce((n, r) => n + r.rps, 0), p99: Math.max(...runs.map((r) => r.p99)) };
}

export async function runPostgresBench(opts: {
  seconds: number;
  devices: number;
}): Promise<BenchReport> {
  // The same 304 path on SQLite in this run, the figure PostgreSQL's is held against.
  const sqlite = await startFleet();
  let sqlite304: { rps: number; p99: number };
  try {
    sqlite304 = await sync304([sqlite.server.url], (await sqlite.enroll(1))[0]!, opts.seconds);
  } finally {
    await sqlite.server.stop();
  }
  const pg = await startPostgres();
  const extra: TestServer[] = [];
  try {
    const fleet = await startFleet({ env: { DATABASE_URL: await pg.createDatabase() } });
    try {
      const credentials = await fleet.enroll(Math.max(opts.devices, 20), 32);
      const a = fleet.server.url;
      const one304 = await sync304([a], credentials[0]!, opts.seconds);
      const oneIngest = await drive(
        [`${a}/api/v1/device/audit`],
        credentials.slice(0, 20),
        500,
        opts.seconds,
      );

      const b = await fleet.addInstance();
      extra.push(b);
      const two304 = await sync304([a, b.url], credentials[0]!, opts.seconds);
      const twoIngest = await drive(
        [`${a}/api/v1/device/audit`, `${b.url}/api/v1/device/audit`],
        credentials.slice(0, 20),
        500,
        opts.seconds,
      );
      const chain = (await (await fleet.admin.get('/api/v1/audit/verify')).json()) as {
        ok: boolean;
        checked: number;
      };

      const propagation = await measurePropagation({
        fleet,
        bases: [a, b.url],
        credentials: credentials.slice(0, opts.devices),
        publishes: 3,
      });
      return {
        title: 'Scale-out on PostgreSQL',
        command: `node --import tsx bench/postgres/postgres.ts --seconds ${opts.seconds} --devices ${opts.devices}`,
        rows: [
          ['sync 304, one instance: req/s', fmt.int(one304.rps)],
          ['sync 304, one instance on SQLite (same run): req/s', fmt.int(sqlite304.rps)],
          ['sync 304: PostgreSQL ÷ SQLite (goal ≥ 0.5×)', fmt.ratio(one304.rps / sqlite304.rps)],
          ['sync 304, two instances: req/s (sum)', fmt.int(two304.rps)],
          ['sync 304: two ÷ one', fmt.ratio(two304.rps / one304.rps)],
          [
            'ingest (500-event batches), one instance: events/s',
            fmt.int(oneIngest.eventsPerSecond),
          ],
          ['ingest, one instance: ack p99', fmt.ms(oneIngest.p99)],
          ['ingest, two instances: events/s (sum)', fmt.int(twoIngest.eventsPerSecond)],
          ['ingest, two instances: ack p99', fmt.ms(twoIngest.p99)],
          ['ingest: two ÷ one', fmt.ratio(twoIngest.eventsPerSecond / oneIngest.eventsPerSecond)],
          [
            'one audit chain after both instances ingested',
            `${chain.ok ? 'verified' : 'BROKEN'} (${fmt.int(chain.checked)} rows)`,
          ],
          [
            `publish on A → ${fmt.int(propagation.connected)} devices on A and B: p50`,
            fmt.ms(percentile(propagation.latencies, 50)),
          ],
          ['… p99', fmt.ms(percentile(propagation.latencies, 99))],
          ['… max', fmt.ms(Math.max(...propagation.latencies))],
        ],
        notes: [
          'PostgreSQL 15 from Debian, a throwaway cluster with fsync off (the test helper), so commits cost less than on a real disk.',
          'Everything (PostgreSQL, both instances, autocannon and the device simulators) shares the same 2 cores: a second instance cannot add CPU here, so the ratio shows the cost of coordination, not the gain a second machine would bring.',
          'Sync answers active devices from the in-memory credential index, so a 304 reads PostgreSQL once a minute per device (with the lastSeenAt write), not on every poll.',
          'Audit appends are serialized across instances by an advisory lock (one chain), so ingest is bounded by one transaction at a time whatever the instance count.',
        ],
      };
    } finally {
      await fleet.server.stop();
    }
  } finally {
    for (const s of extra) await s.stop();
    await pg.stop();
  }
}

if (isMain(import.meta.url)) {
  printReport(await runPostgresBench(numberArgs({ seconds: 5, devices: 1000 })));
}
