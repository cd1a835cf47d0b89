import type { SignedEnvelope } from '../../core/crypto/envelope.ts';
import { parsePolicyPayload } from '../../core/policy/policy-payload.ts';
import { ApiError } from '../errors.ts';
import { clientAddress } from '../http/client-address.ts';
import type { Services } from '../service/services.ts';
import { deviceJson } from '../service/views.ts';
import { param, type Route } from './define-route.ts';

/** An employee's own devices, pairing, and the policy enforced on them. */
export function meRoutes(route: Route, s: Services): void {
  route('GET /api/v1/me/devices', async (c) => {
    const devices = await s.devices.listForUser(c.get('user'));
    return c.json({ devices: devices.map(deviceJson) });
  });

  route('POST /api/v1/me/devices', async (c, { body }) => {
    const { device, credential } = await s.devices.createForUser(c.get('user'), body);
    return c.json({ device: deviceJson(device), credential });
  });

  route('POST /api/v1/me/devices/:id/pairing-token', async (c) => {
    await s.rateLimiter.check('pairing', clientAddress(c, s.ctx.config.trustProxy));
    return c.json(await s.devices.pairingToken(c.get('user'), param(c, 'id')));
  });

  // The PWA hands this to the extension in the same browser, which proves the device is the
  // signed-in user's by presenting it (POST /device/claim).
  route('POST /api/v1/me/device-claims', async (c) => {
    await s.rateLimiter.check('pairing', clientAddress(c, s.ctx.config.trustProxy));
    return c.json(await s.devices.claimToken(c.get('user')));
  });

  // The same signed envelope devices get, so the transparency page can verify what it shows.
  route('GET /api/v1/me/policy', async (c) => {
    const user = c.get('user');
    if (!user.groupId)
      throw new ApiError('no_group', 'You are not in a group yet, so no policy applies to you.');
    const served = await s.envelopes.get(user.groupId);
    if (!served) throw new ApiError('not_found', 'Your group has no policy yet.');
    const envelope = JSON.parse(served.body) as SignedEnvelope;
    const payload = parsePolicyPayload(envelope.payload)!;
    return c.json({ envelope, policy: payload.policy, version: payload.version });
  });
}
