/**
 * Push of a change to a large policy: N enrolled devices hold the push channel (in two
 * load-generator processes, bench/push/push-client.ts) and the version of a policy of
 * `--filters` generated filters; the admin changes `--changed` entries in place and
 * publishes. The envelope is over 64 KiB, so the frame carries the signed delta from the
 * version before instead, which the devices holding that version take; a sample verifies
 * it as the extension does, the others compare its bytes with the first verified one. A
 * second change is then published with every device fetching its delta over HTTP: the
 * baseline, in the same run.
 *
 *   node --import tsx bench/push/push-delta.ts [--devices 10000] [--filters 1000000] [--changed 10] [--verify-every 50]
 *
 * The server runs as `npm start` runs it (dist/server.mjs with the V8 flags of
 * server/bundle.ts), and the policy goes in through the admin API.
 */
import { DELTA_MEDIA_TYPE } from '../../contract/media-types.ts';
import { isMain, numberArgs } from '../lib/args.ts';
import type { Fleet } from '../lib/fleet.ts';
import { generatedPolicy } from '../lib/generated-policy.ts';
import { fmt, percentile, printReport, type BenchReport } from '../lib/report.ts';
import { measurePropagation } from './propagation.ts';
import { withPushFleet } from './push-fleet.ts';

/** Filters per policy: a policy's HTTP body is limited to 4 MB (server/routes/policy-routes.ts). */
const FILTERS_PER_POLICY = 150_000;
const DELTA_GOAL_BYTES = 10 * 1024;

interface Part {
  id: string;
  document: { name: string; urlBlocklist: string[]; urlAllowlist: string[] };
}

/**
 * Creates and publishes the generated filters as organisation-wide policies of at most
 * FILTERS_PER_POLICY filters, named so that the server's merge (by name) keeps their order:
 * the devices' effective policy is the generated list. Returns them in that order.
 */
async function publishInParts(fleet: Fleet, filters: number): Promise<Part[]> {
  const { urlBlocklist, urlAllowlist } = generatedPolicy(filters);
  const count = Math.max(
    1,
    Math.ceil((urlBlocklist.length + urlAllowlist.length) / FILTERS_PER_POLICY),
  );
  const slice = (list: string[], k: number) =>
    list.slice(Math.floor((k * list.length) / count), Math.floor(((k + 1) * list.length) / count));
  const parts: Part[] = [];
  for (let k = 0; k < count; k++) {
    const document = {
      name: `filters ${String(k + 1).padStart(3, '0')} of ${count}`,
      urlBlocklist: slice(urlBlocklist, k),
      urlAllowlist: slice(urlAllowlist, k),
    };
    const { policy } = await fleet.admin.json<{ policy: { id: string } }>(
      'POST',
      '/api/v1/policies',
      { document },
    );
    await fleet.admin.json('POST', `/api/v1/policies/${policy.id}/publish`);
    parts.push({ id: policy.id, document });
  }
  return parts;
}

