import type { Store } from '../store/store.ts';
import type { AuditRow, ConsumerRow } from '../store/types.ts';

/** How long a lease lasts; the holder renews it at every pass, well before it ends. */
export const LEASE_MS = 30_000;
export const BATCH = 200;
/** Backoff after a failure: 1 s doubling to 5 min, with jitter (see `retryDelay`). */
const BASE_MS = 1000;
const MAX_MS = 5 * 60_000;

export interface DrainResult {
  /** Whether this instance held the lease. */
  leased: boolean;
  state: ConsumerRow | null;
  delivered: number;
  error?: string;
}

/**
 * One pass of an audit-trail consumer: take the lease, then hand the rows after the
 * cursor to `deliver` a batch at a time, oldest first, moving the cursor past each batch
 * only once `deliver` resolved (the receiver acknowledged it). A crash between the two
 * sends the batch again: at least once, in seq order. A failure records the attempt and
 * the time of the next one; the rows stay where they are.
 */
export async function drainConsumer(
  store: Store,
  name: string,
  owner: string,
  now: () => number,
  deliver: (rows: AuditRow[]) => Promise<number>,
  opts: { maxBatches?: number; random?: () => number } = {},
): Promise<DrainResult> {
  const iso = (ms: number) => new Date(ms).toISOString();
  let state = await store.leaseConsumer(name, owner, iso(now()), iso(now() + LEASE_MS));
  if (!state) return { leased: false, state: null, delivered: 0 };
  if (state.nextAttemptAt && Date.parse(state.nextAttemptAt) > now())
    return { leased: true, state, delivered: 0 };
  let delivered = 0;
  const deadline = now() + LEASE_MS / 2;
  for (let i = 0; i < (opts.maxBatches ?? 50) && now() < deadline; i++) {
    const rows = await store.listAudit({}, { order: 'asc', cursor: state.cursorSeq, limit: BATCH });
    if (rows.length === 0) break;
    let sent: number;
    try {
      sent = await deliver(rows);
    } catch (err) {
      const error = errorText(err);
      const delay = retryDelay(state.attempts + 1, opts.random ?? Math.random);
      await store.failConsumer(name, owner, {
        error,
        at: iso(now()),
        nextAttemptAt: iso(now() + delay),
      });
      return { leased: true, state: { ...state, attempts: state.attempts + 1 }, delivered, error };
    }
    const to = rows[rows.length - 1]!.seq;
    const at = iso(now());
    if (
      !(await store.advanceConsumer(name, owner, {
        from: state.cursorSeq,
        to,
        delivered: sent,
        at,
      }))
    )
      return { leased: false, state, delivered }; // the lease was lost meanwhile
    state = {
      ...state,
      cursorSeq: to,
      attempts: 0,
      lastError: null,
      delivered: state.delivered + sent,
    };
    delivered += sent;
    if (rows.length < BATCH) break;
  }
  return { leased: true, state, delivered };
}

/**
 * Exponential backoff with "equal jitter": half of `min(max, base × 2^(n−1))` plus a random
 * share of the other half, so retries of many destinations do not fall in step.
 */
export function retryDelay(attempt: number, random: () => number): number {
  const ceiling = Math.min(MAX_MS, BASE_MS * 2 ** Math.min(attempt - 1, 20));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** An error as a short line for the console: its message, and its cause's code if any. */
function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err).slice(0, 300);
  const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
  const detail = cause && typeof cause.message === 'string' ? `: ${cause.message}` : '';
  return `${err.message}${detail}`.slice(0, 300);
}
