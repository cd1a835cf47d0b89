import {
  browserSupportsWebAuthn,
  startRegistration,
  type PublicKeyCredentialCreationOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/browser';
import { ApiError } from '../api/api-error.ts';
import { passkeyError } from './passkey-error.ts';

/**
 * Runs the browser's "create a passkey" prompt for server-made options. User verification
 * (the biometric or screen lock) and the platform-authenticator preference are in the
 * options the server made; the browser enforces them.
 */
export async function createPasskey(
  optionsJSON: PublicKeyCredentialCreationOptionsJSON,
): Promise<RegistrationResponseJSON> {
  if (!browserSupportsWebAuthn()) {
    throw new ApiError(
      'passkey_unsupported',
      'This browser does not support passkeys. Use a current Chrome, Edge, Safari or Firefox.',
    );
  }
  try {
    return await startRegistration({ optionsJSON });
  } catch (err) {
    throw passkeyError(err);
  }
}
