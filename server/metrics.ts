import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DestinationGauge } from './siem/siem-delivery.ts';

/** Request latencies: the device-policy fast path answers in well under a millisecond. */
const LATENCY_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];
/** Counts that span one device to a whole fleet (sockets per fan-out, events per batch). */
const SIZE_BUCKETS = [1, 10, 100, 1_000, 10_000, 100_000];

let processRegistry: Registry | undefined;

/**
 * The default process metrics (CPU, memory, heap, event-loop lag, GC, handles) describe
 * the process, not one server in it, and each collection installs event-loop and GC
 * observers: they are collected once per process, however many servers it starts.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * One server's Prometheus metrics (prom-client), served at `/metrics` with the process
 * metrics. Labels stay bounded: routes are Hono's matched patterns
 * (`/api/v1/devices/:id`), never concrete paths.
 */
export class Metrics {
  private readonly registry = new Registry();
  private readonly requestSeconds = new Histogram({
    name: 'palisade_http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly fanoutSeconds = new Histogram({
    name: 'palisade_push_fanout_duration_seconds',
    help: "From a policy publish reaching this instance to its frame written to every one of the group's sockets.",
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly fanoutSockets = new Histogram({
    name: 'palisade_push_fanout_sockets',
    help: 'Sockets written to by one policy fan-out.',
    buckets: SIZE_BUCKETS,
    registers: [this.registry],
  });
  private readonly pushMessages = new Counter({
    name: 'palisade_push_messages_total',
    help: 'Push messages sent to devices.',
    registers: [this.registry],
  });
  private readonly ingestSeconds = new Histogram({
    name: 'palisade_audit_ingest_duration_seconds',
    help: "Time to validate and commit one device's audit batch.",
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly ingestBatch = new Histogram({
    name: 'palisade_audit_ingest_batch_events',
    help: "Events in one device's audit batch.",
    buckets: SIZE_BUCKETS,
    registers: [this.registry],
  });
  private readonly ingested = new Counter({
    name: 'palisade_audit_events_ingested_total',
    help: 'Audit events stored.',
    registers: [this.registry],
  });
  private readonly duplicates = new Counter({
    name: 'palisade_audit_duplicates_total',
    help: 'Audit events skipped as duplicates.',
    registers: [this.registry],
  });
  private readonly publishes = new Counter({
    name: 'palisade_policy_publishes_total',
    help: 'Policy versions published.',
    registers: [this.registry],
  });

  /** The `Content-Type` of `render()`'s text. */
  readonly contentType: string = this.registry.contentType;
  /** Set by the push hub's owner: how many sockets this instance holds. */
  pushConnections: () => number = () => 0;
  /** Set by the SIEM delivery: each destination's state, read at scrape time. */
  siemDestinations: () => DestinationGauge[] = () => [];
  /** Set by the SIEM delivery: failed attempts by this instance. */
  siemFailures: () => number = () => 0;

  constructor() {
    const connections = () => this.pushConnections();
    new Gauge({
      name: 'palisade_push_connections',
      help: 'Devices connected to the push channel of this instance.',
      registers: [this.registry],
      collect() {
        this.set(connections());
      },
    });
    this.siemSeries();
  }

  /**
   * Per-destination series, labelled by the destination's id (admins add a handful). The
   * values live in the store's consumer rows, so each is read at scrape time.
   */
  private siemSeries(): void {
    const destinations = () => this.siemDestinations();
    const series: [string, string, (d: DestinationGauge) => number][] = [
      [
        'palisade_siem_lag_events',
        'Audit events not yet delivered to the destination.',
        (d) => d.lagEvents,
      ],
      [
        'palisade_siem_failed_attempts',
        'Failed attempts in a row (0 when healthy).',
        (d) => d.attempts,
      ],
      [
        'palisade_siem_last_delivery_timestamp_seconds',
        'When the destination last acknowledged events (0: never).',
        (d) => (d.lastDeliveredAt ? Math.floor(Date.parse(d.lastDeliveredAt) / 1000) : 0),
      ],
    ];
    for (const [name, help, value] of series) {
      new Gauge({
        name,
        help,
        labelNames: ['destination', 'kind'] as const,
        registers: [this.registry],
        collect() {
          this.reset();
          for (const d of destinations()) this.set({ destination: d.id, kind: d.kind }, value(d));
        },
      });
    }
    // Counters whose totals the store keeps: set to the stored value at each scrape.
    new Counter({
      name: 'palisade_siem_delivered_events_total',
      help: 'Events delivered to the destination.',
      labelNames: ['destination', 'kind'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const d of destinations()) this.inc({ destination: d.id, kind: d.kind }, d.delivered);
      },
    });
    const failures = () => this.siemFailures();
    new Counter({
      name: 'palisade_siem_delivery_failures_total',
      help: 'Failed delivery attempts by this instance.',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(failures());
      },
    });
  }

  /** `route` is the matched pattern; `seconds` from the request's arrival to its answer. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.requestSeconds.observe({ method, route, status }, seconds);
  }

  /** One policy fan-out: its duration and how many sockets it wrote to. */
  observeFanout(seconds: number, sockets: number): void {
    this.fanoutSeconds.observe(seconds);
    this.fanoutSockets.observe(sockets);
  }

  /** Counted once per loop rather than per socket: a heartbeat writes to every socket. */
  countPushMessages(n: number): void {
    if (n > 0) this.pushMessages.inc(n);
  }

  observeIngest(
    seconds: number,
    batch: { events: number; accepted: number; duplicates: number },
  ): void {
    this.ingestSeconds.observe(seconds);
    this.ingestBatch.observe(batch.events);
    this.ingested.inc(batch.accepted);
    this.duplicates.inc(batch.duplicates);
  }

  countPublish(): void {
    this.publishes.inc();
  }

  /** The Prometheus text exposition of this server's metrics and the process's. */
  async render(): Promise<string> {
    const [own, proc] = await Promise.all([this.registry.metrics(), processMetrics().metrics()]);
    return `${own}\n${proc}`;
  }
}

/** Seconds since `start`, a `performance.now()` reading. */
export function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}
