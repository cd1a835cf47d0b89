/**
 * Content detection on the device: every built-in detector (and one admin pattern) over
 * 1 MB of text, as one paste, drop, text file or form would be scanned. Goal: ≤ 20 ms per MB.
 */
import { buildContentScanner } from '../../core/policy/detect/detect-content.ts';
import { DETECTOR_IDS } from '../../core/policy/detect/detectors.ts';
import { isMain, numberArgs } from '../lib/args.ts';
import { printReport, type BenchReport } from '../lib/report.ts';
import { rng } from '../url-match/generate-filters.ts';

const WORDS = ['the', 'invoice', 'for', 'order', 'total', 'due', 'on', 'client', 'account', 'see'];
const PLANTED = [
  '4111 1111 1111 1111',
  'FR76 3000 6000 0112 3456 7890 189',
  '123-45-6789',
  '1 85 05 78 006 084 91',
  'jane.doe@example.com',
  'AKIAIOSFODNN7EXAMPLE',
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6y',
  'PRJ-123456',
];

/** Prose with numbers, dates, amounts and, every ~2 KB, one planted secret. */
export function sampleText(bytes: number, seed = 7): string {
  const next = rng(seed);
  const parts: string[] = [];
  let size = 0;
  while (size < bytes) {
    const r = next();
    const part =
      r < 0.001
        ? PLANTED[Math.floor(next() * PLANTED.length)]!
        : r < 0.08
          ? String(Math.floor(next() * 1e6))
          : r < 0.1
            ? `2026-${String(1 + Math.floor(next() * 12)).padStart(2, '0')}-01`
            : r < 0.12
              ? '\n'
              : WORDS[Math.floor(next() * WORDS.length)]!;
    parts.push(part);
    size += part.length + 1;
  }
  return parts.join(' ').slice(0, bytes);
}

export async function runDetectBench(opts: {
  megabytes: number;
  runs: number;
}): Promise<BenchReport> {
  const scanner = buildContentScanner([
    { detectors: [...DETECTOR_IDS], patterns: [{ id: 'prj', pattern: 'PRJ-\\d{6}' }] },
  ]);
  const builtIns = buildContentScanner([{ detectors: [...DETECTOR_IDS] }]);
  // Flattened, as a pasted string or a read file is (a sliced string reads slower).
  const text = JSON.parse(JSON.stringify(sampleText(opts.megabytes * 1_000_000))) as string;
  // The worst shape for the number detectors: nothing but card-like numbers that fail Luhn.
  const numbers = JSON.parse(
    JSON.stringify('4111 1111 1111 1112, 185057800608492; '.repeat(opts.megabytes * 27_000)),
  ) as string;
  const time = (s: typeof scanner, input = text) => {
    for (let i = 0; i < 3; i++) s.scan(input); // warm up
    const ms: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < opts.runs; i++) {
      const start = performance.now();
      const used = process.cpuUsage();
      s.scan(input);
      const { user, system } = process.cpuUsage(used);
      ms.push((performance.now() - start) / opts.megabytes);
      cpu.push((user + system) / 1000 / opts.megabytes);
    }
    const p50 = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    return { p50: p50(ms), cpu: p50(cpu) };
  };
  const all = time(scanner);
  const builtin = time(builtIns);
  const worst = time(builtIns, numbers);
  const found = scanner.scan(text);
  return {
    title: 'Content detection on the device',
    command: `node --import tsx bench/detect/detect.ts --megabytes ${opts.megabytes} --runs ${opts.runs}`,
    rows: [
      [
        `${DETECTOR_IDS.length} built-in detectors, per MB (wall p50 / CPU p50)`,
        `${builtin.p50.toFixed(1)} / ${builtin.cpu.toFixed(1)} ms`,
      ],
      [
        'built-ins + 1 admin pattern, per MB (wall p50 / CPU p50)',
        `${all.p50.toFixed(1)} / ${all.cpu.toFixed(1)} ms`,
      ],
      [
        'built-ins over 1 MB of card- and NIR-shaped numbers failing their checks (wall / CPU)',
        `${worst.p50.toFixed(1)} / ${worst.cpu.toFixed(1)} ms`,
      ],
      ['detections in the sample', Object.values(found).reduce((a, b) => a + b, 0)],
    ],
    notes: [
      'Goal: ≤ 20 ms per MB of text for the built-in detectors. One core; the content script scans pasted and dropped text, text files up to 1 MiB and form fields.',
      'CPU time leaves out the time other processes held the core (the machine is shared); wall time includes it.',
    ],
  };
}

if (isMain(import.meta.url)) {
  printReport(await runDetectBench(numberArgs({ megabytes: 1, runs: 20 })));
}
