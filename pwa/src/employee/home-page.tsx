import { meApi } from '../api/me-api.ts';
import { ErrorText } from '../components/error-text.tsx';
import { OfflineBanner } from '../components/offline-banner.tsx';
import { useCachedResource } from '../components/use-cached-resource.ts';
import { DEVICE_STATUS } from '../lib/device-status.ts';
import { formatDateTime, formatRelative } from '../lib/format.ts';
import { Link } from '../router/link.tsx';
import { useSession } from '../session/session.tsx';
import { AwaitingApproval } from './awaiting-approval.tsx';
import { ExtensionPairing } from './extension-pairing.tsx';
import { MyAccessRequests } from './my-access-requests.tsx';
import { PolicyError } from './policy-error.tsx';
import { useMyPolicy } from './use-my-policy.ts';
import { DataTable } from '../components/data-table.tsx';

/** The employee's home: their policy, their devices and this browser's extension. */
export function HomePage() {
  const { state } = useSession();
  const policy = useMyPolicy();
  const devices = useCachedResource('devices', async () => (await meApi.devices()).devices);
  const offline =
    devices.offline || policy.offline || (state.status === 'signed-in' && state.offline);
  const updatedAt = [devices.updatedAt, policy.updatedAt].filter(Boolean).sort()[0];
  const current = policy.data?.version;
  const user = state.status === 'signed-in' ? state.user : null;
  const userId = user?.id ?? '';

  return (
    <section>
      <h1 tabIndex={-1}>My status</h1>
      <OfflineBanner offline={offline} updatedAt={updatedAt} />
      {user?.emailVerified === false && <AwaitingApproval email={user.email} />}
      <section class="card" aria-labelledby="policy-title">
        <h2 id="policy-title">Policy</h2>
        <PolicyError error={policy.error} />
        {policy.data ? (
          <p>
            Group <strong>{policy.data.groupName}</strong>, policy version{' '}
            <strong>{policy.data.version}</strong>, published {formatDateTime(policy.data.issuedAt)}
            . <Link href="/transparency">See what it enforces and records</Link>.
          </p>
        ) : (
          !policy.error &&
          (policy.loading ? (
            <p class="loading">Loading…</p>
          ) : (
            <p>Not saved on this browser yet: connect to the network to see your policy.</p>
          ))
        )}
      </section>
      <section class="card" aria-labelledby="devices-title">
        <h2 id="devices-title">My devices</h2>
        <ErrorText error={devices.error} />
        {devices.data && devices.data.length === 0 && (
          <p>No devices yet. Pair the extension below to add this browser.</p>
        )}
        {devices.data && devices.data.length > 0 && (
          <DataTable
            columns={['Device', 'Status', 'Policy applied', 'Last sync']}
            items={devices.data}
            row={(d) => (
              <tr key={d.id}>
                <th scope="row">
                  {d.name}
                  <span class="hint block">
                    {[d.browser, d.platform].filter(Boolean).join(' · ')}
                    {d.managed ? ' · managed' : ''}
                  </span>
                </th>
                <td>{DEVICE_STATUS[d.status]}</td>
                <td>
                  {d.appliedVersion ? `Version ${d.appliedVersion}` : 'Not yet'}
                  {current && d.appliedVersion && d.status === 'active' && (
                    <span class={d.appliedVersion >= current ? 'badge ok' : 'badge warn'}>
                      {d.appliedVersion >= current ? 'up to date' : 'update pending'}
                    </span>
                  )}
                </td>
                <td>
                  <time dateTime={d.lastSeenAt ?? undefined} title={formatDateTime(d.lastSeenAt)}>
                    {formatRelative(d.lastSeenAt)}
                  </time>
                </td>
              </tr>
            )}
          />
        )}
        {!devices.data &&
          !devices.error &&
          (devices.loading ? (
            <p class="loading">Loading…</p>
          ) : (
            <p>Not saved on this browser yet: connect to the network to see your devices.</p>
          ))}
      </section>
      {userId && (
        <ExtensionPairing userId={userId} devices={devices.data} onClaimed={devices.reload} />
      )}
      <MyAccessRequests />
    </section>
  );
}
