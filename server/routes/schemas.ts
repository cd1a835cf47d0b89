import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { z } from 'zod';
import type { authenticationResponse, registrationResponse } from '../../contract/requests.ts';
import { ALERT_TYPES as CONTRACT_ALERT_TYPES } from '../../contract/siem.ts';
// eslint-disable-next-line no-restricted-imports -- a type only: the check below that the store's alert types are the contract's
import type { ALERT_TYPES } from '../store/types.ts';

/** The request schemas live in contract/ (shared with the PWA and the extension). */
export { schemas } from '../../contract/requests.ts';

// The shapes are checked here; the string unions inside (transports…) are SimpleWebAuthn's to judge.
export const asRegistration = (r: z.output<typeof registrationResponse>) =>
  r as unknown as RegistrationResponseJSON;
export const asAuthentication = (r: z.output<typeof authenticationResponse>) =>
  r as unknown as AuthenticationResponseJSON;

// The store may not import contract/, so it keeps its own list of alert types: these two
// lines fail to compile when the lists differ.
const _sameAlertTypes: typeof ALERT_TYPES = CONTRACT_ALERT_TYPES;
const _sameAlertTypesBack: typeof CONTRACT_ALERT_TYPES = _sameAlertTypes;
void _sameAlertTypesBack;
