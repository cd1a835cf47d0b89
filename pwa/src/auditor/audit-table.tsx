import type { StoredAuditEvent } from '../api/types.ts';
import { formatDateTime } from '../lib/format.ts';
import { KIND_WORDS } from './audit-filters.tsx';
import { TableHead } from '../components/table-head.tsx';

export const OUTCOME_WORDS: Record<string, string> = {
  blocked: 'Blocked',
  proceeded: 'Continued after warning',
  cancelled: 'Cancelled at warning',
  allowed: 'Allowed, reported',
};

/** Audit events, newest first; each row's time opens the full event. */
export function AuditTable({
  events,
  selected,
  onSelect,
  busy,
}: {
  events: StoredAuditEvent[];
  selected: number | null;
  onSelect(seq: number): void;
  busy: boolean;
}) {
  return (
    <div class="table-wrap">
      <table class="audit-table" aria-busy={busy}>
        <caption class="visually-hidden">Audit events, newest first</caption>
        <TableHead columns={['Time', 'Kind', 'Outcome', 'Who', 'Address', 'Rule']} />
        <tbody>
          {events.map((e) => (
            <tr key={e.seq} class={selected === e.seq ? 'selected' : undefined}>
              <th scope="row">
                <button
                  type="button"
                  class="link-button"
                  onClick={() => onSelect(e.seq)}
                  aria-pressed={selected === e.seq}
                  aria-label={`Event ${e.seq}, ${formatDateTime(e.time, '', true)}: details`}
                >
                  <time dateTime={e.time}>{formatDateTime(e.time, '—', true)}</time>
                </button>
              </th>
              <td>{KIND_WORDS[e.kind] ?? e.kind}</td>
              <td>
                {e.kind === 'admin'
                  ? (e.adminAction ?? '—')
                  : e.kind === 'access'
                    ? accessOutcome(e)
                    : (OUTCOME_WORDS[e.outcome ?? ''] ?? e.outcome ?? '—')}
              </td>
              <td>
                {e.kind === 'admin'
                  ? (e.actor ?? '—')
                  : (e.userEmail ??
                    e.userId ??
                    (e.claimedEmail ? (
                      <span title="What the browser's managed configuration says; not proven">
                        claimed: {e.claimedEmail}
                      </span>
                    ) : (
                      '—'
                    )))}
              </td>
              <td class="url-cell">
                {e.kind === 'admin' || e.kind === 'access'
                  ? (e.target ?? '')
                  : (e.url ?? <span class="hint">not recorded</span>)}
              </td>
              <td>{e.ruleName ?? e.ruleId ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** An app access decision: allowed, or refused with the conditions that failed. */
function accessOutcome(e: StoredAuditEvent): string {
  const failed = (e.detail as Record<string, unknown> | undefined)?.failed;
  if (e.outcome === 'allowed') return 'Access allowed';
  return typeof failed === 'string'
    ? `Access refused (${failed.split(',').join(', ')})`
    : 'Access refused';
}
