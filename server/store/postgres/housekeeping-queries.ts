import type pg from 'pg';
import type { HousekeepingStore } from '../store-slices.ts';
import { inTransaction } from './in-transaction.ts';
import { first } from './query-rows.ts';

/** Rate-limit counters and the sweeping of expired rows on PostgreSQL. */
export function housekeepingQueries(pool: pg.Pool): HousekeepingStore {
  return {
    async hitRateLimit(key, windowStart) {
      // One upsert, atomic under the row lock. Instances' clocks differ a little: a hit
      // stamped with an older window than the stored one counts in the stored window
      // instead of resetting it, so a skewed instance cannot keep zeroing the counter.
      const r = await first<{ count: number }>(
        pool,
        `INSERT INTO rate_limits (key, window_start, count) VALUES ($1, $2, 1)
        ON CONFLICT (key) DO UPDATE SET
          count = CASE WHEN rate_limits.window_start >= excluded.window_start
            THEN rate_limits.count + 1 ELSE 1 END,
          window_start = greatest(rate_limits.window_start, excluded.window_start)
        RETURNING count`,
        [key, windowStart],
      );
      return r!.count;
    },
    async deleteExpired(now) {
      await inTransaction(pool, async (client) => {
        await client.query(`DELETE FROM challenges WHERE expires_at <= $1`, [now]);
        await client.query(`DELETE FROM sessions WHERE expires_at <= $1`, [now]);
        await client.query(`DELETE FROM pairing_tokens WHERE expires_at <= $1`, [now]);
        await client.query(`DELETE FROM device_claims WHERE expires_at <= $1`, [now]);
        await client.query(`DELETE FROM device_proof_challenges WHERE expires_at <= $1`, [now]);
        // Windows are at most a minute long; anything older than an hour is dead.
        await client.query(
          `DELETE FROM rate_limits WHERE window_start < $1::timestamptz - interval '1 hour'`,
          [now],
        );
      });
    },
  };
}
