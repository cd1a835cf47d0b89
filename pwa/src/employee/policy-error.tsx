import type { ApiError } from '../api/api-error.ts';
import { ErrorText } from '../components/error-text.tsx';

/**
 * No policy yet (no group, or nothing published for it) is a normal state, said plainly;
 * anything else is an error shown as one.
 */
export function PolicyError({ error }: { error: ApiError | null }) {
  if (!error) return null;
  if (error.code === 'no_group' || error.code === 'not_found') {
    return (
      <p class="note" data-code={error.code}>
        {error.message} Nothing is enforced or recorded by Palisade until one is published.
      </p>
    );
  }
  return <ErrorText error={error} />;
}
