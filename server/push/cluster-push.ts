import { randomUUID } from 'node:crypto';
import type { Logger } from '../log.ts';
import type { Broadcast, Store } from '../store/store.ts';
import { parseClusterMessage, type ClusterMessage } from './cluster-message.ts';
import type { PushNotifier } from './push-notifier.ts';

/** The envelope service's in-memory copy of the store, which other instances' writes make stale. */
export interface EnvelopeCache {
  invalidate(groupIds?: Iterable<string>): void;
}

/** The device credential index (service/credential-index.ts), which other instances' revokes, wipes and moves make stale. */
export interface DeviceCache {
  forget(deviceIds: Iterable<string>): void;
  /** Holds nothing while notices from other instances may be missed. */
  suspend(): void;
  /** Starts afresh once they are heard again. */
  resume(): void;
}

export interface ClusterPushDeps {
  /** This instance's devices (the PushHub). */
  local: PushNotifier;
  broadcast: Broadcast;
  store: Pick<Store, 'listGroupEnvelopes'>;
  log: Logger;
  /** Delay before retrying a failed re-sync. */
  resyncRetryMs?: number;
}

/**
 * Push across the instances that share a PostgreSQL database. Services call it like the
 * hub; it delivers to this instance's devices at once and lets the other instances
 * deliver to theirs:
 *
 * - A policy reaches other instances through the database itself: writing a group
 *   envelope announces `{envelope, groupId, version}` in the same transaction, so there
 *   is no gap between "committed" and "announced", whichever instance (or tool) wrote it.
 *   Each instance drops its cached envelope and tells its devices — once per version:
 *   `announced` remembers the newest version told per group.
 * - Revoke, wipe and a user's move between groups are sent by this instance after the
 *   change. Their state is in the database; each instance drops the device from its
 *   credential index on hearing of it, so device sync reads that state on the device's
 *   next request.
 * - Notifications are lost while the listening connection is down. On every
 *   (re)connection the instance re-reads all envelopes, drops its cache and tells its
 *   devices of every version newer than what it last told: a missed notification is
 *   never a missed policy. The credential index holds nothing from a disconnection until
 *   the next connection, so a missed revoke never lets a device through: every device
 *   request reads the database meanwhile.
 */
export class ClusterPush implements PushNotifier {
  readonly instanceId = randomUUID();
  private readonly announced = new Map<string, number>();
  private cache: EnvelopeCache | null = null;
  private devices: DeviceCache | null = null;
  private stopListening: (() => Promise<void>) | null = null;
  private connection = '';
  private stopped = false;
  private sending: Promise<void> = Promise.resolve();

  constructor(private readonly deps: ClusterPushDeps) {}

  /** Starts listening (resolves once it does) and keeps `cache` and `devices` in step with the database. */
  async start(cache: EnvelopeCache, devices?: DeviceCache): Promise<void> {
    this.cache = cache;
    this.devices = devices ?? null;
    this.devices?.suspend(); // until the first connection
    this.stopListening = await this.deps.broadcast.listen({
      message: (payload) => this.receive(payload),
      connected: (id) => {
        this.connection = id;
        this.devices?.resume();
        this.deps.log.info('push relay listening', { connection: id });
        void this.resync(id);
      },
      disconnected: (err) => {
        this.devices?.suspend();
        this.deps.log.warn('push relay disconnected; reconnecting', { error: err.message });
      },
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.sending;
    await this.stopListening?.();
  }

  policy(groupId: string, version: number): void {
    this.announce(groupId, version);
  }

  revoked(deviceId: string, command: string | null): void {
    this.deps.local.revoked(deviceId, command);
    this.send({ type: 'revoked', from: this.instanceId, deviceId, command });
  }

  wipe(deviceId: string, command: string): void {
    this.deps.local.wipe(deviceId, command);
    this.send({ type: 'wipe', from: this.instanceId, deviceId, command });
  }

  moved(deviceId: string, groupId: string, version: number, command: string): void {
    this.deps.local.moved(deviceId, groupId, version, command);
    this.send({ type: 'moved', from: this.instanceId, deviceId, groupId, version, command });
  }

  exceptions(deviceId: string): void {
    this.deps.local.exceptions(deviceId);
    this.send({ type: 'exceptions', from: this.instanceId, deviceId });
  }

  settled(): Promise<void> {
    return this.sending;
  }

  /** Tells this instance's devices of the group's envelope version, unless they were told it already. */
  private announce(groupId: string, version: number): void {
    if (version <= (this.announced.get(groupId) ?? -1)) return;
    this.announced.set(groupId, version);
    this.deps.local.policy(groupId, version);
  }

  /** Sends one after another, so other instances hear this one's messages in order (a wipe before the revoke that completes it). */
  private send(message: ClusterMessage): void {
    this.sending = this.sending.then(() =>
      this.deps.broadcast.send(JSON.stringify(message)).catch((err: unknown) => {
        this.deps.log.warn('push relay could not notify other instances', {
          type: message.type,
          error: err instanceof Error ? err.message : String(err),
        });
      }),
    );
  }

  private receive(payload: string): void {
    const m = parseClusterMessage(payload);
    if (!m) return this.deps.log.warn('push relay ignored a malformed message');
    if (m.type === 'envelope') {
      this.cache?.invalidate([m.groupId]);
      return this.announce(m.groupId, m.version);
    }
    if (m.from === this.instanceId) return; // delivered locally when sent
    if (m.type === 'exceptions') return this.deps.local.exceptions(m.deviceId);
    this.devices?.forget([m.deviceId]);
    if (m.type === 'revoked') this.deps.local.revoked(m.deviceId, m.command);
    else if (m.type === 'wipe') this.deps.local.wipe(m.deviceId, m.command);
    else this.deps.local.moved(m.deviceId, m.groupId, m.version, m.command);
  }

  /** Catches up after a (re)connection; retried until it succeeds or a newer connection takes over. */
  private async resync(connection: string): Promise<void> {
    try {
      const rows = await this.deps.store.listGroupEnvelopes();
      this.cache?.invalidate();
      for (const row of rows) this.announce(row.groupId, row.version);
    } catch (err) {
      if (this.stopped || this.connection !== connection) return;
      this.deps.log.warn('push relay re-sync failed; retrying', {
        error: err instanceof Error ? err.message : String(err),
      });
      setTimeout(() => void this.resync(connection), this.deps.resyncRetryMs ?? 1000).unref();
    }
  }
}
