import type { ApiError } from '../api/api-error.ts';

/**
 * An error shown where it happened, announced to screen readers. `data-code` carries the
 * server's code for tests and support; the words are the server's (or ours) for people.
 */
export function ErrorText({
  error,
  id,
}: {
  error: Pick<ApiError, 'code' | 'message'> | null | undefined;
  id?: string;
}) {
  if (!error) return null;
  return (
    <p class="error-text" role="alert" id={id} data-code={error.code}>
      {error.message}
    </p>
  );
}
