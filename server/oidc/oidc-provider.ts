import { timingSafeEqual } from 'node:crypto';
import type Provider from 'oidc-provider';
import type { Configuration, FindAccount, JWK } from 'oidc-provider';
import { sha256Hex } from '../util/tokens.ts';

/** Where the provider lives under the server's origin; the issuer is `${origin}/oidc`. */
export const OIDC_PATH = '/oidc';

/**
 * Lifetimes, in seconds. Access tokens are short, so a changed posture or rule takes effect
 * within minutes: the app must refresh, and every refresh is decided again.
 */
export const OIDC_TTL = {
  AccessToken: 5 * 60,
  AuthorizationCode: 60,
  IdToken: 60 * 60,
  Interaction: 10 * 60,
  RefreshToken: 12 * 3600,
  Grant: 12 * 3600,
  Session: 12 * 3600,
} as const;

/** The claims Palisade adds, issued with the `openid` scope (so in the ID token too). */
export const DEVICE_CLAIMS = ['device_id', 'device_trust', 'group'] as const;

export interface ProviderParts {
  issuer: string;
  jwks: { keys: JWK[] };
  /** Keys for the provider's signed cookies, the same on every instance. */
  cookieKeys: string[];
  adapter: NonNullable<Configuration['adapter']>;
  findAccount: FindAccount;
  secureCookies: boolean;
  /** Behind a proxy: believe X-Forwarded-Proto/Host for the request's own URL. */
  proxy: boolean;
  /** The path of the page that runs the sign-in interaction (`uid` appended). */
  interactionPath: string;
  log: (message: string, fields: Record<string, string>) => void;
}

/**
 * The OpenID Provider: oidc-provider (OpenID Certified) with authorization code + PKCE
 * only, confidential clients authenticating with `client_secret_basic`, ES256 ID tokens,
 * back-channel logout, and Palisade's own sign-in interaction. A grant is never reused:
 * every authorization request goes through the interaction, where the device proves
 * itself again.
 *
 * oidc-provider (with Koa and its other dependencies) is imported on the first build, not
 * at startup: loaded, it holds about 15 MB of a server's memory (measured: 102 → 87 MB RSS
 * idle without it), and a server that no app signs in through never needs it.
 */
export async function buildProvider(parts: ProviderParts): Promise<Provider> {
  const { default: Provider } = await import('oidc-provider');
  const cookie = {
    signed: true,
    httpOnly: true,
    sameSite: 'lax',
    secure: parts.secureCookies,
  } as const;
  const configuration: Configuration = {
    adapter: parts.adapter,
    jwks: parts.jwks,
    findAccount: parts.findAccount,
    cookies: { keys: parts.cookieKeys, long: cookie, short: cookie },
    clientAuthMethods: ['client_secret_basic'],
    enabledJWA: { idTokenSigningAlgValues: ['ES256'] },
    responseTypes: ['code'],
    pkce: { required: () => true },
    scopes: ['openid', 'offline_access', 'email', 'profile'],
    claims: {
      // `amr` comes from the login (the passkey), not the account; listing it lets it through.
      openid: ['sub', 'amr', ...DEVICE_CLAIMS],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    // Scope claims (the device ones above) go into the ID token too, not only userinfo.
    conformIdTokenClaims: false,
    ttl: { ...OIDC_TTL },
    clientBasedCORS: () => false,
    // oidc-provider refuses outgoing requests to private and loopback addresses (SSRF
    // protection for URIs that clients register themselves). Here only admins register
    // clients, and company apps commonly live on private networks, so their back-channel
    // logout endpoints must be reachable there. The provider makes no other outgoing request.
    fetch: (url, options) => {
      const { dispatcher: _, ...rest } = options as RequestInit & { dispatcher?: unknown };
      return globalThis.fetch(url, rest);
    },
    features: {
      devInteractions: { enabled: false },
      backchannelLogout: { enabled: true },
      revocation: { enabled: true },
      rpInitiatedLogout: { enabled: true },
    },
    // Refresh tokens for every client allowed the grant; each use is decided again.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // Only the grant this very interaction made counts, never an earlier consent kept in
    // the session: the device must prove itself on every authorization request.
    loadExistingGrant: async (ctx) => {
      const grantId = (ctx.oidc.result?.consent as { grantId?: string } | undefined)?.grantId;
      return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
    },
    interactions: {
      url: (_ctx, interaction) => `${parts.interactionPath}/${interaction.uid}`,
    },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = errorPage(out);
    },
  };
  const provider = new Provider(parts.issuer, configuration);
  provider.proxy = parts.proxy;
  // Client secrets are stored as SHA-256 only (shown once to the admin); the metadata's
  // `client_secret` is that hash, so hash what the client presents and compare in constant
  // time. This is oidc-provider's one comparison point for client_secret_basic (lib/shared/
  // client_auth.js); nothing else uses the secret because HS* and client_secret_jwt are off.
  provider.Client.prototype.compareClientSecret = function (
    this: { clientSecret?: string },
    actual,
  ) {
    const expected = Buffer.from(this.clientSecret ?? '', 'utf8');
    const presented = Buffer.from(sha256Hex(actual), 'utf8');
    return expected.length === presented.length && timingSafeEqual(expected, presented);
  };
  provider.on('server_error', (_ctx, err) =>
    parts.log('oidc server error', { error: String(err) }),
  );
  provider.on('backchannel.error', (_ctx, err, client) =>
    parts.log('back-channel logout failed', { client: client.clientId, error: String(err) }),
  );
  return provider;
}

function errorPage(out: { error: string; error_description?: string }): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in error</title></head>
<body><main><h1>This sign-in cannot go on</h1><p>${esc(out.error_description ?? out.error)}</p>
<p>Go back to the app and start again; if it happens again, tell your administrator.</p></main></body></html>`;
}
