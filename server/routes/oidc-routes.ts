import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from 'hono';
import { ApiError } from '../errors.ts';
import type { AppEnv } from '../http/app-env.ts';
import { clientAddress } from '../http/client-address.ts';
import { SIGNIN_PAGE } from '../oidc/oidc-service.ts';
import type { Services } from '../service/services.ts';
import { signinJson } from '../service/views.ts';
import { param, type Route } from './define-route.ts';

/** oidc-provider's interaction uids (nanoid): anything else is not one. */
const UID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The OpenID Provider's own pages and the admin's app clients. The protocol endpoints
 * themselves (`/oidc/*`) are oidc-provider's, answered before Hono (server.ts).
 */
export function oidcRoutes(route: Route, s: Services): void {
  route('GET /api/v1/oidc/interactions/:uid', async (c) => {
    const uid = interactionUid(c);
    return c.redirect(`${SIGNIN_PAGE}/${uid}`, 303);
  });

  route('GET /api/v1/oidc/interactions/:uid/details', async (c) => {
    interactionUid(c);
    const { req, res } = node(c);
    return c.json({ interaction: await s.oidc.interaction(req, res) });
  });

  route(
    'POST /api/v1/oidc/interactions/:uid/proof',
    async (c, { body }) => {
      const { req, res } = node(c);
      const address = clientAddress(c, s.ctx.config.trustProxy);
      return c.json(await s.oidc.completeInteraction(req, res, c.get('user'), body.proof, address));
    },
    { before: (c) => void interactionUid(c) },
  );

  route('GET /api/v1/oidc/clients', async (c) => c.json({ clients: await s.oidc.listClients() }));

  route('POST /api/v1/oidc/clients', async (c, { body }) => {
    const created = await s.oidc.createClient(c.get('user'), {
      ...body,
      backchannelLogoutUri: body.backchannelLogoutUri ?? null,
    });
    return c.json(created, 201);
  });

  route('DELETE /api/v1/oidc/clients/:id', async (c) => {
    await s.oidc.deleteClient(c.get('user'), param(c, 'id'));
    return c.body(null, 204);
  });

  route('GET /api/v1/oidc/clients/:id/signins', async (c, { query }) => {
    const signins = await s.oidc.signins(param(c, 'id'), query.limit);
    return c.json({ signins: signins.map(signinJson) });
  });

  route('POST /api/v1/oidc/keys/rotate', async (c) =>
    c.json(await s.oidc.rotateKeys(c.get('user'))),
  );
}

function interactionUid(c: Context<AppEnv>): string {
  const uid = param(c, 'uid');
  if (!UID.test(uid)) throw new ApiError('bad_request', 'That is not a sign-in id.');
  return uid;
}

/** The Node request and response under Hono (@hono/node-server's bindings), for oidc-provider. */
function node(c: Context<AppEnv>): { req: IncomingMessage; res: ServerResponse } {
  const env = c.env as { incoming?: IncomingMessage; outgoing?: ServerResponse } | undefined;
  if (!env?.incoming || !env.outgoing) {
    throw new ApiError('bad_request', 'The sign-in needs a real HTTP connection.');
  }
  return { req: env.incoming, res: env.outgoing };
}
