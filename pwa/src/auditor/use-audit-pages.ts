import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../api/api-error.ts';
import { auditApi } from '../api/audit-api.ts';
import type { AuditFilter, StoredAuditEvent } from '../api/types.ts';

export interface AuditPages {
  events: StoredAuditEvent[];
  hasMore: boolean;
  loading: boolean;
  error: ApiError | null;
  /** Reloads the first page (newest events). */
  refresh(): void;
  loadMore(): void;
}

/** Cursor paging over the audit search: the first page on filter change, then "load more". */
export function useAuditPages(filter: AuditFilter, pageSize = 50): AuditPages {
  const [events, setEvents] = useState<StoredAuditEvent[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  const key = JSON.stringify(filter);

  useEffect(() => {
    const mine = ++seq.current;
    setLoading(true);
    auditApi.search(filter, null, pageSize).then(
      (page) => {
        if (mine !== seq.current) return;
        setEvents(page.events);
        setCursor(page.nextCursor);
        setError(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (mine !== seq.current) return;
        setError(toApiError(err));
        setLoading(false);
      },
    );
  }, [key, tick]);

  const loadMore = useCallback(() => {
    if (!cursor) return;
    const mine = ++seq.current;
    setLoading(true);
    auditApi.search(filter, cursor, pageSize).then(
      (page) => {
        if (mine !== seq.current) return;
        // A refresh between pages can repeat events at the edge: keep each seq once.
        setEvents((prev) => {
          const seen = new Set(prev.map((e) => e.seq));
          return [...prev, ...page.events.filter((e) => !seen.has(e.seq))];
        });
        setCursor(page.nextCursor);
        setLoading(false);
      },
      (err: unknown) => {
        if (mine !== seq.current) return;
        setError(toApiError(err));
        setLoading(false);
      },
    );
  }, [cursor, key]);

  const refresh = useCallback(() => setTick((t) => t + 1), []);
  return { events, hasMore: cursor !== null, loading, error, refresh, loadMore };
}
