/**
 * Durable audit ingest: devices posting batches of realistic events concurrently; an
 * event counts once the server acknowledged it (after its commit). The same rows go
 * through bare better-sqlite3 inserts in the same run as the baseline.
 *
 * Saturated throughput says what the server can take; ack latency is measured apart, at an
 * offered load below saturation (open loop: requests leave on a schedule, and latency
 * counts from the scheduled time, so a slow ack delays — and is charged to — what follows).
 *
 *   node --import tsx bench/ingest/ingest.ts [--seconds 10] [--devices 20] [--batch 500]
 *     [--offered 10000] [--offered-batch 100] [--profile server.cpuprofile] [--ids v4]
 *
 * `--profile` records a V8 CPU profile of the server and adds where its time went during
 * the saturated run, by phase (bench/ingest/profile-phases.ts). `--ids v4` sends
 * random UUIDv4 event ids (older extensions) instead of the extension's time-ordered v7 ones.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { argString, isMain, numberArgs } from '../lib/args.ts';
import { startFleet } from '../lib/fleet.ts';
import { fmt, percentile, printReport, type BenchReport } from '../lib/report.ts';
import { auditEvents, type IdKind } from './audit-events.ts';
import { bareSqliteRowsPerSecond } from './bare-sqlite-baseline.ts';
import { profilePhases } from './profile-phases.ts';

const PRELOAD = fileURLToPath(new URL('./cpu-profile-preload.mjs', import.meta.url));

/** CPU time (user + system, ms) a process has used so far; NaN where /proc is not there. */
function processCpuMs(pid: number | undefined): number {
  try {
    // Fields after the command name: utime and stime are the 12th and 13th, in ticks of 10 ms.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);

export interface Run {
  eventsPerSecond: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  failures: number;
}

/** What one run's devices saw: ack latencies, events acknowledged, refused batches. */
class Tally {
  readonly latencies: number[] = [];
  events = 0;
  failures = 0;
  readonly started = performance.now();

  /** Posts one batch and counts it; latency runs from `since` (send time, or the schedule). */
  async post(url: string, credential: string, body: string, since: number): Promise<void> {
    const res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json' },
      body,
    });
    const json = (await res.json()) as { accepted?: number };
    this.latencies.push(performance.now() - since);
    if (res.ok) this.events += json.accepted ?? 0;
    else this.failures++;
  }

  run(): Run {
    const elapsed = (performance.now() - this.started) / 1000;
    return {
      eventsPerSecond: this.events / elapsed,
      requestsPerSecond: this.latencies.length / elapsed,
      p50: percentile(this.latencies, 50),
      p99: percentile(this.latencies, 99),
      failures: this.failures,
    };
  }
}

/** Devices post batches for `seconds`; the i-th device posts to `urls[i % urls.length]`. */
export async function drive(
  urls: string[],
  credentials: string[],
  batch: number,
  seconds: number,
  ids: IdKind = 'v7',
): Promise<Run> {
  const tally = new Tally();
  const deadline = tally.started + seconds * 1000;
  await Promise.all(
    credentials.map(async (credential, d) => {
      let seed = d;
      while (performance.now() < deadline) {
        const body = JSON.stringify({ events: auditEvents(batch, seed++, ids) });
        await tally.post(urls[d % urls.length]!, credential, body, performance.now());
      }
    }),
  );
  return tally.run();
}

/**
 * Devices post `batch`-event batches so that together they offer `eventsPerSecond`, each
 * on its own schedule (staggered); a device whose ack is late sends its next batch as soon
 * as the ack comes, and the wait is counted in that batch's latency.
 */
export async function pace(
  url: string,
  credentials: string[],
  batch: number,
  eventsPerSecond: number,
  seconds: number,
  ids: IdKind = 'v7',
): Promise<Run> {
  const tally = new Tally();
  const interval = (credentials.length * batch * 1000) / eventsPerSecond;
  const deadline = tally.started + seconds * 1000;
  await Promise.all(
    credentials.map(async (credential, d) => {
      let seed = 1_000_000 + d * 100_000;
      for (let k = 0; ; k++) {
        const due = tally.started + ((d / credentials.length) * interval + k * interval);
        if (due >= deadline) break;
        const body = JSON.stringify({ events: auditEvents(batch, seed++, ids) });
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        await tally.post(url, credential, body, due);
      }
    }),
  );
  return tally.run();
}

