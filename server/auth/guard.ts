import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.ts';
import type { AppEnv } from '../http/app-env.ts';
import type { Services } from '../service/services.ts';
import type { Access } from './access.ts';
import { bearerCredential } from './bearer-credential.ts';
import { readSessionCookie } from './session-cookie.ts';

/** The middleware that enforces one route's entry of the access table. */
export function guard(access: Access, services: Services): MiddlewareHandler<AppEnv> {
  switch (access.kind) {
    case 'public':
      return async (_c, next) => next();
    case 'device':
      return async (c, next) => {
        const credential = bearerCredential(c.req.header('authorization'));
        c.set(
          'device',
          access.anyStatus
            ? await services.devices.authenticateAnyStatus(credential)
            : await services.devices.authenticate(credential),
        );
        return next();
      };
    case 'person':
      return async (c, next) => {
        const token = readSessionCookie(c, services.ctx.config);
        const session = token ? await services.sessions.resolve(token) : null;
        if (!session) throw new ApiError('unauthenticated', 'Sign in with your passkey first.');
        if (!access.roles.includes(session.user.role)) {
          throw new ApiError(
            'forbidden',
            `This needs the ${access.roles.join(' or ')} role; you are ${session.user.role}.`,
          );
        }
        c.set('user', session.user);
        c.set('sessionTokenHash', session.tokenHash);
        return next();
      };
  }
}
