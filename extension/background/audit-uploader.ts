import type { AuditQueue } from './audit-queue.ts';
import { backoffDelay, type Timers } from './backoff.ts';
import { ApiError, type ServerApi } from './server-api.ts';

const MAX_BATCH = 500;

export interface UploaderDeps {
  queue: AuditQueue;
  /** The API to upload with, or null while not enrolled or revoked (events then wait). */
  api: () => Promise<ServerApi | null>;
  timers: Timers;
  random: () => number;
  /** The server said the credential is revoked or the device wiped. */
  onAuthLost: (kind: 'revoked' | 'wiped') => void;
  log?: (message: string) => void;
  /** The clock (tests move it with their timers); Date.now by default. */
  now?: () => number;
}

/** Never wait longer than this on a server's word, whatever its Retry-After says. */
const MAX_RETRY_AFTER_MS = 15 * 60_000;

/**
 * Uploads the audit queue in batches and deletes events only after the server's durable
 * ack. A failed batch is retried with the same events (same ids: the server dedupes) after
 * a backoff. A batch the server refuses as a whole is split in halves until the event it
 * cannot accept is isolated; that one event is then dropped, so one bad event cannot block
 * the queue forever. A 429 (the device is over its upload limits) keeps the batch whole in
 * the queue and waits the server's `Retry-After` — even a forced kick waits that long —
 * then sends the same events again.
 */
export class AuditUploader {
  private running: Promise<void> | null = null;
  private again = false;
  private attempt = 0;
  private retryTimer: unknown = null;
  private batchSize = MAX_BATCH;
  /** Until when the server asked us not to upload (its Retry-After). */
  private notBefore = 0;

  constructor(private readonly deps: UploaderDeps) {}

  /**
   * Starts an upload now (or right after the one in flight). Without `force`, a kick
   * during a backoff waits for the scheduled retry: a burst of new events while the
   * server is down must not become a burst of requests.
   */
  kick(options: { force?: boolean } = {}): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const asked = this.retryTimer !== null && this.now() < this.notBefore;
    if (this.retryTimer !== null && (!options.force || asked)) return Promise.resolve();
    this.clearRetry();
    this.running = this.drainSafely().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        void this.kick();
      }
    });
    return this.running;
  }

  /** True while a retry is scheduled after a failure. */
  get backingOff(): boolean {
    return this.retryTimer !== null;
  }

  private async drainSafely(): Promise<void> {
    try {
      await this.drain();
    } catch (error) {
      this.deps.log?.(`audit upload failed: ${String(error)}`);
      this.scheduleRetry();
    }
  }

  private async drain(): Promise<void> {
    const api = await this.deps.api();
    if (!api) return;
    for (;;) {
      const batch = await this.deps.queue.oldest(this.batchSize);
      if (batch.length === 0) break;
      try {
        await api.audit(batch);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        if (error.kind === 'revoked' || error.kind === 'wiped')
          return this.deps.onAuthLost(error.kind);
        if (error.kind === 'rate_limited') return this.scheduleRetry(error.retryAfterMs);
        if ((error.kind === 'rejected' || error.kind === 'too_large') && batch.length > 1) {
          this.batchSize = Math.max(1, Math.floor(batch.length / 2));
          continue;
        }
        if (error.kind === 'rejected') {
          this.deps.log?.(`audit event ${batch[0]!.id} refused by the server: ${error.message}`);
          await this.deps.queue.remove([batch[0]!.id]);
          continue;
        }
        return this.scheduleRetry();
      }
      await this.deps.queue.remove(batch.map((e) => e.id));
      this.attempt = 0;
      this.batchSize = Math.min(MAX_BATCH, this.batchSize * 2);
    }
  }

  /** After a failure: the server's Retry-After when it gave one, else the next backoff. */
  private scheduleRetry(retryAfterMs?: number): void {
    let delay: number;
    if (retryAfterMs === undefined) {
      delay = backoffDelay(this.attempt++, 2_000, 300_000, this.deps.random);
    } else {
      delay = Math.min(Math.max(retryAfterMs, 1_000), MAX_RETRY_AFTER_MS);
      this.notBefore = this.now() + delay;
    }
    this.clearRetry();
    this.retryTimer = this.deps.timers.setTimeout(() => {
      this.retryTimer = null;
      void this.kick({ force: true });
    }, delay);
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) this.deps.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}
