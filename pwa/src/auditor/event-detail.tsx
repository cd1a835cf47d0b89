import { useEffect, useRef } from 'preact/hooks';
import type { AuditFilter, StoredAuditEvent } from '../api/types.ts';
import { formatDateTime } from '../lib/format.ts';
import { KIND_WORDS } from './audit-filters.tsx';
import { OUTCOME_WORDS } from './audit-table.tsx';

/** One audit event in full — every stored field, the chain hashes included. */
export function EventDetail({
  event: e,
  onClose,
  onFilter,
}: {
  event: StoredAuditEvent;
  onClose(): void;
  onFilter(patch: AuditFilter): void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [e.seq]);
  const rows: [string, string | undefined][] = [
    ['Kind', KIND_WORDS[e.kind] ?? e.kind],
    ['Happened', formatDateTime(e.time, undefined, true)],
    ['Received', formatDateTime(e.receivedAt, undefined, true)],
    ['Outcome', e.outcome ? (OUTCOME_WORDS[e.outcome] ?? e.outcome) : undefined],
    ['Level', e.level],
    ['Action', e.action],
    ['Address', e.url],
    ['Destination', e.destinationUrl],
    ['Rule', e.ruleName ? `${e.ruleName} (${e.ruleId ?? ''})` : e.ruleId],
    ['Policy version', e.policyVersion?.toString()],
    ['User', e.userEmail ?? e.userId],
    [
      'Claimed user',
      e.claimedEmail &&
        `${e.claimedEmail} (what the browser's managed configuration says; unproven)`,
    ],
    ['Device', e.deviceId],
    ['Admin', e.actor],
    ['Admin action', e.adminAction],
    ['Target', e.target],
    ['Event id', e.id],
  ];
  return (
    <section class="card detail" aria-labelledby="event-title">
      <div class="row">
        <h2 id="event-title" tabIndex={-1} ref={heading}>
          Event #{e.seq}
        </h2>
        <button type="button" onClick={onClose} aria-label="Close event details">
          Close
        </button>
      </div>
      <dl class="facts">
        {rows
          .filter(([, v]) => v !== undefined && v !== '')
          .map(([k, v]) => [<dt key={`${k}-t`}>{k}</dt>, <dd key={`${k}-d`}>{v}</dd>])}
      </dl>
      <div class="row">
        {e.userId && (
          <button type="button" onClick={() => onFilter({ userId: e.userId })}>
            Only this user
          </button>
        )}
        {e.deviceId && (
          <button type="button" onClick={() => onFilter({ deviceId: e.deviceId })}>
            Only this device
          </button>
        )}
        {e.ruleId && (
          <button type="button" onClick={() => onFilter({ ruleId: e.ruleId })}>
            Only this rule
          </button>
        )}
      </div>
      <details>
        <summary>Stored record (JSON)</summary>
        <pre class="code">{JSON.stringify(e, null, 2)}</pre>
      </details>
    </section>
  );
}
