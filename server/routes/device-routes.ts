import { ApiError } from '../errors.ts';
import { clientAddress } from '../http/client-address.ts';
import { devicePolicyAnswer, envelopeAnswer } from '../http/device-policy-answer.ts';
import type { Services } from '../service/services.ts';
import { deviceJson, grantUserJson } from '../service/views.ts';
import type { Route } from './define-route.ts';
import { activeDevice, activeOnly } from './active-device.ts';

const UNINSTALLED_PAGE = `<!doctype html><html lang="en"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Palisade removed</title>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem">
<h1>Palisade was removed from this browser</h1>
<p>Your organisation has been told. Company apps that need Palisade will not open in this
browser until it is enrolled again.</p></body></html>`;

/** A batch is at most 1 MB (docs/api.md); larger gets 413 before it is read. */
export const AUDIT_BODY_LIMIT = 1024 * 1024;

/** Endpoints the extension calls: enrollment, pairing, sync, ack, audit upload. */
export function deviceRoutes(route: Route, s: Services): void {
  const { config } = s.ctx;

  // skipauth: authorized by the single-use pairing token in the body; rate limited
  route('POST /api/v1/device/pair', async (c, { body }) => {
    await s.rateLimiter.check('pairing', clientAddress(c, config.trustProxy));
    return c.json(await s.devices.pair(body.token, body));
  });

  // skipauth: authorized by the enrollment code in the body; rate limited
  route('POST /api/v1/device/enroll', async (c, { body }) => {
    await s.rateLimiter.check('enrollment', clientAddress(c, config.trustProxy));
    return c.json(await s.devices.enrollManaged(body));
  });

  // skipauth: authorized by the per-device uninstall token in the URL; rate limited
  // The same page whatever the query: it tells the browser's user, not a prober, anything.
  route(
    'GET /api/v1/device/uninstalled',
    async (c, { query }) => {
      await s.rateLimiter.check('pairing', clientAddress(c, config.trustProxy));
      if (query) await s.posture.removed(query.device, query.token);
      return c.html(UNINSTALLED_PAGE);
    },
    { lenientQuery: true },
  );

  // The hot path: the plain cases are the fast path's answer (behind a real listener they
  // never reach the app); the rest are answered here.
  route('GET /api/v1/device/policy', async (c) => {
    const request = {
      authorization: c.req.header('authorization'),
      ifNoneMatch: c.req.header('if-none-match'),
      accept: c.req.header('accept'),
    };
    let answer = await devicePolicyAnswer(s, request);
    if (answer === 'defer') {
      const device = c.get('device');
      if (device.status === 'wipe_pending') {
        await s.devices.completeWipe(device);
        throw new ApiError(
          'device_wiped',
          'This device was wiped: drop the cached policy and queued events.',
        );
      }
      const served = await s.envelopes.get(device.groupId);
      if (!served)
        throw new ApiError('not_found', 'No policy has been signed for this device’s group yet.');
      answer = await envelopeAnswer(s, device.groupId, served, request);
    }
    return answer.body === null
      ? c.body(null, 304, answer.headers)
      : c.body(answer.body, 200, answer.headers);
  });

  route(
    'POST /api/v1/device/audit',
    async (c, { body }) => {
      const device = c.get('device');
      s.audit.uploads.events(device.id, body.events.length);
      return c.json(await s.audit.ingest(device, body.events));
    },
    {
      bodyLimit: AUDIT_BODY_LIMIT,
      // The upload rate is checked before the body is read, the volume once it is known.
      before: (c) => s.audit.uploads.request(activeDevice(c.get('device')).id),
    },
  );

  route(
    'POST /api/v1/device/ack',
    async (c, { body }) => {
      await s.devices.acknowledge(c.get('device'), body.version);
      return c.json({ ok: true });
    },
    activeOnly,
  );

  route(
    'POST /api/v1/device/claim',
    async (c, { body }) => {
      const claimed = await s.devices.claim(c.get('device'), body.token);
      return c.json({
        device: deviceJson(claimed.device),
        user: claimed.user ? grantUserJson(claimed.user) : null,
      });
    },
    activeOnly,
  );

  // Any status: a revoked or wiped device is told so here, signed (docs/device-trust.md).
  route('GET /api/v1/device/commands', async (c, { query }) =>
    c.json({ commands: await s.devices.commands(c.get('device'), query.challenge) }),
  );

  route('GET /api/v1/device/me', async (c) => {
    const device = await s.devices.get(c.get('device').id);
    const user = device.userId ? await s.ctx.store.getUser(device.userId) : null;
    return c.json({ device: deviceJson(device), user: user ? grantUserJson(user) : null });
  });
}
