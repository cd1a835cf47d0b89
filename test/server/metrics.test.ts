/**
 * `/metrics` on the real app: request latencies per route pattern (never a concrete path),
 * audit ingest histograms, the process's default metrics, and no credential needed to
 * scrape. Push fan-out and the Node fast path are covered on a real listener in
 * push.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePrometheusText, sampleValue, type Sample } from '../helpers/prometheus-text.ts';
import { blockedNavigation } from './support/audit-events.ts';
import { makeWorld, type World } from './support/world.ts';

describe('GET /metrics', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld();
  });
  afterAll(() => w.t.close());

  const scrape = async (): Promise<{ res: Response; samples: Sample[] }> => {
    const res = await w.t.client({ origin: null }).get('/metrics');
    return { res, samples: parsePrometheusText(await res.clone().text()) };
  };
  const requestCount = (samples: Sample[], labels: Record<string, string>) =>
    sampleValue(samples, 'palisade_http_request_duration_seconds_count', labels) ?? 0;

  it('is served without a credential, as Prometheus text', async () => {
    const { res } = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('times each request under its route pattern, not its concrete path', async () => {
    const route = { method: 'GET', route: '/api/v1/devices/:id' };
    const before = await scrape();
    const ok = await w.admin.api.get(`/api/v1/devices/${w.device.id}`);
    expect(ok.status).toBe(200);
    const anonymous = await w.t.client().get(`/api/v1/devices/${w.device.id}`);
    expect(anonymous.status).toBe(401);

    const { samples } = await scrape();
    for (const status of ['200', '401']) {
      expect(requestCount(samples, { ...route, status })).toBe(
        requestCount(before.samples, { ...route, status }) + 1,
      );
    }
    // Every bucket series carries the pattern; no label holds the device id.
    expect(samples.some((s) => Object.values(s.labels).some((v) => v.includes(w.device.id)))).toBe(
      false,
    );
    const inf = sampleValue(samples, 'palisade_http_request_duration_seconds_bucket', {
      ...route,
      status: '200',
      le: '+Inf',
    });
    expect(inf).toBe(requestCount(samples, { ...route, status: '200' }));
    expect(
      sampleValue(samples, 'palisade_http_request_duration_seconds_sum', {
        ...route,
        status: '200',
      }),
    ).toBeGreaterThan(0);
  });

  it('counts an ingested batch, its events and its duplicates', async () => {
    const { samples: before } = await scrape();
    const repeated = blockedNavigation();
    await w.device.api.json('POST', '/api/v1/device/audit', {
      events: [repeated, blockedNavigation(), blockedNavigation()],
    });
    await w.device.api.json('POST', '/api/v1/device/audit', { events: [repeated] });

    const { samples } = await scrape();
    const delta = (name: string) =>
      (sampleValue(samples, name) ?? 0) - (sampleValue(before, name) ?? 0);
    expect(delta('palisade_audit_ingest_duration_seconds_count')).toBe(2);
    expect(delta('palisade_audit_ingest_batch_events_count')).toBe(2);
    expect(delta('palisade_audit_ingest_batch_events_sum')).toBe(4);
    expect(delta('palisade_audit_events_ingested_total')).toBe(3);
    expect(delta('palisade_audit_duplicates_total')).toBe(1);
  });

  it('counts a publish', async () => {
    const { samples: before } = await scrape();
    await w.admin.api.json('POST', `/api/v1/policies/${w.policyId}/publish`);
    const { samples } = await scrape();
    expect(sampleValue(samples, 'palisade_policy_publishes_total')).toBe(
      sampleValue(before, 'palisade_policy_publishes_total')! + 1,
    );
  });

  it("includes the process's default metrics", async () => {
    const { samples } = await scrape();
    for (const name of [
      'process_resident_memory_bytes',
      'process_cpu_seconds_total',
      'nodejs_heap_size_used_bytes',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(sampleValue(samples, name), name).toBeGreaterThan(0);
    }
  });
});
