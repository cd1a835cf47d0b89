import { meApi } from '../api/me-api.ts';
import type { Device } from '../api/types.ts';
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
