import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../api/api-error.ts';
import { cacheDb, type CacheKey, type CacheValues } from '../storage/db.ts';

export interface CachedResource<T> {
  data: T | undefined;
  /** When `data` was fetched from the server. */
  updatedAt: string | undefined;
  /** The last fetch could not reach the server: `data` (if any) is from the cache. */
  offline: boolean;
  error: ApiError | null;
  loading: boolean;
  reload(): void;
}

/**
 * Shows the IndexedDB copy at once, then asks the server and caches its answer. When the
 * server cannot be reached the cached copy stays on screen, marked offline.
 *
 * `toView` turns the stored value into what the view shows (and may reject it, e.g. a
 * policy whose signature no longer verifies).
 */
export function useCachedResource<K extends CacheKey, T = CacheValues[K]>(
  key: K,
  fetchFresh: () => Promise<CacheValues[K]>,
  toView: (stored: CacheValues[K]) => Promise<T> = async (v) => v as unknown as T,
): CachedResource<T> {
  const [state, setState] = useState<Omit<CachedResource<T>, 'reload'>>({
    data: undefined,
    updatedAt: undefined,
    offline: false,
    error: null,
    loading: true,
  });
  const [tick, setTick] = useState(0);
  const alive = useRef(true);
  useEffect(() => () => void (alive.current = false), []);

  useEffect(() => {
    let stale = false;
    const set = (patch: Partial<Omit<CachedResource<T>, 'reload'>>) => {
      if (!stale && alive.current) setState((s) => ({ ...s, ...patch }));
    };
    void (async () => {
      set({ loading: true });
      const cached = await cacheDb.get(key);
      // A cached value the view rejects (e.g. a signature that no longer verifies) is not
      // shown; its error is, if the server cannot give a fresh one.
      let cacheError: ApiError | null = null;
      if (cached) {
        try {
          set({ data: await toView(cached.value), updatedAt: cached.updatedAt });
        } catch (err) {
          cacheError = toApiError(err);
        }
      }
      try {
        const fresh = await fetchFresh();
        const view = await toView(fresh);
        const updatedAt = new Date().toISOString();
        await cacheDb.put(key, fresh, updatedAt);
        set({ data: view, updatedAt, offline: false, error: null, loading: false });
      } catch (err) {
        const e = toApiError(err);
        set(
          e.offline
            ? { offline: true, error: cacheError, loading: false }
            : { error: e, offline: false, loading: false },
        );
      }
    })();
    return () => void (stale = true);
  }, [key, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  // Showing cached data: fetch fresh data as soon as the network is back.
  useEffect(() => {
    if (!state.offline) return;
    window.addEventListener('online', reload);
    return () => window.removeEventListener('online', reload);
  }, [state.offline, reload]);
  return { ...state, reload };
}
