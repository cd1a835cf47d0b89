import pg from 'pg';
import type { Broadcast, BroadcastHandlers } from '../store.ts';

/** The one channel: instances' messages and the envelope trigger's announcements. */
export const CHANNEL = 'palisade_push';

export interface ListenOptions {
  /** First reconnection delay; doubles up to `maxRetryMs` while the database is away. */
  retryMs?: number;
  maxRetryMs?: number;
  /**
   * How often the listening connection is checked with a query. A connection that died
   * silently (a NAT or a load balancer forgetting it) would otherwise just stop receiving.
   */
  pingMs?: number;
}

/**
 * `Store.broadcast` on PostgreSQL: NOTIFY through the pool, LISTEN on a dedicated
 * connection outside it (a pooled connection would be handed to other queries and could
 * be closed when idle). The listener reconnects by itself, with backoff, and reports each
 * reconnection so the caller re-syncs whatever it missed while away.
 */
export function pgBroadcast(url: string, pool: pg.Pool, opts: ListenOptions = {}) {
  const listeners = new Set<Listener>();
  const broadcast: Broadcast = {
    async send(payload) {
      await pool.query('SELECT pg_notify($1, $2)', [CHANNEL, payload]);
    },
    async listen(handlers) {
      const listener = new Listener(url, handlers, opts);
      await listener.start();
      listeners.add(listener);
      return async () => {
        listeners.delete(listener);
        await listener.stop();
      };
    },
  };
  return {
    broadcast,
    async close() {
      await Promise.all([...listeners].map((l) => l.stop()));
      listeners.clear();
    },
  };
}

class Listener {
  private client: pg.Client | null = null;
  private stopped = false;
  private delay: number;
  private retry: NodeJS.Timeout | undefined;
  private readonly ping: NodeJS.Timeout;

  constructor(
    private readonly url: string,
    private readonly handlers: BroadcastHandlers,
    private readonly opts: ListenOptions,
  ) {
    this.delay = opts.retryMs ?? 250;
    this.ping = setInterval(() => this.check(), opts.pingMs ?? 30_000);
    this.ping.unref();
  }

  /** Connects the first time; throws if the database cannot be reached at all. */
  async start(): Promise<void> {
    try {
      await this.connect();
    } catch (err) {
      clearInterval(this.ping);
      throw err;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.ping);
    clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.url,
      application_name: 'palisade-listen',
      keepAlive: true,
      query_timeout: 10_000,
      connectionTimeoutMillis: 10_000,
    });
    client.on('notification', (n) => {
      if (this.client === client && n.channel === CHANNEL && n.payload !== undefined)
        this.handlers.message(n.payload);
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, new Error('the listening connection closed')));
    let pid: number | undefined;
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
      if (this.stopped) throw new Error('stopped');
      this.client = client;
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    this.delay = this.opts.retryMs ?? 250;
    // LISTEN is in effect: whatever commits from now on is delivered, so a re-sync that
    // starts here misses nothing.
    this.handlers.connected(String(pid ?? ''));
  }

  private lost(client: pg.Client, err: Error): void {
    if (this.client !== client) return; // not (or no longer) the live connection
    this.client = null;
    void client.end().catch(() => undefined);
    if (this.stopped) return;
    this.handlers.disconnected(err);
    this.reconnectLater();
  }

  private reconnectLater(): void {
    this.retry = setTimeout(() => {
      this.connect().catch(() => {
        if (this.stopped) return;
        this.delay = Math.min(this.delay * 2, this.opts.maxRetryMs ?? 5000);
        this.reconnectLater();
      });
    }, this.delay);
    this.retry.unref();
  }

  private check(): void {
    const client = this.client;
    client?.query('SELECT 1').catch((err: unknown) => {
      this.lost(client, err instanceof Error ? err : new Error(String(err)));
    });
  }
}
