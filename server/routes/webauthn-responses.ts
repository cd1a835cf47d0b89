import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { z } from 'zod';
import type { authenticationResponse, registrationResponse } from '../../contract/requests.ts';

// The shapes are checked here; the string unions inside (transports…) are SimpleWebAuthn's to judge.
export const asRegistration = (r: z.output<typeof registrationResponse>) =>
  r as unknown as RegistrationResponseJSON;
export const asAuthentication = (r: z.output<typeof authenticationResponse>) =>
  r as unknown as AuthenticationResponseJSON;