export async function runIngestBench(opts: {
  seconds: number;
  devices: number;
  batch: number;
  /** Offered load for the latency figure (events/s, below saturation) and its batch size. */
  offered?: number;
  offeredBatch?: number;
  /** Where to write a CPU profile of the server (and report its phases), if anywhere. */
  profile?: string;
  /** Event ids: time-ordered UUIDv7 as the extension sends them (default), or random v4. */
  ids?: IdKind;
}): Promise<BenchReport> {
  const { offered = 10_000, offeredBatch = 100, ids = 'v7' } = opts;
  const profile = opts.profile ? resolve(opts.profile) : undefined;
  const fleet = await startFleet(
    profile ? { env: { NODE_OPTIONS: `--import ${PRELOAD}`, INGEST_CPU_PROFILE: profile } } : {},
  );
  let report: BenchReport;
  let window = { from: 0, to: 0 };
  try {
    const credentials = await fleet.enroll(opts.devices);
    const url = `${fleet.server.url}/api/v1/device/audit`;
    const cpuBefore = processCpuMs(fleet.server.pid());
    window = { from: monotonicMicros(), to: 0 };
    const batched = await drive([url], credentials, opts.batch, opts.seconds, ids);
    window.to = monotonicMicros();
    const serverCpuMs = processCpuMs(fleet.server.pid()) - cpuBefore;
    const cpuPerEvent = (serverCpuMs * 1000) / (batched.eventsPerSecond * opts.seconds);
    const single = await drive([url], credentials, 1, opts.seconds, ids);
    const paced = await pace(url, credentials, offeredBatch, offered, opts.seconds, ids);
    const sample = Array.from(
      { length: Math.max(20, Math.ceil((batched.eventsPerSecond * opts.seconds) / opts.batch)) },
      (_, i) => auditEvents(opts.batch, i, ids),
    );
    const bare = bareSqliteRowsPerSecond(sample);
    // The bare inserts block this process for seconds: longer than the server's keep-alive
    // timeout, so the pooled sockets it closed meanwhile must be seen closed before the next
    // request picks one ("other side closed" otherwise).
    await new Promise((resolve) => setTimeout(resolve, 50));
    const chain = (await (await fleet.admin.get('/api/v1/audit/verify')).json()) as {
      ok: boolean;
      checked: number;
    };
    report = {
      title: 'Durable audit ingest',
      command: `node --import tsx bench/ingest/ingest.ts --seconds ${opts.seconds} --devices ${opts.devices} --batch ${opts.batch} --offered ${offered} --offered-batch ${offeredBatch}${ids === 'v4' ? ' --ids v4' : ''}`,
      rows: [
        [
          `${opts.batch}-event batches: events/s acknowledged (goal ≥ 50,000)`,
          fmt.int(batched.eventsPerSecond),
        ],
        [
          'saturated batches: server CPU per acknowledged event (µs, user + system)',
          cpuPerEvent.toFixed(1),
        ],
        [
          'saturated batches: ack p50 / p99 (queueing; the goal is below saturation)',
          `${fmt.ms(batched.p50)} / ${fmt.ms(batched.p99)}`,
        ],
        [
          `offered ${fmt.int(offered)} events/s in ${offeredBatch}-event batches: events/s acknowledged`,
          fmt.int(paced.eventsPerSecond),
        ],
        [
          `offered ${fmt.int(offered)} events/s: ack p50 / p99 (goal p99 ≤ 50 ms)`,
          `${fmt.ms(paced.p50)} / ${fmt.ms(paced.p99)}`,
        ],
        ['bare better-sqlite3, same rows and batches: rows/s', fmt.int(bare)],
        ['server ÷ bare inserts', fmt.ratio(batched.eventsPerSecond / bare)],
        ['1 event per request: events/s (goal ≥ 1,000)', fmt.int(single.eventsPerSecond)],
        ['1 event per request: ack p50 / p99', `${fmt.ms(single.p50)} / ${fmt.ms(single.p99)}`],
        ['failed requests', batched.failures + single.failures + paced.failures],
        [
          'chain verified after the run',
          `${chain.ok ? 'ok' : 'BROKEN'} (${fmt.int(chain.checked)} rows)`,
        ],
      ],
      notes: [
        `${opts.devices} enrolled devices posting concurrently from the benchmark process; each request is acknowledged after a synchronous=FULL WAL commit.`,
        'Each event is validated, deduplicated by id and hash-chained (SHA-256 over its RFC 8785 canonical JSON, every column) before the commit; per-device upload limits are off for the bench fleet.',
        "Server CPU per event: the server process's user + system time over the saturated run (from /proc) divided by the events it acknowledged; on shared cores it moves much less than events/s, which also counts the time the server waited for a core.",
        `Latency goal: measured apart from saturation, with the same devices offering ${fmt.int(offered)} events/s in ${offeredBatch}-event batches on a schedule (open loop; latency counts from each batch's scheduled send). The saturated runs' latencies are queueing behind the offered excess.`,
      ],
    };
  } finally {
    await fleet.server.stop();
  }
  if (profile) {
    // Written by the server as it exited.
    const { busyMs, phases } = profilePhases(profile, window);
    report.rows.push([`server profile, saturated run: busy (ms)`, fmt.int(busyMs)]);
    for (const [phase, ms] of phases) {
      report.rows.push([`  ${phase}`, `${((100 * ms) / busyMs).toFixed(1)} %`]);
    }
    report.notes!.push(
      `Profile (${profile}): samples of the server's main thread during the saturated run, each counted for the innermost frame that belongs to a phase; better-sqlite3's native work is the self time of the JS frame that called it, and the commit's fsync wait is in its phase.`,
    );
  }
  return report;
}

if (isMain(import.meta.url)) {
  printReport(
    await runIngestBench({
      ...numberArgs({ seconds: 10, devices: 20, batch: 500, offered: 10_000, offeredBatch: 100 }),
      profile: argString('--profile'),
      ids: argString('--ids') === 'v4' ? 'v4' : 'v7',
    }),
  );
}
