/**
 * Conditional access and `when`: the cost of one decideAccess with every condition, of one
 * isWithinWhen, and what rules with `when` add to a data-control decision (the content
 * script decides synchronously inside the event handler, so this is on the user's path).
 */
import { decideAccess } from '../../core/policy/access/decide-access.ts';
import type { AccessInput } from '../../core/policy/access/types.ts';
import { isWithinWhen } from '../../core/policy/access/when.ts';
import { buildDataControls } from '../../core/policy/data-controls.ts';
import type { DataControlRule } from '../../core/policy/types.ts';
import { urlListsAt } from '../../core/policy/url-schedules.ts';
import { isMain, numberArgs } from '../lib/args.ts';
import { printReport, type BenchReport } from '../lib/report.ts';
import {
  OFFICE_AND_SATURDAY_NIGHT,
  posture,
  STRICT_DEVICE,
} from '../../test/core/access/fixtures.ts';

/** Median nanoseconds per call of `fn` over `n` calls, in 20 rounds. */
function perCall(n: number, fn: (i: number) => unknown): number {
  const rounds: number[] = [];
  let sink = 0;
  for (let r = 0; r < 20; r++) {
    const t = performance.now();
    for (let i = 0; i < n; i++) if (fn(i)) sink++;
    rounds.push(((performance.now() - t) * 1e6) / n);
  }
  if (sink < 0) console.log(sink);
  return rounds.sort((a, b) => a - b)[10]!;
}

export async function runAccessBench(opts: { calls: number }): Promise<BenchReport> {
  const base = Date.parse('2026-12-02T00:00:00Z');
  const at = (i: number) => new Date(base + (i % 10_080) * 60_000); // every minute of a week
  const input = (i: number): AccessInput => ({
    app: {
      id: 'crm',
      name: 'CRM',
      access: {
        groups: ['Sales', 'Support'],
        device: STRICT_DEVICE,
        when: OFFICE_AND_SATURDAY_NIGHT,
        where: { networks: ['203.0.113.0/24', '198.51.100.0/24', '2001:db8::/32'] },
        maxDevicesPerUser: 2,
      },
    },
    user: { id: 'u1', email: 'sam@example.com', groups: ['Sales'] },
    device: { id: 'd1', trust: 'managed', group: 'Sales' },
    posture: {
      ...posture,
      policyVersion: 3,
      policySince: new Date(base - 60_000).toISOString(),
      reportedAt: new Date(base - 60_000).toISOString(),
    },
    now: at(i),
    clientAddress: i % 2 ? '203.0.113.7' : '::ffff:192.0.2.1',
    otherActiveDevices: i % 3,
  });
  const inputs = Array.from({ length: 1000 }, (_, i) => input(i));
  const rules = (timed: boolean): DataControlRule[] =>
    Array.from({ length: 10 }, (_, i) => ({
      name: `rule ${i}`,
      rule_id: `r${i}`,
      sources: { urls: [`corp${i}.example`] },
      ...(timed ? { when: OFFICE_AND_SATURDAY_NIGHT } : {}),
      restrictions: [{ class: 'CLIPBOARD' as const, level: 'BLOCK' as const }],
    }));
  const plain = buildDataControls({ dataControls: rules(false), apps: [] });
  const timed = buildDataControls({ dataControls: rules(true), apps: [] });
  const query = (i: number) => ({
    action: 'paste' as const,
    source: { url: `https://corp${i % 10}.example/doc` },
    destination: { url: 'https://personal.example/' },
    now: at(i),
  });
  const schedules = {
    urlBlocklist: ['a.example'],
    urlAllowlist: [],
    urlSchedules: Array.from({ length: 10 }, (_, i) => ({
      name: `s${i}`,
      when: OFFICE_AND_SATURDAY_NIGHT,
      urlBlocklist: [`s${i}.example`],
    })),
  };
  const n = opts.calls;
  const access = perCall(n, (i) => decideAccess(inputs[i % 1000]!).allow);
  const when = perCall(n, (i) => isWithinWhen(OFFICE_AND_SATURDAY_NIGHT, at(i)));
  const dataPlain = perCall(n, (i) => plain.decide(query(i)).level);
  const dataTimed = perCall(n, (i) => timed.decide(query(i)).level);
  const lists = perCall(n / 10, (i) => urlListsAt(schedules, at(i)).key);
  const us = (ns: number) => `${(ns / 1000).toFixed(2)} µs`;
  return {
    title: 'Conditional access and when',
    command: `node --import tsx bench/access/access.ts --calls ${opts.calls}`,
    rows: [
      ['decideAccess, every condition (median per call)', us(access)],
      ['isWithinWhen, 2 windows in Europe/Paris', us(when)],
      ['data-control paste decision, 10 rules without when', us(dataPlain)],
      ['the same, the 10 rules with when', us(dataTimed)],
      ['urlListsAt, 10 schedules (the extension, once a minute)', us(lists)],
    ],
    notes: [
      'Times over every minute of a week, so windows open and close across the run. Wall time on a shared core.',
    ],
  };
}

if (isMain(import.meta.url)) {
  printReport(await runAccessBench(numberArgs({ calls: 20_000 })));
}
