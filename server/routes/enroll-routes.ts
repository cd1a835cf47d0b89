import { setSessionCookie } from '../auth/session-cookie.ts';
import { clientAddress } from '../http/client-address.ts';
import type { Services } from '../service/services.ts';
import { sessionUserJson } from '../service/views.ts';
import type { Route } from './define-route.ts';
import { asRegistration } from './webauthn-responses.ts';

/** An employee creates their account (a passkey) with an enrollment code. */
export function enrollRoutes(route: Route, s: Services): void {
  const { config } = s.ctx;

  // skipauth: authorized by the enrollment code in the body; rate limited
  route('POST /api/v1/enroll/options', async (c, { body }) => {
    await s.rateLimiter.check('enrollment', clientAddress(c, config.trustProxy));
    return c.json(await s.identity.enrollOptions(body.code, body.name, body.email));
  });

  // skipauth: authorized by the enrollment code and the WebAuthn response; rate limited
  route('POST /api/v1/enroll/verify', async (c, { body }) => {
    await s.rateLimiter.check('enrollment', clientAddress(c, config.trustProxy));
    const { user, passkeyId } = await s.identity.enrollVerify(
      body.code,
      asRegistration(body.response),
    );
    const { token } = await s.sessions.create(user.id, passkeyId);
    setSessionCookie(c, config, token);
    return c.json({ user: sessionUserJson(user) });
  });
}
