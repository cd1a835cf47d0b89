import { meApi } from '../api/me-api.ts';
import { ErrorText } from '../components/error-text.tsx';
import { useResource } from '../components/use-resource.ts';
import { ACCESS_STATE } from '../lib/access-state.ts';
import { formatDateTime } from '../lib/format.ts';
import { DataTable } from '../components/data-table.tsx';

/** The employee's requests for access to blocked pages, and what became of them. */
export function MyAccessRequests() {
  const requests = useResource(async () => (await meApi.accessRequests()).requests, []);
  const list = requests.data ?? [];
  return (
    <section class="card" aria-labelledby="access-title">
      <h2 id="access-title">My access requests</h2>
      <ErrorText error={requests.error} />
      {requests.data && list.length === 0 && (
        <p>None. When a page is blocked, you can ask for access from the blocked page.</p>
      )}
      {list.length > 0 && (
        <DataTable
          columns={['Access to', 'State', 'Until', 'Asked']}
          items={list}
          row={(r) => (
            <tr key={r.id}>
              <th scope="row">
                <code>{r.filter}</code>
                <span class="hint block">{r.reason}</span>
              </th>
              <td>
                {ACCESS_STATE[r.state]}
                {r.note && <span class="hint block">Note: {r.note}</span>}
              </td>
              <td>
                {r.state === 'approved'
                  ? r.expiresAt
                    ? formatDateTime(r.expiresAt)
                    : 'Always'
                  : '—'}
              </td>
              <td>{formatDateTime(r.createdAt)}</td>
            </tr>
          )}
        />
      )}
    </section>
  );
}
