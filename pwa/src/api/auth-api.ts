import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/browser';
import { request } from './request.ts';
import type { Passkey, User } from './types.ts';

/** Sign-up (setup / invite / enrollment), sign-in and the user's own passkeys. */
export const authApi = {
  registerOptions: (body: { token: string; name: string; email: string }) =>
    request<PublicKeyCredentialCreationOptionsJSON>('POST', '/auth/register/options', body),
  registerVerify: (body: { token: string; response: RegistrationResponseJSON }) =>
    request<{ user: User }>('POST', '/auth/register/verify', body),

  enrollOptions: (body: { code: string; name: string; email: string }) =>
    request<PublicKeyCredentialCreationOptionsJSON>('POST', '/enroll/options', body),
  enrollVerify: (body: { code: string; response: RegistrationResponseJSON }) =>
    request<{ user: User }>('POST', '/enroll/verify', body),

  loginOptions: (signal?: AbortSignal) =>
    request<PublicKeyCredentialRequestOptionsJSON>('POST', '/auth/login/options', {}, { signal }),
  loginVerify: (response: AuthenticationResponseJSON) =>
    request<{ user: User }>('POST', '/auth/login/verify', { response }),

  logout: () => request<unknown>('POST', '/auth/logout', {}),
  me: () => request<{ user: User }>('GET', '/auth/me'),

  passkeys: () => request<{ passkeys: Passkey[] }>('GET', '/auth/passkeys'),
  passkeyOptions: () =>
    request<PublicKeyCredentialCreationOptionsJSON>('POST', '/auth/passkeys/options', {}),
  passkeyVerify: (body: { response: RegistrationResponseJSON; name?: string }) =>
    request<{ passkey: Passkey }>('POST', '/auth/passkeys/verify', body),
  removePasskey: (id: string) =>
    request<unknown>('DELETE', `/auth/passkeys/${encodeURIComponent(id)}`),
};
