import { niceMax } from './nice-max.ts';

interface Props {
  title: string;
  data: { bucket: string; count: number }[];
  /** Formats a bucket (an ISO time) for the axis and tooltips. */
  formatBucket(bucket: string): string;
}

// Close to the size it is drawn at, so 12px text stays about 12px on screen.
const W = 400;
const H = 180;
const PAD = { top: 10, right: 6, bottom: 24, left: 34 };

/**
 * Counts over time as columns, in SVG with a fixed viewBox (it scales with its box and
 * never shifts the layout). The same numbers are in a table for screen readers.
 */
export function TimeBars({ title, data, formatBucket }: Props) {
  const max = niceMax(Math.max(0, ...data.map((d) => d.count)));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const step = data.length ? innerW / data.length : innerW;
  const barW = Math.max(1, step * 0.8);
  const y = (v: number) => PAD.top + innerH - (v / max) * innerH;
  const labelEvery = Math.max(1, Math.ceil(data.length / 5));
  const total = data.reduce((s, d) => s + d.count, 0);

  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`${title}: ${total} in total over ${data.length} intervals`}
        class="chart-svg"
      >
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line class="grid" x1={PAD.left} x2={W - PAD.right} y1={y(max * f)} y2={y(max * f)} />
            <text class="axis" x={PAD.left - 6} y={y(max * f) + 4} text-anchor="end">
              {Math.round(max * f)}
            </text>
          </g>
        ))}
        {data.map((d, i) => (
          <rect
            key={d.bucket}
            class="bar"
            x={PAD.left + i * step + (step - barW) / 2}
            y={y(d.count)}
            width={barW}
            height={Math.max(0, y(0) - y(d.count))}
          >
            <title>{`${formatBucket(d.bucket)}: ${d.count}`}</title>
          </rect>
        ))}
        {data.map((d, i) =>
          i % labelEvery === 0 ? (
            <text
              key={`l-${d.bucket}`}
              class="axis"
              x={PAD.left + i * step + step / 2}
              y={H - 8}
              text-anchor="middle"
            >
              {formatBucket(d.bucket)}
            </text>
          ) : null,
        )}
      </svg>
      {data.length === 0 && <p class="hint">No events in this range.</p>}
      <table class="visually-hidden">
        <caption>{title}</caption>
        <tbody>
          {data.map((d) => (
            <tr key={d.bucket}>
              <th scope="row">{formatBucket(d.bucket)}</th>
              <td>{d.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
