import { useState } from 'preact/hooks';
import { adminApi } from '../api/admin-api.ts';
import { ErrorText } from '../components/error-text.tsx';
import { useDebounced } from '../components/use-debounced.ts';
import { useResource } from '../components/use-resource.ts';
import { DEVICE_STATUS } from '../lib/device-status.ts';
import { formatRelative } from '../lib/format.ts';
import { DeviceDetails } from './device-details.tsx';
import { presenceLabel } from './device-presence.tsx';
import { CLAIM_EXPLAINED, DevicePerson } from './device-person.tsx';
import { TableHead } from '../components/table-head.tsx';

/** Every device: search by name, person or email; filter by status and group; open one. */
export function AdminDevicesPage() {
  const [q, setQ] = useState('');
  const [status, setStatus] = useState('');
  const [groupId, setGroupId] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const query = useDebounced(q.trim());
  const groups = useResource(async () => (await adminApi.groups()).groups, []);
  const devices = useResource(
    async () => (await adminApi.devices({ q: query, status, groupId })).devices,
    [query, status, groupId],
  );
  const list = devices.data ?? [];
  const anyClaimOnly = list.some((d) => !d.userName && d.claimedEmail);

  return (
    <section>
      <h1 tabIndex={-1}>Devices</h1>
      <form
        class="filters"
        role="search"
        aria-label="Filter devices"
        onSubmit={(e) => e.preventDefault()}
      >
        <div class="field">
          <label for="device-q">Search</label>
          <input
            id="device-q"
            type="search"
            placeholder="Device, person or email"
            value={q}
            onInput={(e) => setQ(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="device-status">Status</label>
          <select
            id="device-status"
            value={status}
            onChange={(e) => setStatus(e.currentTarget.value)}
          >
            <option value="">Any</option>
            {Object.entries(DEVICE_STATUS).map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="device-group">Group</label>
          <select
            id="device-group"
            value={groupId}
            onChange={(e) => setGroupId(e.currentTarget.value)}
          >
            <option value="">All groups</option>
            {(groups.data ?? []).map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        </div>
      </form>
      <ErrorText error={devices.error} />
      <p class="hint" role="status">
        {devices.loading
          ? 'Loading…'
          : `${list.length} ${list.length === 1 ? 'device' : 'devices'}`}
      </p>
      <div class="master-detail">
        <div class="table-wrap">
          <table aria-busy={devices.loading}>
            <TableHead
              columns={['Device', 'Person', 'Group', 'Set up', 'Status', 'Policy', 'Last seen']}
            />
            <tbody>
              {list.map((d) => (
                <tr key={d.id} class={selected === d.id ? 'selected' : undefined}>
                  <th scope="row">
                    <button
                      type="button"
                      class="link-button"
                      onClick={() => setSelected(d.id)}
                      aria-pressed={selected === d.id}
                    >
                      {d.name}
                    </button>
                  </th>
                  <td>
                    <DevicePerson device={d} />
                  </td>
                  <td>{d.groupName ?? '—'}</td>
                  <td>{d.managed ? 'Managed' : 'Paired'}</td>
                  <td>
                    {DEVICE_STATUS[d.status]}
                    {presenceLabel(d) && <span class="badge warn">{presenceLabel(d)}</span>}
                  </td>
                  <td>{d.appliedVersion ? `v${d.appliedVersion}` : '—'}</td>
                  <td>{formatRelative(d.lastSeenAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {anyClaimOnly && (
            <p class="hint">
              <strong>claimed:</strong> {CLAIM_EXPLAINED}
            </p>
          )}
          <p class="hint">
            Managed: force-installed by the organisation’s browser policy. Paired: added by a
            person, signed in, from their own browser. Silent: no heartbeat for the configured
            minutes. Removed: the extension was uninstalled from that browser.
          </p>
        </div>
        {selected && (
          <DeviceDetails
            id={selected}
            onClose={() => setSelected(null)}
            onChanged={devices.reload}
          />
        )}
      </div>
    </section>
  );
}
