import { query, request } from './request.ts';

const id = encodeURIComponent;

export interface SigninInteraction {
  uid: string;
  client: { id: string; name: string };
  challenge: string;
  expiresAt: string;
}

export interface FailedCondition {
  condition: string;
  message: string;
}

export type SigninOutcome =
  | { allow: true; redirectTo: string }
  | {
      allow: false;
      app: { id: string; name: string };
      failed: FailedCondition[];
      redirectTo: string;
    };

export interface AppClient {
  id: string;
  name: string;
  redirectUris: string[];
  appId: string;
  backchannelLogoutUri: string | null;
  createdAt: string;
}

export interface AppSignin {
  grantId: string;
  userId: string;
  deviceId: string | null;
  trust: 'managed' | 'enrolled' | 'none';
  clientAddress: string;
  createdAt: string;
  endedAt: string | null;
  endReason: string | null;
}

/** The OpenID Provider's sign-in interaction and the admin's app clients. */
export const oidcApi = {
  interaction: (uid: string) =>
    request<{ interaction: SigninInteraction }>('GET', `/oidc/interactions/${id(uid)}/details`),
  /** `proof` is the extension's device proof, or null when no extension answered. */
  complete: (uid: string, proof: unknown) =>
    request<SigninOutcome>('POST', `/oidc/interactions/${id(uid)}/proof`, { proof }),

  clients: () => request<{ clients: AppClient[] }>('GET', '/oidc/clients'),
  /** The only answer that carries the client secret: the server keeps just a hash. */
  createClient: (body: {
    name: string;
    redirectUris: string[];
    appId: string;
    backchannelLogoutUri: string | null;
  }) => request<{ client: AppClient; secret: string }>('POST', '/oidc/clients', body),
  deleteClient: (clientId: string) => request<unknown>('DELETE', `/oidc/clients/${id(clientId)}`),
  signins: (clientId: string) =>
    request<{ signins: AppSignin[] }>(
      'GET',
      `/oidc/clients/${id(clientId)}/signins${query({ limit: 20 })}`,
    ),
};
