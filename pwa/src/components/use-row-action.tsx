import { useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../api/api-error.ts';
import { ErrorText } from './error-text.tsx';

/**
 * Actions on the rows of a list (revoke, disable, remove…): the last failure is kept with
 * the row it happened on, so the error shows there and nowhere else.
 *
 * @example
 * const rows = useRowAction();
 * <button onClick={() => rows.run(c.id, () => api.revoke(c.id))}>Revoke</button>
 * {rows.errorFor(c.id)}
 */
export function useRowAction() {
  const [failed, setFailed] = useState<{ id: string; error: ApiError } | null>(null);
  return {
    /** Runs `fn` for row `id`; a failure is kept for that row, a new run clears it. */
    async run(id: string, fn: () => Promise<unknown>): Promise<void> {
      setFailed(null);
      try {
        await fn();
      } catch (err) {
        setFailed({ id, error: toApiError(err) });
      }
    },
    /** The error of row `id`, if its last action failed. */
    errorFor(id: string) {
      return failed?.id === id ? <ErrorText error={failed.error} /> : null;
    },
  };
}
