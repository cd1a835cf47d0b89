import type { HousekeepingStore } from '../store-slices.ts';
import type { Db } from './open-database.ts';

/** Rate-limit counters and the sweeping of expired rows on SQLite. */
export function housekeepingQueries(db: Db): HousekeepingStore {
  const q = {
    hit: db.prepare(`INSERT INTO rate_limits (key, window_start, count) VALUES (?, ?, 1)
      ON CONFLICT (key) DO UPDATE SET
        count = CASE WHEN rate_limits.window_start = excluded.window_start THEN rate_limits.count + 1 ELSE 1 END,
        window_start = excluded.window_start
      RETURNING count`),
    challenges: db.prepare(`DELETE FROM challenges WHERE expires_at <= ?`),
    sessions: db.prepare(`DELETE FROM sessions WHERE expires_at <= ?`),
    pairing: db.prepare(`DELETE FROM pairing_tokens WHERE expires_at <= ?`),
    claims: db.prepare(`DELETE FROM device_claims WHERE expires_at <= ?`),
    proofChallenges: db.prepare(`DELETE FROM device_proof_challenges WHERE expires_at <= ?`),
    rateLimits: db.prepare(`DELETE FROM rate_limits WHERE window_start < ?`),
  };
  const sweep = db.transaction((now: string) => {
    q.challenges.run(now);
    q.sessions.run(now);
    q.pairing.run(now);
    q.claims.run(now);
    q.proofChallenges.run(now);
    // Windows are at most a minute long; anything older than an hour is dead.
    q.rateLimits.run(new Date(Date.parse(now) - 3_600_000).toISOString());
  });
  return {
    async hitRateLimit(key, windowStart) {
      return (q.hit.get(key, windowStart) as { count: number }).count;
    },
    async deleteExpired(now) {
      sweep(now);
    },
  };
}
