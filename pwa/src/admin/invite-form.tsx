import { useAction } from '../components/use-action.ts';
import { useState } from 'preact/hooks';
import { adminApi } from '../api/admin-api.ts';
import type { Group, Invite, Role } from '../api/types.ts';
import { CopyableValue } from '../components/copyable-value.tsx';
import { SelectField, type SelectOption } from '../components/select-field.tsx';
import { TextField } from '../components/text-field.tsx';
import { formatDateTime } from '../lib/format.ts';
import { isFieldError } from '../lib/is-field-error.ts';
import { GroupSelect, useGroupChoice } from './group-select.tsx';

const ROLES: SelectOption<Role>[] = [
  { value: 'employee', label: 'Employee — enrolls their browsers into a group' },
  { value: 'auditor', label: 'Auditor — reads and exports the audit trail' },
  { value: 'admin', label: 'Admin — manages policies, devices and people' },
];

/**
 * Invites one person: the server makes a single-use link to send them. The link proves
 * the email, so the account it creates is verified; an employee's invite also names their
 * group (and the name they are greeted with).
 */
export function InviteForm({ groups }: { groups: Group[] }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('employee');
  const [name, setName] = useState('');
  const [groupId, setGroupId] = useGroupChoice(groups);
  const { busy, error, perform } = useAction();
  const [invite, setInvite] = useState<Invite | null>(null);
  const employee = role === 'employee';

  const submit = async (e: Event) => {
    e.preventDefault();
    setInvite(null);
    await perform(async () => {
      const r = await adminApi.invite(
        employee
          ? { email: email.trim(), role, name: name.trim(), groupId }
          : { email: email.trim(), role, ...(name.trim() ? { name: name.trim() } : {}) },
      );
      setInvite(r);
      setEmail('');
      setName('');
    });
  };

  const nameError = isFieldError(error, 'name') ? error : null;
  const groupError = isFieldError(error, 'groupId') ? error : null;
  const emailError = !nameError && !groupError ? error : null;
  const noGroups = employee && groups.length === 0;

  return (
    <section class="card" aria-labelledby="invite-title">
      <h2 id="invite-title">Invite someone</h2>
      <form class="inline-form" onSubmit={submit}>
        <SelectField id="invite-role" label="Role" value={role} onValue={setRole} options={ROLES} />
        <TextField
          id="invite-email"
          label="Email"
          type="email"
          value={email}
          onValue={setEmail}
          required
          autoComplete="off"
          error={emailError}
        />
        <TextField
          id="invite-name"
          label={employee ? 'Name' : 'Name (optional)'}
          value={name}
          onValue={setName}
          required={employee}
          maxLength={200}
          autoComplete="off"
          error={nameError}
        />
        {employee && (
          <GroupSelect
            id="invite-group"
            groups={groups}
            value={groupId}
            onValue={setGroupId}
            error={groupError}
          />
        )}
        <button type="submit" class="primary" disabled={busy || noGroups}>
          Create invitation
        </button>
      </form>
      {noGroups && (
        <p class="hint">Create a group first (Groups &amp; codes): every employee joins one.</p>
      )}
      {invite && (
        <div class="created-link" role="status">
          <label for="invite-link">
            Invitation link for {invite.email} (single use, until {formatDateTime(invite.expiresAt)}
            )
          </label>
          <CopyableValue id="invite-link" value={invite.link} what="invitation link" />
        </div>
      )}
    </section>
  );
}
