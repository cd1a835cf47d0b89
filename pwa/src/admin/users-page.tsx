import { useRowAction } from '../components/use-row-action.tsx';
import { adminApi } from '../api/admin-api.ts';
import type { Role, UserRow } from '../api/types.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { ErrorText } from '../components/error-text.tsx';
import { useResource } from '../components/use-resource.ts';
import { useSession } from '../session/session.tsx';
import { ApprovalQueue } from './approval-queue.tsx';
import { BulkInvite } from './bulk-invite.tsx';
import { InviteForm } from './invite-form.tsx';
import { DataTable } from '../components/data-table.tsx';

const ROLES: { value: Role; label: string }[] = [
  { value: 'employee', label: 'Employee' },
  { value: 'auditor', label: 'Auditor' },
  { value: 'admin', label: 'Admin' },
];

/**
 * People and their roles: invite anyone (employees one by one or from a CSV list), approve
 * or reject the accounts a shared enrollment code made, change a role, disable an account.
 */
export function UsersPage() {
  const users = useResource(async () => (await adminApi.users()).users, []);
  const groups = useResource(async () => (await adminApi.groups()).groups, []);
  const { state } = useSession();
  const me = state.status === 'signed-in' ? state.user.id : '';
  const rows = useRowAction();

  const update = (u: UserRow, patch: { role?: Role; disabled?: boolean }) =>
    rows.run(u.id, async () => {
      await adminApi.updateUser(u.id, patch);
      users.reload();
    });
  const groupName = (id: string | null | undefined) =>
    id ? (groups.data?.find((g) => g.id === id)?.name ?? '—') : '—';

  return (
    <section>
      <h1 tabIndex={-1}>Users</h1>
      <ApprovalQueue users={users.data ?? []} groupName={groupName} onChanged={users.reload} />
      <InviteForm groups={groups.data ?? []} />
      <BulkInvite />
      <section class="card" aria-labelledby="users-title">
        <h2 id="users-title">Everyone</h2>
        <ErrorText error={users.error} />
        <DataTable
          columns={['Name', 'Email', 'Group', 'Role', 'Account']}
          busy={users.loading}
          items={users.data ?? []}
          row={(u) => (
            <tr key={u.id} class={u.disabled ? 'muted' : undefined}>
              <th scope="row">
                {u.name}
                {u.id === me && <span class="hint"> (you)</span>}
              </th>
              <td>
                {u.email}
                {!u.emailVerified && (
                  <span
                    class="badge warn"
                    title="Made with a shared enrollment code: the email is not proven until an admin approves it."
                  >
                    unverified
                  </span>
                )}
              </td>
              <td>{u.groupName ?? groupName(u.groupId)}</td>
              <td>
                <label class="visually-hidden" for={`role-${u.id}`}>
                  Role of {u.name}
                </label>
                <select
                  id={`role-${u.id}`}
                  value={u.role}
                  disabled={u.id === me}
                  onChange={(e) => void update(u, { role: e.currentTarget.value as Role })}
                >
                  {ROLES.map((r) => (
                    <option key={r.value} value={r.value}>
                      {r.label}
                    </option>
                  ))}
                </select>
              </td>
              <td class="actions">
                {u.disabled ? (
                  <button
                    type="button"
                    onClick={() => void update(u, { disabled: false })}
                    aria-label={`Enable ${u.name}`}
                  >
                    Enable
                  </button>
                ) : (
                  u.id !== me && (
                    <ConfirmButton
                      label={`Disable`}
                      danger
                      question={`Disable ${u.name}? They are signed out everywhere and cannot sign in until enabled again. Their devices keep their current policy.`}
                      confirmLabel={`Yes, disable ${u.name}`}
                      onConfirm={() => update(u, { disabled: true })}
                    />
                  )
                )}
                {rows.errorFor(u.id)}
              </td>
            </tr>
          )}
        />
      </section>
    </section>
  );
}
