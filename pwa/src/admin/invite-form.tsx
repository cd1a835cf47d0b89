import { useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../api/api-error.ts';
import { adminApi } from '../api/admin-api.ts';
import { CopyButton } from '../components/copy-button.tsx';
import { TextField } from '../components/text-field.tsx';
import { formatDateTime } from '../lib/format.ts';

/** Invites an admin or auditor: the server makes a single-use link to send them. */
export function InviteForm() {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<'admin' | 'auditor'>('auditor');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [invite, setInvite] = useState<{ link: string; expiresAt: string; email: string } | null>(
    null,
  );

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setInvite(null);
    try {
      const r = await adminApi.invite({ email: email.trim(), role });
      setInvite({ ...r, email: email.trim() });
      setEmail('');
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="invite-title">
      <h2 id="invite-title">Invite an admin or auditor</h2>
      <form class="inline-form" onSubmit={submit}>
        <TextField
          id="invite-email"
          label="Email"
          type="email"
          value={email}
          onValue={setEmail}
          required
          autoComplete="off"
          error={error}
        />
        <div class="field">
          <label for="invite-role">Role</label>
          <select
            id="invite-role"
            value={role}
            onChange={(e) => setRole(e.currentTarget.value as 'admin' | 'auditor')}
          >
            <option value="auditor">Auditor — reads and exports the audit trail</option>
            <option value="admin">Admin — manages policies, devices and people</option>
          </select>
        </div>
        <button type="submit" class="primary" disabled={busy}>
          Create invitation
        </button>
      </form>
      {invite && (
        <div class="created-link" role="status">
          <label for="invite-link">
            Invitation link for {invite.email} (single use, until {formatDateTime(invite.expiresAt)}
            )
          </label>
          <div class="row">
            <input
              id="invite-link"
              readOnly
              value={invite.link}
              onFocus={(e) => e.currentTarget.select()}
            />
            <CopyButton text={invite.link} label="Copy" what="invitation link" />
          </div>
        </div>
      )}
    </section>
  );
}
