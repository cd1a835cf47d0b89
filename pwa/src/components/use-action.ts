import { useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../api/api-error.ts';

export interface Action {
  busy: boolean;
  error: ApiError | null;
  setError(error: ApiError | null): void;
  /**
   * Runs `fn` with `busy` set and the last error cleared; a failure becomes `error` (for the
   * form to show) and is also returned. Resolves with null when `fn` succeeded.
   */
  perform(fn: () => Promise<unknown>): Promise<ApiError | null>;
}

/** What a form's submit or a button's action needs: busy while it runs, its error after. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const perform = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      return null;
    } catch (err) {
      const failure = toApiError(err);
      setError(failure);
      return failure;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, perform };
}
