import { useEffect, useState } from 'preact/hooks';
import type { ApiError } from '../api/api-error.ts';
import type { Group } from '../api/types.ts';
import { ErrorText } from '../components/error-text.tsx';

/** The chosen group's id, the first group until the admin picks another. */
export function useGroupChoice(groups: Group[]) {
  const [groupId, setGroupId] = useState('');
  useEffect(() => {
    if (!groupId && groups[0]) setGroupId(groups[0].id);
  }, [groups]);
  return [groupId, setGroupId] as const;
}

/** A required choice of one group, with its error tied to it for assistive technology. */
export function GroupSelect({
  id,
  groups,
  value,
  onValue,
  error = null,
}: {
  id: string;
  groups: Group[];
  value: string;
  onValue(groupId: string): void;
  error?: ApiError | null;
}) {
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div class="field">
      <label for={id}>Group</label>
      <select
        id={id}
        value={value}
        onChange={(e) => onValue(e.currentTarget.value)}
        required
        aria-invalid={error ? true : undefined}
        aria-describedby={errorId}
      >
        {groups.map((g) => (
          <option key={g.id} value={g.id}>
            {g.name}
          </option>
        ))}
      </select>
      <ErrorText error={error} id={errorId} />
    </div>
  );
}
