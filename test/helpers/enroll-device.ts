/** What the server grants an enrolled browser. */
export interface DeviceGrant {
  deviceId: string;
  credential: string;
}

/**
 * Enrolls a browser at `baseUrl` with an enrollment code, as a managed extension does
 * (`POST /api/v1/device/enroll`, no cookie, no origin); throws with the server's answer
 * unless it is 200.
 */
export async function enrollDevice(
  baseUrl: string,
  enrollmentCode: string,
  extra: Record<string, string> = {},
): Promise<DeviceGrant> {
  const res = await fetch(`${baseUrl}/api/v1/device/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      enrollmentCode,
      extensionVersion: '1.0.0',
      platform: 'linux',
      browser: 'chromium',
      ...extra,
    }),
  });
  if (res.status !== 200) throw new Error(`enroll: ${res.status} ${await res.text()}`);
  return (await res.json()) as DeviceGrant;
}
