import type { Services } from '../service/services.ts';
import { accessRequestJson } from '../service/views.ts';
import { param, type Route } from './define-route.ts';
import { activeDevice, activeOnly } from './active-device.ts';

/**
 * Access requests (docs/access-requests.md): devices file them from the blocked page and
 * read their states and signed exception list; admins decide them; employees follow theirs.
 */
export function accessRoutes(route: Route, s: Services): void {
  const now = () => s.ctx.now();

  route(
    'POST /api/v1/device/access-requests',
    async (c, { body }) => {
      const request = await s.access.request(c.get('device'), body);
      return c.json({ request: accessRequestJson(request, now()) });
    },
    activeOnly,
  );

  route('GET /api/v1/device/access-requests', async (c) => {
    const requests = await s.access.forDevice(activeDevice(c.get('device')));
    return c.json({ requests: requests.map((r) => accessRequestJson(r, now())) });
  });

  // The signed list is JSON already: served byte for byte, as the policy envelope is.
  route('GET /api/v1/device/exceptions', async (c) =>
    c.body(await s.access.signedExceptions(activeDevice(c.get('device'))), 200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'private, no-store',
    }),
  );

  route('GET /api/v1/access-requests', async (c, { query }) => {
    const requests = await s.access.list(query);
    return c.json({ requests: requests.map((r) => accessRequestJson(r, now())) });
  });

  route('POST /api/v1/access-requests/:id/decision', async (c, { body }) => {
    const request = await s.access.decide(c.get('user'), param(c, 'id'), body);
    return c.json({ request: accessRequestJson(request, now()) });
  });

  route('GET /api/v1/me/access-requests', async (c) => {
    const requests = await s.access.forUser(c.get('user'));
    return c.json({ requests: requests.map((r) => accessRequestJson(r, now())) });
  });
}
