import { useAction } from '../components/use-action.ts';
import { useState } from 'preact/hooks';
import { adminApi } from '../api/admin-api.ts';
import { TextField } from '../components/text-field.tsx';
import { ErrorText } from '../components/error-text.tsx';
import { useResource } from '../components/use-resource.ts';
import { DeviceLimitField } from './device-limit-field.tsx';
import { EnrollmentCodes } from './enrollment-codes.tsx';
import { DataTable } from '../components/data-table.tsx';

/** Groups (who a policy targets) and the enrollment codes that put people in them. */
export function GroupsPage() {
  const groups = useResource(async () => (await adminApi.groups()).groups, []);
  const [name, setName] = useState('');
  const { busy, error, perform } = useAction();

  const create = async (e: Event) => {
    e.preventDefault();
    await perform(async () => {
      await adminApi.createGroup(name.trim());
      setName('');
      groups.reload();
    });
  };

  const list = groups.data ?? [];
  return (
    <section>
      <h1 tabIndex={-1}>Groups and enrollment codes</h1>
      <section class="card" aria-labelledby="groups-title">
        <h2 id="groups-title">Groups</h2>
        <ErrorText error={groups.error} />
        {groups.data && list.length === 0 && (
          <p>No groups yet. Create one, then an enrollment code for it.</p>
        )}
        {list.length > 0 && (
          <p class="hint">
            Devices per person: how many active devices each person in the group may have. One more
            is refused until an admin revokes one they no longer use.
          </p>
        )}
        {list.length > 0 && (
          <DataTable
            columns={['Group', 'People', 'Devices', 'Devices per person']}
            items={list}
            row={(g) => (
              <tr key={g.id}>
                <th scope="row">{g.name}</th>
                <td>{g.userCount ?? '—'}</td>
                <td>{g.deviceCount ?? '—'}</td>
                <td>
                  <DeviceLimitField
                    group={g}
                    onSaved={(updated) =>
                      groups.setData(list.map((x) => (x.id === updated.id ? updated : x)))
                    }
                  />
                </td>
              </tr>
            )}
          />
        )}
        <form class="inline-form" onSubmit={create}>
          <TextField
            id="group-name"
            label="New group name"
            value={name}
            onValue={setName}
            required
            maxLength={100}
            error={error}
          />
          <button type="submit" class="primary" disabled={busy || !name.trim()}>
            Create group
          </button>
        </form>
      </section>
      <EnrollmentCodes groups={list} />
    </section>
  );
}
