import { useRowAction } from '../components/use-row-action.tsx';
import { DataTable } from '../components/data-table.tsx';
import { useState } from 'preact/hooks';
import { adminApi } from '../api/admin-api.ts';
import type { UserRow } from '../api/types.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { formatDateTime } from '../lib/format.ts';

/**
 * Accounts a shared enrollment code made: whoever had the code typed the email, so it is
 * not proven until an admin who knows the person approves it. Rejecting removes the
 * account and revokes its devices (a verified account is disabled instead, never removed).
 */
export function ApprovalQueue({
  users,
  groupName,
  onChanged,
}: {
  /** Everyone; the queue shows the unverified ones. */
  users: UserRow[];
  groupName(id: string | null | undefined): string;
  onChanged(): void;
}) {
  const rows = useRowAction();
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const pending = users.filter((u) => !u.emailVerified);
  // The server's user list has no creation time yet; the column appears once it does.
  const showCreated = pending.some((u) => u.createdAt);

  const act = async (u: UserRow, what: 'approve' | 'reject') => {
    setDone(null);
    setBusy(u.id);
    await rows.run(u.id, async () => {
      if (what === 'approve') await adminApi.approveUser(u.id);
      else await adminApi.rejectUser(u.id);
      setDone(
        what === 'approve'
          ? `Approved ${u.name}: ${u.email} now counts as theirs.`
          : `Rejected ${u.name}: the account is removed and its devices are revoked.`,
      );
      onChanged();
    });
    setBusy(null);
  };

  return (
    <section class="card" aria-labelledby="approval-title">
      <h2 id="approval-title">
        Awaiting approval
        {pending.length > 0 && <span class="badge warn">{pending.length}</span>}
      </h2>
      <p class="hint">
        These accounts were made with a shared enrollment code, so their email address is what the
        person typed, not proven. Approve the people you know; reject the rest. An invitation proves
        the address instead.
      </p>
      {pending.length === 0 ? (
        <p>Nobody is waiting for approval.</p>
      ) : (
        <DataTable
          label="Accounts awaiting approval"
          columns={['Name', 'Email', 'Group', showCreated && 'Created', 'Actions']}
          items={pending}
          row={(u) => (
            <tr key={u.id}>
              <th scope="row">{u.name}</th>
              <td>{u.email}</td>
              <td>{u.groupName ?? groupName(u.groupId)}</td>
              {showCreated && <td>{formatDateTime(u.createdAt)}</td>}
              <td class="actions">
                <button
                  type="button"
                  class="primary"
                  disabled={busy === u.id}
                  onClick={() => void act(u, 'approve')}
                  aria-label={`Approve ${u.name}`}
                >
                  Approve
                </button>
                <ConfirmButton
                  label="Reject"
                  danger
                  disabled={busy === u.id}
                  question={`Reject ${u.name} (${u.email})? This removes the account and revokes its devices.`}
                  confirmLabel={`Yes, reject ${u.name}`}
                  onConfirm={() => act(u, 'reject')}
                />
                {rows.errorFor(u.id)}
              </td>
            </tr>
          )}
        />
      )}
      {done && (
        <p class="success" role="status">
          {done}
        </p>
      )}
    </section>
  );
}
