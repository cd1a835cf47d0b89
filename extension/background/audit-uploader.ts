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
}

/**
 * Uploads the audit queue in batches and deletes events only after the server's durable
 * ack. A failed batch is retried with the same events (same ids: the server dedupes) after
 * a backoff. A batch the server refuses as a whole is split in halves until the event it
 * cannot accept is isolated; that one event is then dropped, so one bad event cannot block
 * the queue forever.
 */
export class AuditUploader {
  private running: Promise<void> | null = null;
  private again = false;
  private attempt = 0;
  private retryTimer: unknown = null;
  private batchSize = MAX_BATCH;

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
    if (this.retryTimer !== null && !options.force) return Promise.resolve();
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

  private scheduleRetry(): void {
    const delay = backoffDelay(this.attempt++, 2_000, 300_000, this.deps.random);
    this.retryTimer = this.deps.timers.setTimeout(() => {
      this.retryTimer = null;
      void this.kick({ force: true });
    }, delay);
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) this.deps.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}
