import { useEffect, useState } from 'preact/hooks';
import type { ApiError } from '../api/api-error.ts';
import type { Group } from '../api/types.ts';
import { SelectField } from '../components/select-field.tsx';

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
  return (
    <SelectField
      id={id}
      label="Group"
      value={value}
      onValue={onValue}
      options={groups.map((g) => ({ value: g.id, label: g.name }))}
      required
      error={error}
    />
  );
}
