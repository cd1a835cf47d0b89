import type { Context } from 'hono';
import { clearSessionCookie, setSessionCookie } from '../auth/session-cookie.ts';
import type { AppEnv } from '../http/app-env.ts';
import { clientAddress } from '../http/client-address.ts';
import type { Services } from '../service/services.ts';
import { passkeyJson, sessionUserJson } from '../service/views.ts';
import type { SignedIn } from '../service/identity-service.ts';
import { param, type Route } from './define-route.ts';
import { asAuthentication, asRegistration } from './webauthn-responses.ts';

/** Passkey registration (setup/invite links), login, logout, and one's own passkeys. */
export function authRoutes(route: Route, s: Services): void {
  const { config } = s.ctx;
  const limit = (c: Context<AppEnv>) =>
    s.rateLimiter.check('login', clientAddress(c, config.trustProxy));
  const signIn = async (c: Context<AppEnv>, { user, passkeyId }: SignedIn) => {
    const { token } = await s.sessions.create(user.id, passkeyId);
    setSessionCookie(c, config, token);
    return c.json({ user: sessionUserJson(user) });
  };

  // skipauth: authorized by the one-time setup/invite token in the body
  route('POST /api/v1/auth/register/options', async (c, { body }) => {
    await limit(c);
    return c.json(await s.identity.registerOptions(body.token, body.name, body.email));
  });

  // skipauth: authorized by the setup/invite token and the WebAuthn response
  route('POST /api/v1/auth/register/verify', async (c, { body }) => {
    await limit(c);
    return signIn(c, await s.identity.registerVerify(body.token, asRegistration(body.response)));
  });

  // skipauth: starts a sign-in; rate limited
  route('POST /api/v1/auth/login/options', async (c) => {
    await limit(c);
    return c.json(await s.identity.loginOptions());
  });

  // skipauth: the WebAuthn assertion is the authentication; rate limited
  route('POST /api/v1/auth/login/verify', async (c, { body }) => {
    await limit(c);
    return signIn(c, await s.identity.loginVerify(asAuthentication(body.response)));
  });

  route('POST /api/v1/auth/logout', async (c) => {
    await s.sessions.destroy(c.get('sessionTokenHash'));
    clearSessionCookie(c, config);
    return c.json({ ok: true });
  });

  route('GET /api/v1/auth/me', (c) => c.json({ user: sessionUserJson(c.get('user')) }));

  route('GET /api/v1/auth/passkeys', async (c) => {
    const passkeys = await s.identity.listPasskeys(c.get('user'));
    return c.json({ passkeys: passkeys.map(passkeyJson) });
  });

  route('POST /api/v1/auth/passkeys/options', async (c) =>
    c.json(await s.identity.addPasskeyOptions(c.get('user'))),
  );

  route('POST /api/v1/auth/passkeys/verify', async (c, { body }) => {
    const passkey = await s.identity.addPasskeyVerify(
      c.get('user'),
      asRegistration(body.response),
      body.name,
    );
    return c.json({ passkey: passkeyJson(passkey) });
  });

  route('DELETE /api/v1/auth/passkeys/:id', async (c) => {
    await s.identity.deletePasskey(c.get('user'), param(c, 'id'));
    return c.json({ ok: true });
  });
}
