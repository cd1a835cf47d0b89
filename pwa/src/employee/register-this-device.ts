import { meApi } from '../api/me-api.ts';
import type { Device } from '../api/types.ts';
import { detectExtension } from '../extension/extension-bridge.ts';
import { describeBrowser } from '../lib/describe-browser.ts';
import { cacheDb } from '../storage/db.ts';

/**
 * Registers this browser as one of the signed-in person's devices and remembers which
 * record it is, so pairing the extension later targets the right one. The credential the
 * server returns is for an extension and is deliberately not kept by the PWA: pairing
 * hands the extension its own.
 */
export async function registerThisDevice(userId: string, name?: string): Promise<Device> {
  const b = describeBrowser();
  const { device } = await meApi.registerDevice({
    name: name?.trim() || b.name,
    platform: b.platform,
    browser: b.browser,
  });
  await cacheDb.put('thisDevice', { deviceId: device.id, userId });
  return device;
}

/**
 * Registers this browser unless its extension says it is managed: a managed browser is
 * already a device, enrolled by its admin, and a second record for it would count twice
 * against the person's device limit. The person claims it instead (`ManagedClaim`).
 */
export async function registerUnlessManaged(
  userId: string,
): Promise<{ device: Device } | { managed: true }> {
  if ((await detectExtension())?.managed) return { managed: true };
  return { device: await registerThisDevice(userId) };
}
