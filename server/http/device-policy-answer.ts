import { bearerCredential } from '../auth/bearer-credential.ts';
import { DELTA_MEDIA_TYPE } from '../../contract/media-types.ts';
import { etagMatches, wantsDelta } from '../service/envelope-service.ts';
import type { Services } from '../service/services.ts';
import { API_HEADERS, DEVICE_CORS_HEADERS } from './api-headers.ts';

/** An answer to `GET /api/v1/device/policy`: a bare 304, the signed envelope or deltas. */
export type DevicePolicyAnswer =
  | { status: 304; headers: Record<string, string>; body: null }
  | { status: 200; headers: Record<string, string>; body: string };

/**
 * The plain cases of device sync, answered the same way by the Node fast path
 * (`device-policy-fast-path.ts`, before Hono) and by the route (`routes/device-routes.ts`):
 * an active device whose group has a signed envelope gets a 304 when its `If-None-Match`
 * names the current ETag, else the signed deltas from the version it names when it accepts
 * them and the server kept them (docs/delta-sync.md), else the envelope. Anything else — no or an unknown credential,
 * a revoked or wiped device, a wipe pending, no envelope yet — is `'defer'`: the app
 * answers it, with the right error.
 *
 * The device comes from the in-memory credential index (`DeviceService.syncDevice`),
 * which a revoke, wipe or move on any instance empties for that device before its next
 * request.
 */
export async function devicePolicyAnswer(
  services: Services,
  request: DevicePolicyRequest,
): Promise<DevicePolicyAnswer | 'defer'> {
  const credential = bearerCredential(request.authorization);
  if (!credential) return 'defer';
  const device = await services.devices.syncDevice(credential);
  if (!device) return 'defer';
  const served = await services.envelopes.get(device.groupId);
  if (!served) return 'defer';
  return envelopeAnswer(services, device.groupId, served, request);
}

/** The request headers the answer depends on. */
export interface DevicePolicyRequest {
  authorization?: string | undefined;
  ifNoneMatch?: string | undefined;
  accept?: string | undefined;
}

/** The 304 or 200 for a group's served envelope; its headers are written here only. */
export async function envelopeAnswer(
  services: Services,
  groupId: string,
  served: { etag: string; body: string },
  { ifNoneMatch, accept }: DevicePolicyRequest,
): Promise<DevicePolicyAnswer> {
  const headers = {
    ...API_HEADERS,
    // The fast path answers before the CORS middleware, so it sets what that would.
    ...DEVICE_CORS_HEADERS,
    ETag: served.etag,
    'Cache-Control': 'private, no-cache',
    Vary: 'Accept',
  };
  if (etagMatches(ifNoneMatch, served.etag)) return { status: 304, headers, body: null };
  const delta = wantsDelta(accept) ? await services.envelopes.delta(groupId, ifNoneMatch) : null;
  if (delta !== null) {
    return {
      status: 200,
      headers: { ...headers, 'Content-Type': `${DELTA_MEDIA_TYPE}; charset=utf-8` },
      body: delta,
    };
  }
  return {
    status: 200,
    headers: { ...headers, 'Content-Type': 'application/json; charset=utf-8' },
    body: served.body,
  };
}
