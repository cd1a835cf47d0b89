import { useEffect, useState } from 'preact/hooks';
import type { ApiError } from '../api/api-error.ts';
import { auditApi } from '../api/audit-api.ts';
import type { AuditFilter, StoredAuditEvent } from '../api/types.ts';
import { useResource } from '../components/use-resource.ts';

export interface AuditPages {
  events: StoredAuditEvent[];
  hasMore: boolean;
  loading: boolean;
  error: ApiError | null;
  /** Reloads the first page (newest events). */
  refresh(): void;
  loadMore(): void;
}

/**
 * Cursor paging over the audit search: the first page on filter change, then "load more".
 * Each page is one `useResource` load (its stale-answer guard included) keyed by the filter
 * and the cursor; this hook only gathers the pages.
 */
export function useAuditPages(filter: AuditFilter, pageSize = 50): AuditPages {
  const key = JSON.stringify(filter);
  // The cursor belongs to the filter it was read under: a new filter starts from the top.
  const [next, setNext] = useState<{ key: string; cursor: string } | null>(null);
  const cursor = next?.key === key ? next.cursor : null;
  const page = useResource(() => auditApi.search(filter, cursor, pageSize), [key, cursor]);
  const [events, setEvents] = useState<StoredAuditEvent[]>([]);

  useEffect(() => {
    const loaded = page.data?.events;
    if (!loaded) return;
    if (cursor === null) return setEvents(loaded);
    // A refresh between pages can repeat events at the edge: keep each seq once.
    setEvents((prev) => {
      const seen = new Set(prev.map((e) => e.seq));
      return [...prev, ...loaded.filter((e) => !seen.has(e.seq))];
    });
  }, [page.data]);

  const nextCursor = page.data?.nextCursor ?? null;
  return {
    events,
    hasMore: nextCursor !== null,
    loading: page.loading,
    error: page.error,
    refresh: () => (cursor === null ? page.reload() : setNext(null)),
    loadMore: () => {
      if (nextCursor !== null && !page.loading) setNext({ key, cursor: nextCursor });
    },
  };
}
