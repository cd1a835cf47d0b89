/**
 * `npm run bench`: every benchmark in its quick mode (a few minutes on 2 cores), printed
 * and written to bench/README.md. Each benchmark also runs alone with larger sizes.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runAccessBench } from './access/access.ts';
import { runAccessRequestBench } from './access-request/access-request.ts';
import { runDeviceProofBench } from './crypto/device-proof.ts';
import { runVerifyBench } from './crypto/verify.ts';
import { runDeltaBench } from './delta/delta.ts';
import { runDetectBench } from './detect/detect.ts';
import { runExtensionApplyBench } from './extension-apply/extension-apply.ts';
import { runIngestBench } from './ingest/ingest.ts';
import { markdown, printReport, type BenchReport } from './lib/report.ts';
import { runPostgresBench } from './postgres/postgres.ts';
import { runPushBench } from './push/push.ts';
import { runPushDeltaBench } from './push/push-delta.ts';
import { runSiemBench } from './siem/siem-delivery.ts';
import { runSyncBench } from './sync/sync.ts';
import { runUrlMatchBench } from './url-match/url-match.ts';

const started = performance.now();
const reports: BenchReport[] = [];
const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.includes(name);

async function step(name: string, run: () => Promise<BenchReport>) {
  if (!want(name)) return;
  const report = await run();
  printReport(report);
  reports.push(report);
}

await step('url-match', async () => {
  const figures = await runUrlMatchBench({ filters: 1_000_000, urls: 200_000 });
  return {
    title: 'URL engine at 1,000,000 filters',
    command: 'node --expose-gc --import tsx bench/url-match/url-match.ts --filters 1000000',
    rows: Object.entries(figures),
    notes: [
      'Targets: p50 ≤ 2 µs and p99 ≤ 20 µs per decision, compile ≤ 2 s, ≤ 40 bytes of index per filter.',
      'The naive scan checks every filter for each URL (what a list without an index costs), on a sample of the same URLs.',
    ],
  };
});
// About a minute: the real server and the built extension in Chromium, 1M filters.
await step('extension-apply', () => runExtensionApplyBench({ filters: 1_000_000 }));
await step('access-request', () => runAccessRequestBench({ rounds: 5 }));
// About a minute and a half: a 1M-filter publish, then a ten-entry change as a delta.
await step('delta', () => runDeltaBench({ filters: 1_000_000, changed: 10 }));
await step('sync', () => runSyncBench({ seconds: 5, connections: 50 }));
await step('ingest', () => runIngestBench({ seconds: 5, devices: 20, batch: 500 }));
await step('push', () => runPushBench({ devices: 10_000, publishes: 3 }));
// About a minute: 10,000 devices, a 1M-filter policy published in parts, then a delta each.
await step('push-delta', () =>
  runPushDeltaBench({ devices: 10_000, filters: 1_000_000, changed: 10 }),
);
await step('verify', () => runVerifyBench({ iterations: 3000 }));
await step('device-proof', () => runDeviceProofBench({ iterations: 2000 }));
await step('detect', () => runDetectBench({ megabytes: 1, runs: 20 }));
await step('access', () => runAccessBench({ calls: 20_000 }));
await step('postgres', () => runPostgresBench({ seconds: 5, devices: 1000 }));
await step('siem', () => runSiemBench({ events: 20_000 }));

const minutes = (performance.now() - started) / 60_000;
if (only.length === 0) {
  writeFileSync(
    resolve(import.meta.dirname, 'README.md'),
    markdown(reports, { command: 'npm run bench', minutes }),
  );
  console.log(`\nwrote bench/README.md (${minutes.toFixed(1)} min)`);
}
