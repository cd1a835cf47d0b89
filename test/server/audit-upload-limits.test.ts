/**
 * Per-device limits on audit uploads: a device over its upload rate or its events per
 * minute gets 429 with Retry-After and the JSON error body, nothing of the refused batch
 * is stored, and after the wait the same batch goes through.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UploadLimiter } from '../../server/audit/upload-limiter.ts';
import { loadConfig } from '../../server/config.ts';
import { ApiError } from '../../server/errors.ts';
import { makeWorld, type World } from './support/world.ts';
import { blockedNavigation } from './support/audit-events.ts';

describe('UploadLimiter', () => {
  // Each row: the limits, then steps of [ms since start, 'request' | events count, expected
  // answer: 'ok' or the Retry-After seconds of the 429].
  const table: {
    name: string;
    limits: { uploadsPerMinute: number; eventsPerMinute: number };
    steps: [number, 'request' | number, 'ok' | number][];
  }[] = [
    {
      name: 'a minute of uploads at once, then one a refill',
      limits: { uploadsPerMinute: 3, eventsPerMinute: 0 },
      steps: [
        [0, 'request', 'ok'],
        [0, 'request', 'ok'],
        [0, 'request', 'ok'],
        [0, 'request', 20],
        [15_000, 'request', 5],
        [20_000, 'request', 'ok'],
        [20_000, 'request', 20],
      ],
    },
    {
      name: 'events: a batch that would overdraw waits until the bucket holds it',
      limits: { uploadsPerMinute: 0, eventsPerMinute: 1200 },
      steps: [
        [0, 1000, 'ok'],
        [0, 500, 15],
        [15_000, 500, 'ok'],
        [15_000, 1, 1],
      ],
    },
    {
      name: 'a batch larger than the allowance is left to the 413 of the ingest',
      limits: { uploadsPerMinute: 0, eventsPerMinute: 1000 },
      steps: [[0, 1001, 'ok']],
    },
    {
      name: 'both off',
      limits: { uploadsPerMinute: 0, eventsPerMinute: 0 },
      steps: Array.from({ length: 50 }, () => [0, 'request', 'ok'] as [number, 'request', 'ok']),
    },
  ];

  it.each(table)('$name', ({ limits, steps }) => {
    let now = 1_000_000;
    const start = now;
    const limiter = new UploadLimiter(limits, () => now);
    for (const [at, what, expected] of steps) {
      now = start + at;
      let answer: 'ok' | number = 'ok';
      try {
        if (what === 'request') limiter.request('d1');
        else limiter.events('d1', what);
      } catch (err) {
        expect(err).toBeInstanceOf(ApiError);
        expect((err as ApiError).code).toBe('rate_limited');
        answer = Number((err as ApiError).headers['Retry-After']);
      }
      expect([at, what, answer]).toEqual([at, what, expected]);
    }
    // Another device has its own allowance.
    if (limits.uploadsPerMinute) expect(() => limiter.request('d2')).not.toThrow();
  });

  it('refuses an events limit below a full batch', () => {
    expect(() => loadConfig({ AUDIT_EVENTS_PER_MINUTE: '500' })).toThrow(/at least 1000/);
    expect(loadConfig({}).auditUploadLimits).toEqual({
      uploadsPerMinute: 120,
      eventsPerMinute: 30_000,
    });
  });
});

describe('POST /api/v1/device/audit over the limits', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld({ AUDIT_UPLOADS_PER_MINUTE: '3', AUDIT_EVENTS_PER_MINUTE: '1000' });
  });
  afterAll(() => w.t.close());

  const upload = (events: unknown[]) => w.device.api.post('/api/v1/device/audit', { events });
  const stored = async () =>
    (
      await w.auditor.api.json<{ events: unknown[] }>(
        'GET',
        `/api/v1/audit?deviceId=${w.device.id}&limit=1000`,
      )
    ).events.length;

  it('answers 429 with Retry-After and the JSON error; the same batch passes after the wait', async () => {
    for (let i = 0; i < 3; i++) expect((await upload([blockedNavigation()])).status).toBe(200);
    const batch = [blockedNavigation(), blockedNavigation()];
    const refused = await upload(batch);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/^application\/json/);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(20);
    expect(await refused.json()).toMatchObject({
      error: { code: 'rate_limited', message: expect.stringMatching(/too often/) },
    });
    expect(await stored()).toBe(3);
    w.t.advance(retryAfter * 1000);
    expect(await (await upload(batch)).json()).toEqual({ accepted: 2, duplicates: 0 });
  });

  it('limits the events a device sends per minute', async () => {
    w.t.advance(60_000);
    const before = await stored();
    const big = Array.from({ length: 900 }, () => blockedNavigation());
    expect((await upload(big)).status).toBe(200);
    const more = Array.from({ length: 300 }, () => blockedNavigation());
    const refused = await upload(more);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBe(12); // 200 events at 1000/min
    expect(await stored()).toBe(before + 900);
    w.t.advance(12_000);
    expect((await upload(more)).status).toBe(200);
  });
});
