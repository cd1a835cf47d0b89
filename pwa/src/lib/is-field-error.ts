import type { ApiError } from '../api/api-error.ts';

/**
 * True when the server rejected the body because of `field`: a `validation_failed` whose
 * `details.issues` (one `{ path, message }` per problem) names it. Lets a form show the
 * error beside that input without reading the message text.
 *
 * @example
 * isFieldError(error, 'emailDomain') // the domain typed is not a domain
 */
export function isFieldError(error: ApiError | null | undefined, field: string): boolean {
  if (error?.code !== 'validation_failed') return false;
  const issues = (error.details as { issues?: unknown } | undefined)?.issues;
  return (
    Array.isArray(issues) &&
    issues.some(
      (i) => typeof i === 'object' && i !== null && (i as { path?: unknown }).path === field,
    )
  );
}
