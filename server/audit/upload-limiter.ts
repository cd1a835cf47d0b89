import type { AuditUploadLimits } from '../config.ts';
import { ApiError } from '../errors.ts';

interface Bucket {
  requests: number;
  events: number;
  at: number;
}

const MAX_TRACKED = 50_000;

/**
 * Per-device limits on `POST /api/v1/device/audit`: uploads per minute and events per
 * minute, as token buckets (a device may burst up to a minute's allowance, then gets its
 * share as it refills), so one compromised or looping device cannot flood the trail or
 * starve the others. Over a limit the answer is 429 with `Retry-After` — when the bucket
 * will hold enough — which the extension's uploader honours, keeping its queue.
 *
 * Kept in memory, per instance: counting every upload in the database would cost the
 * ingest path a write per request. Behind a load balancer each instance enforces the
 * limits on the share of uploads it receives. A limit of 0 turns that check off.
 */
export class UploadLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limits: AuditUploadLimits,
    private readonly now: () => number,
  ) {}

  /** Counts one upload; throws `rate_limited` when the device is over its upload rate. */
  request(deviceId: string): void {
    const { uploadsPerMinute } = this.limits;
    if (uploadsPerMinute === 0) return;
    const b = this.refill(deviceId);
    if (b.requests < 1) this.refuse((1 - b.requests) / (uploadsPerMinute / 60_000), 'uploads');
    b.requests -= 1;
  }

  /** Counts a batch's events; throws `rate_limited` when they exceed the device's allowance. */
  events(deviceId: string, count: number): void {
    const { eventsPerMinute } = this.limits;
    // A batch larger than a minute's allowance could never pass: the ingest answers it
    // (413, more than a batch holds) instead of a 429 that no wait would cure.
    if (eventsPerMinute === 0 || count === 0 || count > eventsPerMinute) return;
    const b = this.refill(deviceId);
    if (b.events < count) {
      // The upload that was counted is given back: the retry is the same upload.
      if (this.limits.uploadsPerMinute)
        b.requests = Math.min(this.limits.uploadsPerMinute, b.requests + 1);
      this.refuse((count - b.events) / (eventsPerMinute / 60_000), 'events');
    }
    b.events -= count;
  }

  private refill(deviceId: string): Bucket {
    const now = this.now();
    const { uploadsPerMinute: rpm, eventsPerMinute: epm } = this.limits;
    let b = this.buckets.get(deviceId);
    if (!b) {
      if (this.buckets.size >= MAX_TRACKED) this.forgetFull(now);
      b = { requests: rpm, events: epm, at: now };
      this.buckets.set(deviceId, b);
      return b;
    }
    const elapsed = Math.max(0, now - b.at);
    b.requests = Math.min(rpm, b.requests + (elapsed * rpm) / 60_000);
    b.events = Math.min(epm, b.events + (elapsed * epm) / 60_000);
    b.at = now;
    return b;
  }

  /** Drops devices idle for a minute (their buckets are full again: nothing is lost). */
  private forgetFull(now: number): void {
    for (const [id, b] of this.buckets) if (now - b.at >= 60_000) this.buckets.delete(id);
  }

  private refuse(waitMs: number, what: 'uploads' | 'events'): never {
    const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
    throw new ApiError(
      'rate_limited',
      what === 'uploads'
        ? `This device uploads audit batches too often. Try again in ${retryAfter} seconds.`
        : `This device sent more audit events than it may per minute. Try again in ${retryAfter} seconds.`,
      { headers: { 'Retry-After': String(retryAfter) }, details: { retryAfter, limit: what } },
    );
  }
}
