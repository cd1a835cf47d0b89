import { useAction } from '../components/use-action.ts';
import { useEffect, useState } from 'preact/hooks';
import { adminApi } from '../api/admin-api.ts';
import type { Group } from '../api/types.ts';
import { ErrorText } from '../components/error-text.tsx';

/** The server's bounds for `maxDevicesPerUser` (server/routes/schemas.ts). */
const MIN = 1;
const MAX = 1000;
/** What the server gives a group that predates the setting. */
const DEFAULT = 5;

/**
 * How many devices each person in a group may have, edited in place: a person who
 * registers or claims one more is refused (`device_limit`) until an admin revokes one.
 */
export function DeviceLimitField({ group, onSaved }: { group: Group; onSaved(g: Group): void }) {
  const saved = group.maxDevicesPerUser ?? DEFAULT;
  const [value, setValue] = useState(String(saved));
  const { busy, error, perform } = useAction();
  const [done, setDone] = useState(false);
  useEffect(() => setValue(String(saved)), [saved]);

  const n = Number(value);
  const valid = Number.isInteger(n) && n >= MIN && n <= MAX;
  const id = `device-limit-${group.id}`;

  const save = async (e: Event) => {
    e.preventDefault();
    if (!valid || n === saved) return;
    setDone(false);
    await perform(async () => {
      const { group: updated } = await adminApi.updateGroup(group.id, { maxDevicesPerUser: n });
      setDone(true);
      onSaved(updated);
    });
  };

  return (
    <form class="row device-limit" onSubmit={save}>
      <label class="visually-hidden" for={id}>
        Devices per person in {group.name}
      </label>
      <input
        id={id}
        type="number"
        min={MIN}
        max={MAX}
        step={1}
        inputMode="numeric"
        required
        value={value}
        onInput={(e) => {
          setValue(e.currentTarget.value);
          setDone(false);
        }}
        aria-invalid={!valid || error ? true : undefined}
      />
      <button
        type="submit"
        disabled={busy || !valid || n === saved}
        aria-label={`Save the device limit of ${group.name}`}
      >
        Save
      </button>
      <span role="status" class="hint">
        {done ? 'Saved.' : ''}
      </span>
      <ErrorText error={error} />
    </form>
  );
}
