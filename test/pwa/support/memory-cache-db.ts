/** One cached record, as pwa/src/storage/db.ts keeps it. */
export interface CachedRecord {
  key: string;
  value: unknown;
  updatedAt: string;
}

export type CacheStore = Map<string, CachedRecord>;

/**
 * The PWA's one storage module over a Map, for happy-dom and Node, which have no IndexedDB.
 * Return it from the `vi.mock` factory; pass a `vi.hoisted` Map to read or seed the cache.
 *
 * @example
 * const store = vi.hoisted(() => new Map<string, CachedRecord>());
 * vi.mock('../../pwa/src/storage/db.ts', async () =>
 *   (await import('./support/memory-cache-db.ts')).memoryCacheDb(store),
 * );
 */
export function memoryCacheDb(store: CacheStore = new Map()) {
  return {
    cacheDb: {
      get: async (key: string) => store.get(key),
      put: async (key: string, value: unknown, updatedAt = new Date().toISOString()) =>
        void store.set(key, { key, value, updatedAt }),
      // As the real one: the server's key and this browser's device id stay.
      clearPersonal: async () => ['me', 'devices', 'policy'].forEach((k) => store.delete(k)),
    },
  };
}
