import { useEffect, useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../api/api-error.ts';
import { adminApi } from '../api/admin-api.ts';
import type { Group } from '../api/types.ts';
import { CopyButton } from '../components/copy-button.tsx';
import { ErrorText } from '../components/error-text.tsx';
import { enrollLink } from '../lib/enroll-link.ts';

const EXPIRY = [
  { value: '1', label: '1 day' },
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '', label: 'Never' },
];

/** Creates an enrollment code for a group and shows its link, ready to copy. */
export function CreateCodeForm({ groups, onCreated }: { groups: Group[]; onCreated(): void }) {
  const [groupId, setGroupId] = useState('');
  const [days, setDays] = useState('7');
  const [maxUses, setMaxUses] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [created, setCreated] = useState<string | null>(null);

  useEffect(() => {
    if (!groupId && groups[0]) setGroupId(groups[0].id);
  }, [groups]);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setCreated(null);
    try {
      const expiresAt = days
        ? new Date(Date.now() + Number(days) * 86_400_000).toISOString()
        : undefined;
      const uses = maxUses.trim() ? Number(maxUses) : undefined;
      const { enrollmentCode } = await adminApi.createCode({ groupId, expiresAt, maxUses: uses });
      setCreated(enrollLink(enrollmentCode.code));
      onCreated();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  if (groups.length === 0)
    return <p class="hint">Create a group first: every code enrolls people into one group.</p>;
  return (
    <form class="stack" onSubmit={submit}>
      <div class="grid-3">
        <div class="field">
          <label for="code-group">Group</label>
          <select
            id="code-group"
            value={groupId}
            onChange={(e) => setGroupId(e.currentTarget.value)}
            required
          >
            {groups.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="code-expiry">Expires after</label>
          <select id="code-expiry" value={days} onChange={(e) => setDays(e.currentTarget.value)}>
            {EXPIRY.map((x) => (
              <option key={x.value} value={x.value}>
                {x.label}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="code-max-uses">Maximum uses</label>
          <input
            id="code-max-uses"
            type="number"
            min={1}
            step={1}
            inputMode="numeric"
            placeholder="No limit"
            value={maxUses}
            onInput={(e) => setMaxUses(e.currentTarget.value)}
          />
        </div>
      </div>
      <div class="field">
        <button type="submit" class="primary" disabled={busy || !groupId}>
          Create enrollment code
        </button>
        <ErrorText error={error} />
      </div>
      {created && (
        <div class="created-link" role="status">
          <label for="created-link">
            Enrollment link — send it to the people joining this group
          </label>
          <div class="row">
            <input
              id="created-link"
              readOnly
              value={created}
              onFocus={(e) => e.currentTarget.select()}
            />
            <CopyButton text={created} label="Copy" what="enrollment link" />
          </div>
        </div>
      )}
    </form>
  );
}
