import type { ApiError } from '../api/api-error.ts';
import type { ErrorField } from './sign-up-form.tsx';

/**
 * Places a sign-up error beside its cause: enrollment-code and token problems by the code,
 * field validation by its field, everything else (the passkey prompt, the network) by the
 * button.
 */
export function fieldOfError(error: ApiError): ErrorField {
  if (error.code.startsWith('code_') || error.code.startsWith('token_')) return 'code';
  const field = (error.details as { field?: unknown } | undefined)?.field;
  if (field === 'email' || field === 'name' || field === 'code') return field;
  if (/email/.test(error.code)) return 'email';
  return 'passkey';
}
