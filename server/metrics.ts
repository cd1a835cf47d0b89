import type { DestinationGauge } from './siem/siem-delivery.ts';

/**
 * A few Prometheus counters and gauges in the text exposition format
 * (https://prometheus.io/docs/instrumenting/exposition_formats/). Labels are bounded:
 * routes are patterns (`/api/v1/devices/:id`), never concrete paths.
 */
export class Metrics {
  private readonly requests = new Map<string, number>();
  auditEventsIngested = 0;
  auditDuplicates = 0;
  policyPublishes = 0;
  pushMessagesSent = 0;
  /** Set by the push hub. */
  pushConnections: () => number = () => 0;
  /** Set by the SIEM delivery: each destination's state as this instance last saw it. */
  siemDestinations: () => DestinationGauge[] = () => [];
  siemFailures: () => number = () => 0;

  private renderSiem(): string[] {
    return siemSeries(this.siemDestinations(), this.siemFailures());
  }

  countRequest(method: string, route: string, status: number): void {
    const key = `method="${method}",route="${escapeLabel(route)}",status="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
  }

  render(): string {
    const lines = [
      '# HELP palisade_http_requests_total HTTP requests by method, route pattern and status.',
      '# TYPE palisade_http_requests_total counter',
    ];
    for (const [labels, n] of this.requests)
      lines.push(`palisade_http_requests_total{${labels}} ${n}`);
    const simple: [string, string, string, number][] = [
      [
        'palisade_push_connections',
        'gauge',
        'Devices connected to the push channel.',
        this.pushConnections(),
      ],
      [
        'palisade_push_messages_total',
        'counter',
        'Push messages sent to devices.',
        this.pushMessagesSent,
      ],
      [
        'palisade_audit_events_ingested_total',
        'counter',
        'Audit events stored.',
        this.auditEventsIngested,
      ],
      [
        'palisade_audit_duplicates_total',
        'counter',
        'Audit events skipped as duplicates.',
        this.auditDuplicates,
      ],
      [
        'palisade_policy_publishes_total',
        'counter',
        'Policy versions published.',
        this.policyPublishes,
      ],
      // Standard process gauges, so operators (and bench/push) see memory per connection.
      [
        'process_resident_memory_bytes',
        'gauge',
        'Resident memory size in bytes.',
        process.memoryUsage.rss(),
      ],
      [
        'nodejs_heap_used_bytes',
        'gauge',
        'V8 heap in use, in bytes.',
        process.memoryUsage().heapUsed,
      ],
    ];
    for (const [name, type, help, value] of simple) {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`);
    }
    lines.push(...this.renderSiem());
    return lines.join('\n') + '\n';
  }
}

/** Per-destination series, labelled by the destination's id (admins add a handful). */
function siemSeries(destinations: DestinationGauge[], failures: number): string[] {
  const series: [string, string, string, (d: DestinationGauge) => number][] = [
    [
      'palisade_siem_lag_events',
      'gauge',
      'Audit events not yet delivered to the destination.',
      (d) => d.lagEvents,
    ],
    [
      'palisade_siem_delivered_events_total',
      'counter',
      'Events delivered to the destination.',
      (d) => d.delivered,
    ],
    [
      'palisade_siem_failed_attempts',
      'gauge',
      'Failed attempts in a row (0 when healthy).',
      (d) => d.attempts,
    ],
    [
      'palisade_siem_last_delivery_timestamp_seconds',
      'gauge',
      'When the destination last acknowledged events (0: never).',
      (d) => (d.lastDeliveredAt ? Math.floor(Date.parse(d.lastDeliveredAt) / 1000) : 0),
    ],
  ];
  const lines: string[] = [];
  for (const [name, type, help, value] of series) {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const d of destinations)
      lines.push(`${name}{destination="${escapeLabel(d.id)}",kind="${d.kind}"} ${value(d)}`);
  }
  lines.push(
    '# HELP palisade_siem_delivery_failures_total Failed delivery attempts by this instance.',
    '# TYPE palisade_siem_delivery_failures_total counter',
    `palisade_siem_delivery_failures_total ${failures}`,
  );
  return lines;
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
