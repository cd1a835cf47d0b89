import { useAction } from '../components/use-action.ts';
import { useState } from 'preact/hooks';
import { adminApi } from '../api/admin-api.ts';
import { toApiError, type ApiError } from '../api/api-error.ts';
import type { AccessDecision, AccessRequest } from '../api/types.ts';
import { ErrorText } from '../components/error-text.tsx';
import { SelectField } from '../components/select-field.tsx';
import { useResource } from '../components/use-resource.ts';
import { ACCESS_STATE } from '../lib/access-state.ts';
import { formatDateTime, formatRelative } from '../lib/format.ts';
import { DataTable } from '../components/data-table.tsx';

const DURATIONS = [
  { value: '1h', label: '1 hour' },
  { value: '1d', label: '1 day' },
  { value: 'always', label: 'Always' },
] as const;

const SCOPES = [
  { value: 'user', label: 'All of this person’s devices' },
  { value: 'device', label: 'This device only' },
] as const;

/**
 * The queue of "Request access" from blocked pages: approve for a time, for the person (all
 * their devices) or that device, or deny with a note. An approval reaches the devices as a
 * signed exception within a second, and ends by itself (docs/access-requests.md).
 */
export function AccessRequestsPage() {
  const pending = useResource(async () => (await adminApi.accessRequests('pending')).requests, []);
  const decided = useResource(async () => (await adminApi.accessRequests()).requests, []);
  const reload = () => {
    pending.reload();
    decided.reload();
  };
  const history = (decided.data ?? []).filter((r) => r.state !== 'pending');

  return (
    <section>
      <h1 tabIndex={-1}>Access requests</h1>
      <section class="card" aria-labelledby="queue-title">
        <h2 id="queue-title">
          Waiting for a decision
          {(pending.data?.length ?? 0) > 0 && (
            <span class="badge warn">{pending.data!.length}</span>
          )}
        </h2>
        <ErrorText error={pending.error} />
        {pending.data?.length === 0 && <p>No requests are waiting.</p>}
        {pending.data?.map((r) => (
          <PendingRequest key={r.id} request={r} onDecided={reload} />
        ))}
      </section>
      <section class="card" aria-labelledby="history-title">
        <h2 id="history-title">Decided</h2>
        <ErrorText error={decided.error} />
        {history.length === 0 ? (
          <p>Nothing decided yet.</p>
        ) : (
          <DataTable
            columns={['Access to', 'Who', 'State', 'Until', 'Decided by', 'Action']}
            items={history}
            row={(r) => <DecidedRow key={r.id} request={r} onChanged={reload} />}
          />
        )}
      </section>
    </section>
  );
}

function who(r: AccessRequest): string {
  const person = r.user ? (r.user.name ?? r.user.email ?? 'Unknown person') : 'No user';
  return `${person} · ${r.device.name ?? r.device.id}`;
}

function PendingRequest({ request: r, onDecided }: { request: AccessRequest; onDecided(): void }) {
  const [duration, setDuration] = useState<'1h' | '1d' | 'always'>('1h');
  const [scope, setScope] = useState<'user' | 'device'>(r.user ? 'user' : 'device');
  const [note, setNote] = useState('');
  const { busy, error, perform } = useAction();
  const decide = async (body: AccessDecision) => {
    await perform(async () => {
      await adminApi.decideAccess(r.id, body);
      onDecided();
    });
  };
  const idFor = (what: string) => `access-${what}-${r.id}`;
  return (
    <article class="access-request" aria-labelledby={idFor('title')}>
      <h3 id={idFor('title')}>
        <code>{r.filter}</code>
      </h3>
      <p>
        {who(r)} ·{' '}
        <time dateTime={r.createdAt} title={formatDateTime(r.createdAt)}>
          {formatRelative(r.createdAt)}
        </time>
      </p>
      <blockquote>{r.reason}</blockquote>
      <p class="hint">
        Blocked by <code>{r.blockFilter}</code>
        {r.url ? ` at ${r.url}` : ''}.
      </p>
      <div class="filters">
        <SelectField
          id={idFor('duration')}
          label="For"
          value={duration}
          onValue={setDuration}
          options={DURATIONS}
        />
        <SelectField
          id={idFor('scope')}
          label="Covers"
          value={scope}
          onValue={setScope}
          // A device without a signed-in person can only be covered by itself.
          options={r.user ? SCOPES : SCOPES.filter((o) => o.value === 'device')}
        />
        <div class="field">
          <label for={idFor('note')}>Note (sent with a denial)</label>
          <input
            id={idFor('note')}
            maxLength={500}
            value={note}
            onInput={(e) => setNote(e.currentTarget.value)}
          />
        </div>
      </div>
      <div class="actions">
        <button
          type="button"
          class="primary"
          disabled={busy}
          onClick={() => void decide({ decision: 'approve', duration, scope })}
        >
          Approve
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={() => void decide({ decision: 'deny', note: note.trim() || undefined })}
        >
          Deny
        </button>
      </div>
      <ErrorText error={error} />
    </article>
  );
}

function DecidedRow({ request: r, onChanged }: { request: AccessRequest; onChanged(): void }) {
  const [error, setError] = useState<ApiError | null>(null);
  const revoke = async () => {
    setError(null);
    try {
      await adminApi.decideAccess(r.id, { decision: 'revoke' });
      onChanged();
    } catch (err) {
      setError(toApiError(err));
    }
  };
  return (
    <tr>
      <th scope="row">
        <code>{r.filter}</code>
        <span class="hint block">{r.reason}</span>
      </th>
      <td>{who(r)}</td>
      <td>
        {ACCESS_STATE[r.state]}
        {r.scope && <span class="hint block">{r.scope === 'user' ? 'person' : 'device'}</span>}
        {r.note && <span class="hint block">{r.note}</span>}
      </td>
      <td>
        {r.state === 'approved' ? (r.expiresAt ? formatDateTime(r.expiresAt) : 'Always') : '—'}
      </td>
      <td>{r.decidedBy ?? '—'}</td>
      <td>
        {r.state === 'approved' && (
          <button type="button" onClick={() => void revoke()}>
            Revoke
          </button>
        )}
        <ErrorText error={error} />
      </td>
    </tr>
  );
}
