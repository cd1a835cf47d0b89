import type { ApiClient } from './api-client.ts';
import type { Knobs, SoftAuthenticator } from './soft-authenticator.ts';

/**
 * The PWA's passkey flows, done through the API with a software authenticator: handy to
 * seed users for tests (an admin from the setup link, employees from an enrollment code).
 * Each throws with the server's error when a step fails.
 */
export interface SessionUser {
  id: string;
  name: string;
  email: string;
  role: 'admin' | 'auditor' | 'employee';
  groupId: string | null;
  groupName: string | null;
  emailVerified: boolean;
}

function origin(api: ApiClient): string {
  return api.origin ?? new URL(api.baseUrl).origin;
}

/** Registers through a setup or invite link (`…/setup#<token>`); the client is then signed in. */
export async function registerWithLink(
  api: ApiClient,
  link: string,
  auth: SoftAuthenticator,
  person: { name: string; email: string },
  knobs?: Knobs,
): Promise<SessionUser> {
  const token = new URL(link).hash.slice(1);
  const options = await api.json('POST', '/api/v1/auth/register/options', { token, ...person });
  const response = auth.create(options as never, origin(api), knobs);
  const { user } = await api.json<{ user: SessionUser }>('POST', '/api/v1/auth/register/verify', {
    token,
    response,
  });
  return user;
}

/** Creates an employee account with an enrollment code; the client is then signed in. */
export async function enrollWithCode(
  api: ApiClient,
  code: string,
  auth: SoftAuthenticator,
  person: { name: string; email: string },
): Promise<SessionUser> {
  const options = await api.json('POST', '/api/v1/enroll/options', { code, ...person });
  const response = auth.create(options as never, origin(api));
  const { user } = await api.json<{ user: SessionUser }>('POST', '/api/v1/enroll/verify', {
    code,
    response,
  });
  return user;
}

/** Discoverable passkey login. */
export async function login(
  api: ApiClient,
  auth: SoftAuthenticator,
  knobs?: Knobs,
): Promise<SessionUser> {
  const options = await api.json('POST', '/api/v1/auth/login/options', {});
  const response = auth.get(options as never, origin(api), knobs);
  const { user } = await api.json<{ user: SessionUser }>('POST', '/api/v1/auth/login/verify', {
    response,
  });
  return user;
}
