import { DataTable } from '../components/data-table.tsx';
import { useState } from 'preact/hooks';
import { ApiError, toApiError } from '../api/api-error.ts';
import { adminApi } from '../api/admin-api.ts';
import type { Invite, InviteProblem } from '../api/types.ts';
import { CopyButton } from '../components/copy-button.tsx';
import { ErrorText } from '../components/error-text.tsx';
import { formatDateTime } from '../lib/format.ts';
import { inviteProblems, problemPlace } from '../lib/invite-problems.ts';
import { invitesText } from '../lib/invites-text.ts';

/** The server takes at most this much CSV text (server/routes/schemas.ts). */
const MAX_CSV_CHARS = 1_000_000;

/**
 * Invites a list of employees at once from CSV — `name,email,group` a line, the header
 * optional, the group by its name — pasted or picked as a file. The server checks every
 * line before inviting anyone: either each person gets a link (listed here to copy, one by
 * one or all together), or every problem is listed with its line and nobody is invited.
 */
export function BulkInvite() {
  const [csv, setCsv] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [problems, setProblems] = useState<InviteProblem[]>([]);
  const [invites, setInvites] = useState<Invite[] | null>(null);
  // A new key empties the file input once its list is sent (its value cannot be set).
  const [fileKey, setFileKey] = useState(0);

  const pick = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return;
    setError(null);
    setProblems([]);
    if (file.size > MAX_CSV_CHARS) {
      setError(
        new ApiError(
          'file_too_large',
          `${file.name} is larger than the 1 MB a list may be: split it and invite each part.`,
        ),
      );
      return;
    }
    try {
      setCsv(await file.text());
      setFileName(file.name);
    } catch (err) {
      setError(toApiError(err));
    }
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setProblems([]);
    setInvites(null);
    try {
      const { invites } = await adminApi.inviteMany(csv);
      setInvites(invites);
      setCsv('');
      setFileName(null);
      setFileKey((k) => k + 1);
    } catch (err) {
      const failure = toApiError(err);
      setError(failure);
      setProblems(inviteProblems(failure.details));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="bulk-invite-title">
      <h2 id="bulk-invite-title">Invite employees from a list</h2>
      <form class="stack" onSubmit={submit}>
        <div class="field">
          <label for="bulk-invite-csv">People to invite, as CSV</label>
          <p class="hint" id="bulk-invite-csv-hint">
            One person a line: name, email address, group (as named on Groups &amp; codes). A header
            line <code>name,email,group</code> is optional; quote a name with a comma in it.
          </p>
          <textarea
            id="bulk-invite-csv"
            rows={6}
            spellcheck={false}
            placeholder={'name,email,group\nAda Lovelace,ada@example.com,Sales'}
            value={csv}
            onInput={(e) => {
              setCsv(e.currentTarget.value);
              setFileName(null);
            }}
            aria-describedby={
              problems.length > 0
                ? 'bulk-invite-csv-hint bulk-invite-problems'
                : 'bulk-invite-csv-hint'
            }
            aria-invalid={problems.length > 0 ? true : undefined}
          />
        </div>
        <div class="field">
          <label for="bulk-invite-file">Or pick a .csv file</label>
          <input
            key={fileKey}
            id="bulk-invite-file"
            type="file"
            accept=".csv,text/csv,text/plain"
            onChange={(e) => void pick(e.currentTarget)}
          />
          {fileName && (
            <p class="hint" role="status">
              Read {fileName}: check it above, then create the invitations.
            </p>
          )}
        </div>
        <div class="field">
          <button type="submit" class="primary" disabled={busy || !csv.trim()}>
            {busy ? 'Inviting…' : 'Create invitations'}
          </button>
        </div>
      </form>
      {problems.length > 0 ? (
        <div class="error-text" role="alert" id="bulk-invite-problems" data-code={error?.code}>
          <p>
            Nobody was invited. Fix{' '}
            {problems.length === 1 ? 'this problem' : `these ${problems.length} problems`} and
            create the invitations again:
          </p>
          <ul aria-label="Problems in the list">
            {problems.map((p, i) => (
              <li key={i}>
                <strong>{problemPlace(p)}:</strong> {p.message}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <ErrorText error={error} />
      )}
      {invites && <InviteLinks invites={invites} />}
    </section>
  );
}

/** The links a bulk invite made, each with its own Copy button, and all of them at once. */
function InviteLinks({ invites }: { invites: Invite[] }) {
  const until = invites.map((i) => i.expiresAt).sort()[0];
  return (
    <div class="created-link stack">
      <p role="status">
        <strong>
          {invites.length} {invites.length === 1 ? 'invitation' : 'invitations'} created.
        </strong>{' '}
        Send each person their own link: it is single use and works until {formatDateTime(until)}.
      </p>
      <div class="row">
        <span class="actions">
          <CopyButton
            text={invitesText(invites, 'csv')}
            label="Copy all as CSV"
            what="invitation links"
          />
          <CopyButton
            text={invitesText(invites, 'lines')}
            label="Copy all as lines"
            what="invitation links"
          />
        </span>
      </div>
      <DataTable
        label="Invitation links"
        columns={['Name', 'Email', 'Link', { hidden: 'Copy' }]}
        items={invites}
        row={(i) => (
          <tr key={i.email}>
            <th scope="row">{i.name ?? '—'}</th>
            <td>{i.email}</td>
            <td class="url-cell">
              <code>{i.link}</code>
            </td>
            <td>
              <CopyButton text={i.link} label="Copy" what={`invitation link for ${i.email}`} />
            </td>
          </tr>
        )}
      />
    </div>
  );
}
