import { useEffect, useState } from 'preact/hooks';
import { auditApi } from '../api/audit-api.ts';
import type { AuditFilter } from '../api/types.ts';
import { ErrorText } from '../components/error-text.tsx';
import { navigate, useLocation } from '../router/router.ts';
import { AuditCharts } from './audit-charts.tsx';
import { filterFromQuery, filterToQuery } from './audit-filter-query.ts';
import { AuditFilters } from './audit-filters.tsx';
import { AuditTable } from './audit-table.tsx';
import { ChainVerify } from './chain-verify.tsx';
import { EventDetail } from './event-detail.tsx';
import { useAuditPages } from './use-audit-pages.ts';

/**
 * The auditor's console: search the trail (filters in the address), read any event in
 * full, chart blocked access, export exactly what is filtered, verify the chain.
 */
export function AuditPage() {
  const { query } = useLocation();
  const filter = filterFromQuery(query);
  const pages = useAuditPages(filter);
  const [selected, setSelected] = useState<number | null>(null);
  const [live, setLive] = useState(false);
  const [refreshKey, setRefreshKey] = useState(0);

  const apply = (f: AuditFilter) => {
    setSelected(null);
    navigate(`/audit${filterToQuery(f)}`, { replace: false });
  };
  const refresh = () => {
    pages.refresh();
    setRefreshKey((k) => k + 1);
  };
  useEffect(() => {
    if (!live) return;
    const t = setInterval(() => document.visibilityState === 'visible' && refresh(), 10_000);
    return () => clearInterval(t);
  }, [live]);

  const event = pages.events.find((e) => e.seq === selected) ?? null;
  return (
    <section>
      <h1 tabIndex={-1}>Audit</h1>
      <AuditFilters value={filter} onApply={apply} />
      <AuditCharts from={filter.from} to={filter.to} refreshKey={refreshKey} />
      <section class="card" aria-labelledby="events-title">
        <div class="toolbar">
          <h2 id="events-title">Events</h2>
          <button type="button" onClick={refresh} disabled={pages.loading}>
            Refresh
          </button>
          <label class="check">
            <input
              type="checkbox"
              checked={live}
              onChange={(e) => setLive(e.currentTarget.checked)}
            />
            Refresh every 10 s
          </label>
          <span class="spacer" />
          <a class="button" href={auditApi.exportUrl(filter, 'csv')} download>
            Export CSV
          </a>
          <a class="button" href={auditApi.exportUrl(filter, 'ndjson')} download>
            Export NDJSON
          </a>
        </div>
        <ErrorText error={pages.error} />
        <p class="hint" role="status">
          {pages.loading
            ? 'Loading…'
            : `${pages.events.length}${pages.hasMore ? '+' : ''} ${pages.events.length === 1 ? 'event' : 'events'}, newest first`}
        </p>
        <div class="master-detail">
          <AuditTable
            events={pages.events}
            selected={selected}
            onSelect={setSelected}
            busy={pages.loading}
          />
          {event && (
            <EventDetail
              event={event}
              onClose={() => setSelected(null)}
              onFilter={(patch) => apply({ ...filter, ...patch })}
            />
          )}
        </div>
        {pages.hasMore && (
          <button type="button" onClick={pages.loadMore} disabled={pages.loading}>
            Load older events
          </button>
        )}
      </section>
      <ChainVerify />
    </section>
  );
}
