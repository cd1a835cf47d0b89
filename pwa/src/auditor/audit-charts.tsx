import { auditApi } from '../api/audit-api.ts';
import { ErrorText } from '../components/error-text.tsx';
import { HBarChart } from '../components/charts/hbar-chart.tsx';
import { TimeBars } from '../components/charts/time-bars.tsx';
import { useResource } from '../components/use-resource.ts';

const hour = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const day = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

/** Bucket labels by bucket width: hours within a day, dates beyond. */
function bucketFormatter(buckets: string[]): (b: string) => string {
  const [a, b] = buckets.map((x) => new Date(x).getTime());
  const width = a !== undefined && b !== undefined ? Math.abs(b - a) : 86_400_000;
  const fmt = width < 86_400_000 ? hour : day;
  return (x) => {
    const d = new Date(x);
    return Number.isNaN(d.getTime()) ? x : fmt.format(d);
  };
}

/** Blocked events over time, top rules and top sites for the selected time range. */
export function AuditCharts({
  from,
  to,
  refreshKey,
}: {
  from?: string;
  to?: string;
  refreshKey: number;
}) {
  const stats = useResource(() => auditApi.stats({ from, to }), [from, to, refreshKey]);
  const s = stats.data;
  return (
    <section class="card charts" aria-labelledby="charts-title" aria-busy={stats.loading}>
      <h2 id="charts-title">Blocked access</h2>
      <ErrorText error={stats.error} />
      <div class="chart-grid">
        <TimeBars
          title="Blocked over time"
          data={s?.overTime ?? []}
          formatBucket={bucketFormatter((s?.overTime ?? []).map((x) => x.bucket))}
        />
        <HBarChart
          title="Top rules"
          data={(s?.topRules ?? []).map((r) => ({ label: r.ruleId, count: r.count }))}
        />
        <HBarChart
          title="Top sites"
          data={(s?.topSites ?? []).map((r) => ({ label: r.site, count: r.count }))}
        />
      </div>
    </section>
  );
}
