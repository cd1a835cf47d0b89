/**
 * URL filter engine benchmark: index compile time and memory, decision latency, a naive
 * linear scan for comparison, and the DNR compile — at up to 1,000,000 filters.
 *
 *   node --expose-gc --import tsx bench/url-match/url-match.ts --filters 1000000 [--urls 200000]
 *
 * Figures are for comparing runs on one machine (2 shared cores here), not pass/fail.
 */
import { loadavg } from 'node:os';
import { isMain, numberArgs } from '../lib/args.ts';
import { buildUrlMatcher } from '../../core/policy/url-filter/url-matcher.ts';
import { compileDnr } from '../../core/policy/compile-dnr.ts';
import { parseUrlFilter } from '../../core/policy/url-filter/parse-url-filter.ts';
import { generateFilters } from './generate-filters.ts';
import { buildNaiveScan } from './naive-scan.ts';

const gc = (globalThis as { gc?: () => void }).gc;

/** JS heap and ArrayBuffer backing stores (typed arrays live outside the JS heap), after full GCs. */
function memory(): { heap: number; buffers: number } {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, buffers: m.arrayBuffers };
}

const ms = (from: bigint): number => Number(process.hrtime.bigint() - from) / 1e6;

/** CPU time (user + system) of this process since `from`, in ms: less sensitive to other load. */
function cpuMsSince(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

export async function runUrlMatchBench(opts: {
  filters: number;
  urls: number;
}): Promise<Record<string, number | string>> {
  const out: Record<string, number | string> = {};
  const g = generateFilters(opts.filters, opts.urls, 42);
  out['filters (blocklist / allowlist)'] = `${g.blocklist.length} / ${g.allowlist.length}`;

  // Compile: wall time of buildUrlMatcher; memory = Δ(heapUsed + arrayBuffers) after full GCs.
  out['load average at start (2 cores here)'] = loadavg()[0]?.toFixed(1) ?? '?';
  const before = memory();
  let t = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const matcher = buildUrlMatcher(g);
  const cpuMs = cpuMsSince(cpu);
  out['matcher compile (ms wall / ms CPU)'] = `${Math.round(ms(t))} / ${Math.round(cpuMs)}`;
  const after = memory();
  // Index memory: Δ ArrayBuffers (the typed arrays) + Δ JS heap, floored at 0 (the heap can
  // shrink while building, as V8 compacts the generator's garbage).
  const buffers = (after.buffers - before.buffers) / opts.filters;
  const heap = (after.heap - before.heap) / opts.filters;
  out['matcher index bytes / filter (typed arrays + heap Δ)'] = gc
    ? `${(buffers + Math.max(0, heap)).toFixed(1)} (${buffers.toFixed(1)} + ${heap.toFixed(1)})`
    : 'n/a (run node with --expose-gc)';

  // Warm-up, then throughput over the whole stream.
  for (let i = 0; i < Math.min(20_000, g.urls.length); i++) matcher.decide(g.urls[i] as string);
  let blocked = 0;
  t = process.hrtime.bigint();
  for (const url of g.urls) if (matcher.decide(url).verdict === 'block') blocked++;
  const total = ms(t);
  out['decisions / s'] = Math.round(g.urls.length / (total / 1000));
  out['blocked share of URLs'] = `${((100 * blocked) / g.urls.length).toFixed(1)} %`;

  // Latency: each decision timed with hrtime.bigint, minus the timer's own cost.
  const lat = new Float64Array(g.urls.length);
  let overhead = Infinity;
  for (let i = 0; i < 1000; i++) {
    const a = process.hrtime.bigint();
    overhead = Math.min(overhead, Number(process.hrtime.bigint() - a));
  }
  g.urls.forEach((url, i) => {
    const a = process.hrtime.bigint();
    matcher.decide(url);
    lat[i] = Math.max(0, Number(process.hrtime.bigint() - a) - overhead) / 1000;
  });
  lat.sort();
  out['p50 per decision (µs)'] = Number(percentile(lat, 0.5).toFixed(2));
  out['p99 per decision (µs)'] = Number(percentile(lat, 0.99).toFixed(2));
  // Batches of 64: the mean per decision of each batch, immune to timer resolution.
  const batch = 64;
  const means: number[] = [];
  for (let i = 0; i + batch <= g.urls.length; i += batch) {
    const a = process.hrtime.bigint();
    for (let j = i; j < i + batch; j++) matcher.decide(g.urls[j] as string);
    means.push(Number(process.hrtime.bigint() - a) / batch / 1000);
  }
  const sortedMeans = Float64Array.from(means).sort();
  out['p50 / p99 of 64-decision batch means (µs)'] =
    `${percentile(sortedMeans, 0.5).toFixed(2)} / ${percentile(sortedMeans, 0.99).toFixed(2)}`;

  // Naive scan of the same filters (pre-parsed once), on a sample, extrapolated per decision.
  t = process.hrtime.bigint();
  const naive = buildNaiveScan(g);
  out['naive: parse all filters once (ms)'] = Math.round(ms(t));
  const sample = g.urls
    .filter((_, i) => i % Math.max(1, Math.floor(g.urls.length / 50)) === 0)
    .slice(0, 50);
  let mismatches = 0;
  t = process.hrtime.bigint();
  for (const url of sample) {
    if (JSON.stringify(naive.decide(url)) !== JSON.stringify(matcher.decide(url))) mismatches++;
  }
  const naivePer = (ms(t) * 1000) / sample.length;
  const indexPer = (total * 1000) / g.urls.length;
  out[`naive scan per decision (µs, ${sample.length} URLs)`] = Math.round(naivePer);
  out['naive ÷ index (mean per decision)'] = Math.round(naivePer / indexPer);
  out['naive vs index disagreements'] = mismatches;

  // DNR compile of the same lists.
  t = process.hrtime.bigint();
  const dnrCpu = process.cpuUsage();
  const dnr = compileDnr({
    blocklist: g.blocklist,
    allowlist: g.allowlist,
    blockedPagePath: '/blocked.html',
  });
  const dnrCpuMs = cpuMsSince(dnrCpu);
  out['DNR compile (ms wall / ms CPU)'] = `${Math.round(ms(t))} / ${Math.round(dnrCpuMs)}`;
  const json = JSON.stringify(dnr.rules);
  out['DNR rules (regex / unsafe)'] =
    `${dnr.stats.ruleCount} (${dnr.stats.regexRuleCount} / ${dnr.stats.unsafeRuleCount})`;
  out['DNR hosts packed in requestDomains'] = dnr.stats.packedHosts;
  out['DNR uncovered filters (navigation check)'] = dnr.uncovered.length;
  const e = dnr.stats.enforcement;
  out['filters enforced in main + sub frames: by DNR / by the navigation check'] =
    `${e.dnrAllFrames} / ${e.navigationCheck}`;
  out['filters unenforced in any frame (javascript:-only, no frame loads)'] =
    `${e.unenforced} (${e.notFrameNavigations})`;
  out['DNR rules JSON (MB)'] = Number((json.length / 1e6).toFixed(1));
  out['DNR JSON bytes / filter'] = Number((json.length / opts.filters).toFixed(1));

  // A hostile filter: 20,000 spaces inside a data: filter (the trim used to be quadratic).
  const spaces = 'data:' + ' '.repeat(20_000) + 'x';
  t = process.hrtime.bigint();
  for (let i = 0; i < 10; i++) parseUrlFilter(spaces);
  out['parse a data: filter of 20k spaces (ms)'] = Number((ms(t) / 10).toFixed(2));
  return out;
}

if (isMain(import.meta.url)) {
  const { filters, urls } = numberArgs({ filters: 1_000_000, urls: 200_000 });
  const result = await runUrlMatchBench({ filters, urls });
  const width = Math.max(...Object.keys(result).map((k) => k.length));
  console.log(`URL match — ${filters} filters, ${urls} URLs, node ${process.version}`);
  for (const [k, v] of Object.entries(result)) console.log(`${k.padEnd(width)}  ${v}`);
}
