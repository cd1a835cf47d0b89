import { useRowAction } from '../components/use-row-action.tsx';
import { adminApi } from '../api/admin-api.ts';
import type { EnrollmentCode, Group } from '../api/types.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { CopyButton } from '../components/copy-button.tsx';
import { ErrorText } from '../components/error-text.tsx';
import { useResource } from '../components/use-resource.ts';
import { formatDateTime } from '../lib/format.ts';
import { CreateCodeForm } from './create-code-form.tsx';
import { DataTable } from '../components/data-table.tsx';

function codeStatus(c: EnrollmentCode, now = Date.now()): { label: string; live: boolean } {
  if (c.revoked) return { label: 'Revoked', live: false };
  if (c.expiresAt && new Date(c.expiresAt).getTime() <= now)
    return { label: 'Expired', live: false };
  if (c.maxUses != null && c.uses >= c.maxUses) return { label: 'Used up', live: false };
  return { label: 'Active', live: true };
}

/**
 * Enrollment codes: create (group, expiry, use limit, email domain), revoke. A code is
 * stored hashed, so the list tells codes apart by their last characters; only a code's
 * creation shows it whole (and its link, which the list can no longer copy).
 */
export function EnrollmentCodes({ groups }: { groups: Group[] }) {
  const codes = useResource(async () => (await adminApi.codes()).enrollmentCodes, []);
  const rows = useRowAction();
  const groupName = (id: string) => groups.find((g) => g.id === id)?.name ?? id;
  const list = [...(codes.data ?? [])].sort((a, b) =>
    (b.createdAt ?? '').localeCompare(a.createdAt ?? ''),
  );

  const revoke = (c: EnrollmentCode) =>
    rows.run(c.id, async () => {
      await adminApi.revokeCode(c.id);
      codes.reload();
    });

  return (
    <section class="card" aria-labelledby="codes-title">
      <h2 id="codes-title">Enrollment codes</h2>
      <CreateCodeForm groups={groups} onCreated={codes.reload} />
      <ErrorText error={codes.error} />
      {codes.data && list.length === 0 && <p>No enrollment codes yet.</p>}
      {list.length > 0 && (
        <DataTable
          columns={['Code', 'Group', 'Email domain', 'Expires', 'Uses', 'Status', 'Actions']}
          items={list}
          row={(c) => {
            const status = codeStatus(c);
            const named = c.code ?? `…${c.hint}`;
            return (
              <tr key={c.id}>
                <th scope="row">
                  <code title={c.code ? undefined : `The code ending in ${c.hint}`}>{named}</code>
                </th>
                <td>{c.groupName ?? groupName(c.groupId)}</td>
                <td>{c.emailDomain ? `@${c.emailDomain}` : 'Any'}</td>
                <td>{formatDateTime(c.expiresAt, 'Never')}</td>
                <td>
                  {c.uses}
                  {c.maxUses != null ? ` of ${c.maxUses}` : ''}
                </td>
                <td>
                  <span class={status.live ? 'badge ok' : 'badge'}>{status.label}</span>
                </td>
                <td class="actions">
                  {status.live && c.link && (
                    <CopyButton text={c.link} label="Copy link" what={`for code ${named}`} />
                  )}
                  {!c.revoked && (
                    <ConfirmButton
                      label="Revoke"
                      danger
                      question={`Revoke code ${named}? Nobody can enroll with it any more; people already enrolled stay enrolled.`}
                      confirmLabel="Yes, revoke"
                      onConfirm={() => revoke(c)}
                    />
                  )}
                  {rows.errorFor(c.id)}
                </td>
              </tr>
            );
          }}
        />
      )}
    </section>
  );
}
