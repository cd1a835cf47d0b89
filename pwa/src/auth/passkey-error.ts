import { WebAuthnError } from '@simplewebauthn/browser';
import { ApiError, toApiError } from '../api/api-error.ts';

/**
 * Words for what went wrong in the browser's passkey prompt. Codes are ours (the
 * `passkey_*` family) so views can branch on them; WebAuthn's own names are too coarse
 * (NotAllowedError means "cancelled", "timed out" and "not allowed here" alike).
 */
export function passkeyError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const name = err instanceof Error ? err.name : '';
  const code = err instanceof WebAuthnError ? err.code : '';
  const cause = err instanceof WebAuthnError && err.cause instanceof Error ? err.cause : null;
  switch (code) {
    case 'ERROR_CEREMONY_ABORTED':
      return new ApiError('passkey_aborted', 'The passkey prompt was closed.', 0, undefined, {
        cause: err,
      });
    case 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED':
      return new ApiError(
        'passkey_exists',
        'This device already holds a passkey for this account. Sign in with it instead.',
      );
    case 'ERROR_AUTHENTICATOR_MISSING_USER_VERIFICATION_SUPPORT':
    case 'ERROR_AUTHENTICATOR_MISSING_DISCOVERABLE_CREDENTIAL_SUPPORT':
      return new ApiError(
        'passkey_unsupported_authenticator',
        'No authenticator here can verify you (fingerprint, face or screen lock). Set up a screen lock, or use a phone or security key that can.',
      );
    case 'ERROR_INVALID_DOMAIN':
    case 'ERROR_INVALID_RP_ID':
      return new ApiError(
        'passkey_wrong_site',
        'Passkeys cannot be used at this address. Open Palisade at its https address (or http://localhost).',
      );
  }
  if (name === 'NotAllowedError' || cause?.name === 'NotAllowedError') {
    return new ApiError(
      'passkey_cancelled',
      'The passkey prompt was cancelled or timed out. Try again, and confirm with your fingerprint, face or screen lock.',
    );
  }
  if (name === 'AbortError')
    return new ApiError('passkey_aborted', 'The passkey prompt was closed.');
  if (name === 'SecurityError') {
    return new ApiError(
      'passkey_wrong_site',
      'Passkeys are not allowed at this address (it must be https or localhost).',
    );
  }
  if (typeof window !== 'undefined' && !window.PublicKeyCredential) {
    return new ApiError(
      'passkey_unsupported',
      'This browser does not support passkeys. Use a current Chrome, Edge, Safari or Firefox.',
    );
  }
  return toApiError(err);
}
