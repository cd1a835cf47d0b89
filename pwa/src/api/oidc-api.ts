import type { z } from 'zod';
import type * as c from '../../../contract/responses.ts';
import { query, request } from './request.ts';

const id = encodeURIComponent;

export type SigninInteraction = z.output<typeof c.signinInteraction>;
export type FailedCondition = z.output<typeof c.failedCondition>;
export type SigninOutcome = z.output<typeof c.signinOutcome>;
export type AppClient = z.output<typeof c.appClient>;
export type AppSignin = z.output<typeof c.appSignin>;

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
