import { adminApi } from '../api/admin-api.ts';
import { ErrorText } from '../components/error-text.tsx';
import { useResource } from '../components/use-resource.ts';
import { formatDateTime } from '../lib/format.ts';
import { Link } from '../router/link.tsx';
import { RolloutPanel } from './rollout-panel.tsx';
import { DataTable } from '../components/data-table.tsx';

/** All policies with whom they target and what is live, and the rollout of the latest publish. */
export function PoliciesPage() {
  const policies = useResource(async () => (await adminApi.policies()).policies, []);
  const list = policies.data ?? [];
  return (
    <section>
      <div class="row">
        <h1 tabIndex={-1}>Policies</h1>
        <Link href="/admin/policies/new" class="button primary">
          New policy
        </Link>
      </div>
      <ErrorText error={policies.error} />
      {policies.loading && !policies.data && <p class="loading">Loading…</p>}
      {policies.data && list.length === 0 && (
        <p>No policies yet. Create one to block sites or limit copying for a group.</p>
      )}
      {list.length > 0 && (
        <DataTable
          columns={['Name', 'Applies to', 'Live version', 'Draft']}
          items={list}
          row={(p) => {
            const name = p.name || p.document.name || p.id;
            const targets = p.document.targetGroups?.length
              ? p.document.targetGroups.join(', ')
              : 'Everyone';
            // `dirty`: the server found the draft different from the live version.
            const changed = p.dirty ?? (!p.publishedAt || (p.updatedAt ?? '') > p.publishedAt);
            return (
              <tr key={p.id}>
                <th scope="row">
                  <Link href={`/admin/policies/${encodeURIComponent(p.id)}`}>{name}</Link>
                </th>
                <td>{targets}</td>
                <td>
                  {p.liveVersion
                    ? `v${p.liveVersion}, ${formatDateTime(p.publishedAt)}`
                    : 'Not published'}
                </td>
                <td>
                  {changed ? (
                    <span class="badge warn">Unpublished changes</span>
                  ) : (
                    <span class="badge ok">Same as live</span>
                  )}
                </td>
              </tr>
            );
          }}
        />
      )}
      <RolloutPanel />
    </section>
  );
}
