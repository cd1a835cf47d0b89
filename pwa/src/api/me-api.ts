import { request } from './request.ts';
import type { AccessRequest, Device, MyPolicy, PublicKey } from './types.ts';

/** The signed-in person's own devices and effective policy. */
export const meApi = {
  devices: () => request<{ devices: Device[] }>('GET', '/me/devices'),
  registerDevice: (body: { name: string; platform: string; browser: string }) =>
    request<{ device: Device; credential: string }>('POST', '/me/devices', body),
  pairingToken: (deviceId: string) =>
    request<{ token: string; expiresAt: string }>(
      'POST',
      `/me/devices/${encodeURIComponent(deviceId)}/pairing-token`,
      {},
    ),
  /** A single-use, 5-minute token the extension in this browser presents to claim it. */
  deviceClaim: () => request<{ token: string; expiresAt: string }>('POST', '/me/device-claims', {}),
  policy: () => request<MyPolicy>('GET', '/me/policy'),
  publicKey: () => request<PublicKey>('GET', '/public-key'),
  accessRequests: () => request<{ requests: AccessRequest[] }>('GET', '/me/access-requests'),
};