/** Replaces `changed` blocklist entries of `part` in place, spread over it, as a saved draft. */
async function saveChange(fleet: Fleet, part: Part, changed: number, tag: string): Promise<void> {
  const blocklist = [...part.document.urlBlocklist];
  const step = Math.floor(blocklist.length / (changed + 1));
  for (let i = 1; i <= changed; i++) blocklist[i * step] = `changed-${tag}-${i}.delta.bench`;
  await fleet.admin.json('PUT', `/api/v1/policies/${part.id}`, {
    document: { ...part.document, urlBlocklist: blocklist },
  });
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const policies = (n: number) => (n === 1 ? 'policy' : 'policies');

export async function runPushDeltaBench(opts: {
  devices: number;
  filters: number;
  changed: number;
  verifyEvery?: number;
}): Promise<BenchReport> {
  const verifyEvery = opts.verifyEvery ?? 50;
  return withPushFleet(opts.devices, async (fleet, credentials, enrollSeconds) => {
    const started = performance.now();
    const parts = await publishInParts(fleet, opts.filters);
    const basePublishMs = performance.now() - started;
    // Two publishes of a change, each measured over the whole fleet: as the product runs
    // (the frame carries the delta) and the baseline of every device fetching it.
    const propagate = async (part: Part, fetchAll: boolean) => {
      await saveChange(fleet, part, opts.changed, fetchAll ? 'fetched' : 'pushed');
      return measurePropagation({
        fleet,
        // Two load-generator processes against the one server, as bench/push/push.ts.
        bases: [fleet.server.url, fleet.server.url],
        credentials,
        publishes: 1,
        verifyEvery,
        delta: true,
        fetchAll,
        publish: async () => {
          await fleet.admin.json('POST', `/api/v1/policies/${part.id}/publish`);
          return { respondedAt: performance.timeOrigin + performance.now() };
        },
      });
    };
    const run = await propagate(parts[Math.floor(parts.length / 2)]!, false);
    const rss = await fleet.metric('process_resident_memory_bytes');
    const baseline = await propagate(parts[Math.floor(parts.length / 2) + 1] ?? parts[0]!, true);
    const { connected, latencies, pushed, fetched, publishResponse, afterResponse } = run;
    const fanOutMs = Math.max(...fetched) - Math.min(...pushed);
    const deltas = run.deltas!;
    const fetchedAll = baseline.deltas!;
    const baselineFanOutMs = Math.max(...baseline.fetched) - Math.min(...baseline.pushed);
    const blocked = parts.reduce((n, p) => n + p.document.urlBlocklist.length, 0);
    const allowed = parts.reduce((n, p) => n + p.document.urlAllowlist.length, 0);
    const p50p99 = (values: number[]) =>
      `${fmt.ms(percentile(values, 50))} / ${fmt.ms(percentile(values, 99))}`;
    const p50p99max = (values: number[]) => `${p50p99(values)} / ${fmt.ms(Math.max(...values))}`;

    return {
      title: `Push of a ${fmt.int(opts.changed)}-entry change to a ${fmt.int(opts.filters)}-filter policy, as deltas`,
      command: `node --import tsx bench/push/push-delta.ts --devices ${opts.devices} --filters ${opts.filters} --changed ${opts.changed} --verify-every ${verifyEvery}`,
      rows: [
        ['devices connected (real enrolled credentials)', fmt.int(connected)],
        [
          `filters (blocklist / allowlist), in ${parts.length} org-wide ${policies(parts.length)}`,
          `${fmt.int(blocked)} / ${fmt.int(allowed)}`,
        ],
        ['entries changed (each replaced in place)', opts.changed],
        ['enrollment of the fleet (32 at a time)', `${enrollSeconds.toFixed(1)} s`],
        [
          `publishing the ${parts.length} ${policies(parts.length)} of the base version`,
          seconds(basePublishMs),
        ],
        [
          `devices holding v${deltas.heldVersion} before the change (304 for its ETag, or fetched)`,
          fmt.int(deltas.holding),
        ],
        ['full envelope of the base version (bytes)', fmt.int(deltas.fullBytes)],
        [`delta per device (bytes, goal ≤ ${fmt.int(DELTA_GOAL_BYTES)})`, fmt.int(deltas.bytes)],
        [
          'deltas taken from the push frame / fetched / failed or not a delta',
          `${fmt.int(deltas.carried)} / ${fmt.int(deltas.answered)} / ${fmt.int(deltas.failed)}`,
        ],
        ['devices that verified the delta themselves', fmt.int(deltas.verified)],
        [
          'first frame → last device holding the delta (rate over the whole fleet)',
          `${fmt.ms(fanOutMs)} (${fmt.int((deltas.carried + deltas.answered) / (fanOutMs / 1000))}/s)`,
        ],
        [
          'publish request → response (the server signs the new envelope and delta)',
          fmt.ms(publishResponse[0]!),
        ],
        [
          `publish RESPONSE → push frame at every device (${fmt.int(pushed.length)}): p50 / p99`,
          p50p99(afterResponse.pushed),
        ],
        [
          `publish RESPONSE → every device holding the verified delta (${fmt.int(latencies.length)}): p50 / p99 / max (goal p99 ≤ 1 s)`,
          p50p99max(afterResponse.latencies),
        ],
        ['publish REQUEST → push frame at every device: p50 / p99', p50p99(pushed)],
        [
          'publish REQUEST → every device holding the verified delta: p50 / p99 / max (goal p99 ≤ 1 s)',
          p50p99max(latencies),
        ],
        [
          'verified delta applied to the held policy and its SHA-256 checked (per generator)',
          deltas.applyMs.map((ms) => fmt.ms(ms)).join(' / '),
        ],
        ['server RSS after the fan-out', fmt.mb(rss)],
        [
          'baseline, every device fetching the delta: fetched / failed or not a delta',
          `${fmt.int(fetchedAll.answered)} / ${fmt.int(fetchedAll.failed)}`,
        ],
        [
          'baseline: first frame → last delta in hand (fetch rate over the whole fleet)',
          `${fmt.ms(baselineFanOutMs)} (${fmt.int(fetchedAll.answered / (baselineFanOutMs / 1000))}/s)`,
        ],
        [
          'baseline: publish RESPONSE → every device holding the verified delta: p50 / p99 / max',
          p50p99max(baseline.afterResponse.latencies),
        ],
        [
          'first frame → last device holding the verified delta: baseline ÷ delta in the frame',
          `${(baselineFanOutMs / fanOutMs).toFixed(2)}×`,
        ],
      ],
      notes: [
        `The filters are bench/lib/generated-policy.ts's, published as ${parts.length} organisation-wide ${policies(parts.length)} of at most ${fmt.int(FILTERS_PER_POLICY)} filters through the admin API (a policy's body is limited to 4 MB); the server merges them, in name order, into the one signed envelope of the group, beside the fleet's own small policy. The change edits ${opts.changed} entries spread over one of them (its draft saved before the devices connect) and publishes it: the server signs the whole new envelope and the delta from the previous one.`,
        'Simulated, to fit this machine: the devices do not each download the base envelope (10,000 × 19 MB). In each of the two generators the first device fetches it and verifies it; every other device sends its ETag in If-None-Match and gets a 304, the server telling that device it holds the current version. The server answers a delta from the ETag the device names, so that is all it needs from them.',
        `At the publish every device gets the push frame, which carries the signed delta from the previous version (the envelope itself is over 64 KiB); a device whose held ETag is the frame's baseEtag takes it, as the extension's PolicySync does, and any other would fetch GET /api/v1/device/policy with Accept: ${DELTA_MEDIA_TYPE} and its ETag. Every ${verifyEvery}th device (and the first of each generator) checks the deltas as PolicySync does: ES256 signature against the pinned key (extension/background/verify-delta.ts), its own group, continuing from the version held, reaching the pushed one; every other device compares the bytes with the first verified one (a different frame or body is verified in full). "Holding the verified delta" is that moment, for every device.`,
        `The baseline rows publish a second change (another of the policies) with every device fetching its delta over HTTP even though the frame carries it, over a keep-alive pool of 64 sockets per generator: what a publish cost before the delta travelled in the frame, measured in the same run.`,
        "Then, outside any device's time, each generator rebuilds the new policy from the verified delta (core applyPolicyDelta) and checks the signed SHA-256: what every device of that generator would do. Enforcing it (the matcher patched, DNR rules diffed and installed) is the extension's code path measured in bench/delta/delta.ts (the row 'extension code path: delta received → applied') and Chromium's rule update in bench/extension-apply.",
        'RESPONSE figures count from the publish response reaching the admin; REQUEST figures from just before the publish request, so they include the seconds the server spends signing a large policy. The server pushes as soon as the new version is stored, before its response, so a frame may precede the response (a negative RESPONSE figure).',
      ],
    };
  });
}

if (isMain(import.meta.url)) {
  printReport(
    await runPushDeltaBench(
      numberArgs({ devices: 10_000, filters: 1_000_000, changed: 10, verifyEvery: 50 }),
    ),
  );
}
