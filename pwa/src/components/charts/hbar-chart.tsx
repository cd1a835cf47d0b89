import { niceMax } from './nice-max.ts';

interface Props {
  title: string;
  data: { label: string; count: number }[];
  empty?: string;
}

// Close to the size it is drawn at, so 12px text stays about 12px on screen.
const W = 380;
const ROW = 24;
const LABEL_W = 160;

/** A ranked list as horizontal bars (top rules, top sites), readable as a list too. */
export function HBarChart({ title, data, empty = 'Nothing in this range.' }: Props) {
  const max = niceMax(Math.max(0, ...data.map((d) => d.count)));
  const barMax = W - LABEL_W - 40;
  const H = Math.max(ROW, data.length * ROW) + 4;
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      {data.length === 0 ? (
        <p class="hint">{empty}</p>
      ) : (
        <svg
          viewBox={`0 0 ${W} ${H}`}
          role="img"
          aria-label={`${title}: ${data.map((d) => `${d.label} ${d.count}`).join(', ')}`}
          class="chart-svg"
        >
          {data.map((d, i) => {
            const yTop = i * ROW + 2;
            const w = Math.max(1, (d.count / max) * barMax);
            const label = d.label.length > 24 ? `${d.label.slice(0, 23)}…` : d.label;
            return (
              <g key={d.label}>
                <title>{`${d.label}: ${d.count}`}</title>
                <text class="axis" x={LABEL_W - 6} y={yTop + ROW / 2 + 4} text-anchor="end">
                  {label}
                </text>
                <rect class="bar" x={LABEL_W} y={yTop + 4} width={w} height={ROW - 10} />
                <text class="axis" x={LABEL_W + w + 6} y={yTop + ROW / 2 + 4}>
                  {d.count}
                </text>
              </g>
            );
          })}
        </svg>
      )}
    </figure>
  );
}
