import { NO_PRESENCE } from '../service/device-posture-service.ts';
import { rollout } from '../service/rollout.ts';
import type { Services } from '../service/services.ts';
import { deviceJson } from '../service/views.ts';
import { param, type Route } from './define-route.ts';

/** The admin's view of devices: list, search, revoke, wipe, and policy rollout. */
export function deviceAdminRoutes(route: Route, s: Services): void {
  // Each device with its key, posture and presence (silent, removed): docs/api.md.
  route('GET /api/v1/devices', async (c, { query }) => {
    const [devices, presence] = await Promise.all([s.devices.list(query), s.posture.presence()]);
    return c.json({
      devices: devices.map((d) => ({ ...deviceJson(d), ...(presence.get(d.id) ?? NO_PRESENCE) })),
    });
  });

  route('GET /api/v1/devices/:id', async (c) => {
    const device = await s.devices.get(param(c, 'id'));
    const presence = (await s.posture.presence([device.id])).get(device.id) ?? NO_PRESENCE;
    return c.json({ device: { ...deviceJson(device), ...presence } });
  });

  route('POST /api/v1/devices/:id/revoke', async (c) =>
    c.json({ device: deviceJson(await s.devices.revoke(c.get('user'), param(c, 'id'))) }),
  );

  route('POST /api/v1/devices/:id/wipe', async (c) =>
    c.json({ device: deviceJson(await s.devices.wipe(c.get('user'), param(c, 'id'))) }),
  );

  route('GET /api/v1/rollout', async (c) => {
    const groups = await rollout(s.ctx);
    return c.json({
      groups: groups.map((g) => ({
        ...g,
        devices: { ...g.devices, behind: g.devices.behind.map(deviceJson) },
      })),
    });
  });
}
