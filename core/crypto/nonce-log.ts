/**
 * The nonces of the commands a device acted on, bounded in size. An entry is needed only
 * while its command could still pass the freshness check (COMMAND_MAX_AGE_MS after it was
 * issued); older ones are pruned. When more than `MAX_NONCES` fresh commands arrive, the
 * oldest entry is evicted and its issue time becomes the `floor`: a pushed command issued
 * at or before the floor is refused, so evicting never re-opens a replay. Plain JSON, so
 * the extension keeps it in storage.local as it is.
 */
export interface NonceLog {
  /** Commands issued at or before this time (ms) count as seen. */
  floor: number;
  /** `[nonce, issuedAtMs]`, oldest first. */
  entries: [string, number][];
}

/** A pushed command older than this (or this far in the device's future) is only a hint. */
export const COMMAND_MAX_AGE_MS = 10 * 60_000;
export const COMMAND_MAX_SKEW_MS = 2 * 60_000;
export const MAX_NONCES = 64;
export const EMPTY_NONCE_LOG: NonceLog = { floor: 0, entries: [] };

export function nonceSeen(
  log: NonceLog,
  nonce: string,
  issuedAtMs: number,
): 'seen' | 'below_floor' | 'new' {
  if (log.entries.some(([n]) => n === nonce)) return 'seen';
  return issuedAtMs <= log.floor ? 'below_floor' : 'new';
}

/** Returns the log with `nonce` added and the entries no command could reuse pruned. */
export function rememberNonce(
  log: NonceLog,
  nonce: string,
  issuedAtMs: number,
  now: number,
): NonceLog {
  const horizon = now - COMMAND_MAX_AGE_MS - COMMAND_MAX_SKEW_MS;
  const entries = log.entries.filter(([, at]) => at >= horizon);
  entries.push([nonce, issuedAtMs]);
  entries.sort((a, b) => a[1] - b[1]);
  let floor = log.floor;
  while (entries.length > MAX_NONCES) floor = Math.max(floor, entries.shift()![1]);
  return { floor, entries };
}

/** Reads a log back from storage; anything malformed becomes an empty log with a floor of `now`. */
export function parseNonceLog(value: unknown, now: number): NonceLog {
  if (value === undefined) return EMPTY_NONCE_LOG;
  if (typeof value !== 'object' || value === null) return { floor: now, entries: [] };
  const v = value as Record<string, unknown>;
  const valid =
    typeof v.floor === 'number' &&
    Array.isArray(v.entries) &&
    v.entries.every(
      (e) =>
        Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && typeof e[1] === 'number',
    );
  // A damaged log must not let a replay through: treat everything up to now as seen.
  return valid ? (value as NonceLog) : { floor: now, entries: [] };
}
