import type { DiffEntry } from '../api/types.ts';

const OP_WORDS = { add: 'Added', remove: 'Removed', change: 'Changed' } as const;

function show(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v, null, 1);
}

/**
 * What publishing changes: the draft against the live version, field by field. A list
 * rather than a table so it reads in the editor's narrow side column and on phones.
 */
export function DiffList({ diff }: { diff: DiffEntry[] }) {
  if (diff.length === 0) return <p>No changes against the live version.</p>;
  return (
    <ul class="diff-list" aria-label="Changes against the live version">
      {diff.map((d, i) => (
        <li key={`${d.path}-${i}`} class={`diff-${d.op}`}>
          <div class="row">
            <code>{d.path}</code>
            <span class="badge">{OP_WORDS[d.op]}</span>
          </div>
          {d.before !== undefined && (
            <div class="diff-value">
              <span class="hint">Live</span>
              <pre>{show(d.before)}</pre>
            </div>
          )}
          {d.after !== undefined && (
            <div class="diff-value">
              <span class="hint">Draft</span>
              <pre>{show(d.after)}</pre>
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}
