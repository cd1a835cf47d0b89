import type { RateLimits } from '../config.ts';
import { ApiError } from '../errors.ts';
import type { ServiceContext } from './context.ts';

const WINDOW_MS = 60_000;

/**
 * Fixed one-minute windows per client address, counted in the store so every instance
 * sees the same counts. Guards the endpoints a guesser would hammer: login, enrollment
 * codes and pairing tokens. A limit of 0 turns the check off.
 */
export class RateLimiter {
  constructor(private readonly ctx: ServiceContext) {}

  async check(bucket: keyof RateLimits, client: string): Promise<void> {
    const limit = this.ctx.config.rateLimits[bucket];
    if (limit === 0) return;
    const now = this.ctx.now();
    const start = Math.floor(now / WINDOW_MS) * WINDOW_MS;
    const count = await this.ctx.store.hitRateLimit(
      `${bucket}:${client}`,
      new Date(start).toISOString(),
    );
    if (count > limit) {
      const retryAfter = Math.max(1, Math.ceil((start + WINDOW_MS - now) / 1000));
      throw new ApiError('rate_limited', `Too many attempts. Try again in ${retryAfter} seconds.`, {
        headers: { 'Retry-After': String(retryAfter) },
      });
    }
  }
}
