import { cpus, totalmem } from 'node:os';

/** One benchmark's printed figures: a table of rows, plus how to read them. */
export interface BenchReport {
  title: string;
  command: string;
  rows: [string, string | number][];
  notes?: string[];
}

export function printReport(r: BenchReport): void {
  const width = Math.max(...r.rows.map(([k]) => k.length));
  console.log(`\n## ${r.title}\n$ ${r.command}`);
  for (const [k, v] of r.rows) console.log(`  ${k.padEnd(width)}  ${v}`);
  for (const n of r.notes ?? []) console.log(`  note: ${n}`);
}

export function markdown(
  reports: BenchReport[],
  opts: { command: string; minutes: number },
): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    '# Benchmarks',
    '',
    `Last run: ${new Date().toISOString()} · ${cpus().length} × ${cpu} · ${(totalmem() / 2 ** 30).toFixed(0)} GiB · Node ${process.version}`,
    `Command: \`${opts.command}\` (${opts.minutes.toFixed(1)} min). Figures are from one run on a shared 2-core VM:`,
    'compare the ratios against the baseline measured in the same run, not the absolute numbers.',
    'Benchmarks print figures; nothing here is a pass/fail test.',
    'Profiles, before/after runs and what stands in the way of each goal: bench/PROFILES.md.',
    '',
  ];
  for (const r of reports) {
    lines.push(`## ${r.title}`, '', `\`${r.command}\``, '', '| figure | value |', '|---|---|');
    for (const [k, v] of r.rows) lines.push(`| ${k} | ${v} |`);
    if (r.notes?.length) lines.push('', ...r.notes.map((n) => `- ${n}`));
    lines.push('');
  }
  return lines.join('\n');
}

/** p-th percentile of an unsorted list (nearest rank). */
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const fmt = {
  int: (n: number) => Math.round(n).toLocaleString('en-US'),
  ms: (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`,
  us: (n: number) => `${n.toFixed(2)} µs`,
  mb: (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`,
  ratio: (n: number) => `${n.toFixed(2)}×`,
};
