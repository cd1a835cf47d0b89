import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface CpuProfile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * Where the server's time went, by phase of ingest, from a V8 CPU profile. A sample counts
 * for the innermost frame of its stack that belongs to a phase (better-sqlite3's native
 * work shows as the self time of the JS frame that called it), so the phases add up to the
 * busy time. The first match in this list wins for a frame.
 */
const PHASES: [string, (f: ProfileNode['callFrame']) => boolean][] = [
  [
    'chain: canonical JSON + SHA-256 + linking',
    (f) => /server\/audit\/(hash-chain|link-audit-rows)\.ts/.test(f.url),
  ],
  ['well-formed-Unicode check', (f) => f.url.includes('server/http/well-formed-json.ts')],
  ['event validation', (f) => f.url.includes('core/audit/validate-audit-event.ts')],
  ['body read + JSON parse + batch schema', (f) => f.url.includes('server/http/read-json.ts')],
  ['rows built (user, site, UTC time)', (f) => f.url.includes('server/audit/audit-service.ts')],
  [
    'SQLite inserts (statements, in the transaction)',
    (f) => f.url.includes('server/store/sqlite/audit-queries.ts'),
  ],
  [
    'SQLite commit (WAL write, fsync, checkpoint)',
    (f) => f.url.includes('better-sqlite3/lib/methods/transaction.js'),
  ],
  ['garbage collection', (f) => f.functionName === '(garbage collector)'],
];
const OTHER = 'HTTP, routing, auth and the rest';

/**
 * Milliseconds per phase (busy time only; idle left out), largest first, of the samples
 * taken within `window` (CLOCK_MONOTONIC µs, `process.hrtime` in any process on this
 * machine — V8's profile clock on Linux).
 */
export function profilePhases(
  file: string,
  window: { from: number; to: number },
): { busyMs: number; phases: [string, number][] } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const phaseOf = new Map<number, string>();
  const classify = (id: number): string => {
    let phase = phaseOf.get(id);
    if (phase === undefined) {
      const frame = byId.get(id)!.callFrame;
      const up = parent.get(id);
      phase =
        PHASES.find(([, match]) => match(frame))?.[0] ?? (up === undefined ? OTHER : classify(up));
      phaseOf.set(id, phase);
    }
    return phase;
  };
  const totals = new Map<string, number>();
  let busy = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    at += us;
    if (at < window.from || at > window.to) return;
    const frame = byId.get(id)!.callFrame.functionName;
    if (frame === '(idle)' || frame === '(program)') return;
    const phase = classify(id);
    totals.set(phase, (totals.get(phase) ?? 0) + us);
    busy += us;
  });
  const phases = [...totals].map(([k, us]) => [k, us / 1000] as [string, number]);
  return { busyMs: busy / 1000, phases: phases.sort((a, b) => b[1] - a[1]) };
}
