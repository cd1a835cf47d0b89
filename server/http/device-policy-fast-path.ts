import type { IncomingMessage, ServerResponse } from 'node:http';
import { DELTA_MEDIA_TYPE, etagMatches, wantsDelta } from '../service/envelope-service.ts';
import type { Services } from '../service/services.ts';

const PATH = '/api/v1/device/policy';

/**
 * The hot path of device sync, answered on the Node request before it becomes a Fetch
 * Request for Hono: an active device gets a bare 304 when its group envelope is unchanged
 * (If-None-Match), else the signed envelope. Thousands of devices poll and reconnect, so
 * this is most of a server's traffic; building Request, Headers and Response objects for
 * it cost several times the answer itself (bench/sync). The device comes from the
 * in-memory credential index (`DeviceService.syncDevice`), which a revoke, wipe or move on
 * any instance empties for that device before its next request.
 *
 * Only the plain cases are handled here, with the same checks as the route
 * (`routes/device-routes.ts`: device credential, status, group envelope, ETag). Anything
 * else — an unknown or revoked credential, a wipe pending, no envelope yet — returns false
 * and goes through the app as usual, which answers it.
 */
export async function answerDevicePolicy(
  req: IncomingMessage,
  res: ServerResponse,
  services: Services,
): Promise<boolean> {
  const ifNoneMatch = req.headers['if-none-match'];
  const auth = req.headers.authorization;
  if (!auth?.startsWith('Bearer ')) return false;
  // Unknown, revoked, wiped, wipe pending: the app answers with the right error.
  const device = await services.devices.syncDevice(auth.slice(7).trim());
  if (!device) return false;
  const served = await services.envelopes.get(device.groupId);
  if (!served) return false;
  const headers = {
    ETag: served.etag,
    'Cache-Control': 'private, no-cache',
    'X-Content-Type-Options': 'nosniff',
    // As the CORS middleware on /api/v1/device/* would (Firefox's extension fetches).
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Expose-Headers': 'ETag',
    Vary: 'Accept',
  };
  if (etagMatches(ifNoneMatch, served.etag)) {
    res.writeHead(304, headers);
    res.end();
    services.ctx.metrics.countRequest('GET', PATH, 304);
  } else {
    // The delta (when asked for and kept) or the full envelope, as the route answers.
    const delta = wantsDelta(req.headers.accept)
      ? await services.envelopes.delta(device.groupId, ifNoneMatch)
      : null;
    const body = delta ?? served.body;
    res.writeHead(200, {
      ...headers,
      'Content-Type': `${delta !== null ? DELTA_MEDIA_TYPE : 'application/json'}; charset=utf-8`,
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(body);
    services.ctx.metrics.countRequest('GET', PATH, 200);
  }
  return true;
}

export function isPolicyRequest(req: IncomingMessage): boolean {
  return req.method === 'GET' && req.url === PATH;
}
