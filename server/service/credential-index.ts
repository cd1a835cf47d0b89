import type { Store } from '../store/store.ts';
import type { DeviceRow } from '../store/types.ts';

/** What device sync needs of a device: which one, its group, and whose it is (for invalidation). */
export type SyncDevice = Pick<DeviceRow, 'id' | 'groupId' | 'userId'>;

interface Entry {
  device: SyncDevice;
  /** Epoch ms after which the entry no longer answers (its `lastSeenAt` is due for a write). */
  until: number;
}

/**
 * An in-memory index from a device credential's hash to its active device, so a device's
 * poll (`GET /device/policy`, most of a server's traffic) needs no database read.
 *
 * Keyed by the same SHA-256 the database stores (`hashToken`), never by the credential:
 * a heap dump then shows what a database dump shows — hashes of 256-bit random secrets,
 * which let no one act as a device — and not the bearer token of every device that polled.
 * A keyed non-cryptographic hash would save the ~2 µs SHA-256 but would put its key in
 * the same heap, and a credential that collides under it would pass as a device.
 *
 * Only active devices are held, and only what sync reads. An entry goes at once when a
 * device's status, group or owner changes: `indexedStore` forgets it on every such write
 * on this instance, and `ClusterPush` on every revoke, wipe and move relayed from another.
 * Because a notice from another instance can be lost while the relay is down, the relay
 * suspends the index while disconnected and empties it on reconnecting; and an entry
 * lives at most until its device's `lastSeenAt` is due for a write (a minute), so even a
 * writer that notifies no one (a tool on the database) is noticed within that time.
 *
 * A read that started before an invalidation must not put back what it read: `generation`
 * changes on every forget, and `remember` refuses an entry read under an older one.
 */
export class CredentialIndex {
  private readonly entries = new Map<string, Entry>();
  private readonly byDevice = new Map<string, Set<string>>();
  private gen = 0;
  private suspended = false;

  constructor(private readonly maxEntries = 100_000) {}

  /** Taken before reading the store; handed back to `remember`. */
  get generation(): number {
    return this.gen;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The active device holding the credential with this hash, if known and fresh at `now`. */
  lookup(credentialHash: string, now: number): SyncDevice | undefined {
    const entry = this.entries.get(credentialHash);
    if (!entry) return undefined;
    if (now < entry.until) return entry.device;
    this.drop(credentialHash, entry.device.id);
    return undefined;
  }

  /**
   * Holds an active device read from the store under `generation`, until `until`. Refused
   * when anything was forgotten since (the read may predate a revoke) or while suspended.
   */
  remember(credentialHash: string, device: SyncDevice, generation: number, until: number): void {
    if (this.suspended || generation !== this.gen) return;
    if (this.entries.size >= this.maxEntries && !this.entries.has(credentialHash)) {
      // Bounded memory: the oldest entry goes (Map keeps insertion order).
      const [oldest] = this.entries;
      if (oldest) this.drop(oldest[0], oldest[1].device.id);
    }
    this.entries.set(credentialHash, {
      device: { id: device.id, groupId: device.groupId, userId: device.userId },
      until,
    });
    let hashes = this.byDevice.get(device.id);
    if (!hashes) this.byDevice.set(device.id, (hashes = new Set()));
    hashes.add(credentialHash);
  }

  /** Every credential of these devices goes back to the store on its next request. */
  forget(deviceIds: Iterable<string>): void {
    this.gen++;
    for (const id of deviceIds) {
      for (const hash of this.byDevice.get(id) ?? []) this.entries.delete(hash);
      this.byDevice.delete(id);
    }
  }

  /** Every device the user owned (when their devices are revoked with their account). */
  forgetUser(userId: string): void {
    const ids = new Set<string>();
    for (const { device } of this.entries.values())
      if (device.userId === userId) ids.add(device.id);
    this.forget(ids);
  }

  clear(): void {
    this.gen++;
    this.entries.clear();
    this.byDevice.clear();
  }

  /** Empties the index and holds nothing until `resume` (the relay that keeps it true is down). */
  suspend(): void {
    this.suspended = true;
    this.clear();
  }

  resume(): void {
    this.clear();
    this.suspended = false;
  }

  private drop(credentialHash: string, deviceId: string): void {
    this.entries.delete(credentialHash);
    const hashes = this.byDevice.get(deviceId);
    hashes?.delete(credentialHash);
    if (hashes?.size === 0) this.byDevice.delete(deviceId);
  }
}

/**
 * The store, with every write that changes a device's status, group or owner forgetting
 * that device in the index once it is done: revoke, wipe and its completion, moves,
 * claims, and a rejected or superseded account's devices. Services then cannot forget to.
 * `touchDevice` and `setAppliedVersion` change nothing sync reads and keep entries.
 */
export function indexedStore(store: Store, index: CredentialIndex): Store {
  return {
    ...store,
    async setDeviceStatus(id, status) {
      try {
        await store.setDeviceStatus(id, status);
      } finally {
        index.forget([id]);
      }
    },
    async moveUserDevices(userId, groupId) {
      const moved = await store
        .moveUserDevices(userId, groupId)
        .finally(() => index.forgetUser(userId));
      index.forget(moved);
      return moved;
    },
    async assignDeviceUser(deviceId, userId) {
      try {
        return await store.assignDeviceUser(deviceId, userId);
      } finally {
        index.forget([deviceId]);
      }
    },
    async deleteUnverifiedUser(id) {
      // Its devices by the database, too: an entry may predate a claim made on another instance.
      const devices = await store.listDevices({ userId: id });
      try {
        return await store.deleteUnverifiedUser(id);
      } finally {
        index.forgetUser(id);
        index.forget(devices.map((d) => d.id));
      }
    },
  };
}
