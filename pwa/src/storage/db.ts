/**
 * The PWA's IndexedDB (the only module that touches it): what the employee views show
 * when offline, each record stamped with the time it was fetched.
 *
 * Contents are re-checked on the way out: a record of the wrong shape (an old schema, a
 * tampered profile) reads as missing rather than crashing a view. The policy is cached as
 * the signed envelope and verified again before it is shown (see load-my-policy.ts).
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { SignedEnvelope } from '../../../core/crypto/envelope.ts';
import type { Device, PublicKey, User } from '../api/types.ts';

/** What each cache key holds. */
export interface CacheValues {
  me: User;
  devices: Device[];
  /** The signed effective policy of /me/policy, verified again on every read. */
  policy: { envelope: SignedEnvelope; version: number };
  publicKey: PublicKey;
  /** The device record this browser registered as, so home can offer pairing for it. */
  thisDevice: { deviceId: string; userId: string };
}
export type CacheKey = keyof CacheValues;

export interface Cached<K extends CacheKey> {
  key: K;
  value: CacheValues[K];
  /** ISO time the value was fetched from the server. */
  updatedAt: string;
}

interface PalisadeDB extends DBSchema {
  cache: { key: CacheKey; value: Cached<CacheKey> };
}

const DB_NAME = 'palisade';
let dbPromise: Promise<IDBPDatabase<PalisadeDB>> | null = null;

function db(): Promise<IDBPDatabase<PalisadeDB>> {
  dbPromise ??= openDB<PalisadeDB>(DB_NAME, 1, {
    upgrade(database) {
      database.createObjectStore('cache', { keyPath: 'key' });
    },
  });
  return dbPromise;
}

/** Shape checks per key: enough to know the views will not throw on it. */
const checks: { [K in CacheKey]: (v: unknown) => boolean } = {
  me: (v) => isObj(v) && typeof v.id === 'string' && typeof v.role === 'string',
  devices: (v) => Array.isArray(v) && v.every((d) => isObj(d) && typeof d.id === 'string'),
  policy: (v) => isObj(v) && isObj(v.envelope) && typeof v.version === 'number',
  publicKey: (v) => isObj(v) && typeof v.keyId === 'string' && isObj(v.jwk),
  thisDevice: (v) => isObj(v) && typeof v.deviceId === 'string' && typeof v.userId === 'string',
};

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

export const cacheDb = {
  async get<K extends CacheKey>(key: K): Promise<Cached<K> | undefined> {
    try {
      const rec = await (await db()).get('cache', key);
      if (!rec || typeof rec.updatedAt !== 'string' || !checks[key](rec.value)) return undefined;
      return rec as Cached<K>;
    } catch {
      // Private mode or a blocked database: behave as an empty cache.
      return undefined;
    }
  },

  async put<K extends CacheKey>(
    key: K,
    value: CacheValues[K],
    updatedAt = new Date().toISOString(),
  ): Promise<void> {
    try {
      await (await db()).put('cache', { key, value, updatedAt } as Cached<CacheKey>);
    } catch {
      // Caching is best effort; the online view already has the data.
    }
  },

  /**
   * On sign-out: nothing about this person's status or policy stays on a shared browser.
   * The server's public key and which device record this browser is (an id, tied to its
   * user) stay, so signing back in can pair the same device.
   */
  async clearPersonal(): Promise<void> {
    try {
      const tx = (await db()).transaction('cache', 'readwrite');
      await Promise.all([
        tx.store.delete('me'),
        tx.store.delete('devices'),
        tx.store.delete('policy'),
        tx.done,
      ]);
    } catch {
      // Nothing cached, nothing to clear.
    }
  },
};
