// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeExtensionBridge, type FakeBridge } from './support/fake-extension-bridge.ts';
import { mockFetch } from './support/mock-fetch.ts';

// happy-dom has no IndexedDB: the app's one storage module is swapped for a Map.
vi.mock('../../pwa/src/storage/db.ts', () => ({
  cacheDb: { get: async () => undefined, put: async () => undefined },
}));
const { registerUnlessManaged } = await import('../../pwa/src/employee/register-this-device.ts');

let bridge: FakeBridge | undefined;
afterEach(() => {
  bridge?.uninstall();
  bridge = undefined;
  vi.unstubAllGlobals();
});

const DEVICE = { id: 'd1', name: 'Chrome on Linux' };

describe('enrolling from a browser', () => {
  it('registers no second device for a managed browser: the person claims it instead', async () => {
    const server = mockFetch({ 'POST /api/v1/me/devices': { json: { device: DEVICE } } });
    bridge = fakeExtensionBridge({
      hello: { version: '0.1.0', enrolled: true, managed: true, deviceId: 'd-managed' },
    });
    expect(await registerUnlessManaged('u1')).toEqual({ managed: true });
    expect(server.calls).toEqual([]);
  });

  it('registers this browser when its extension is not managed', async () => {
    const server = mockFetch({ 'POST /api/v1/me/devices': { json: { device: DEVICE } } });
    bridge = fakeExtensionBridge({ hello: { version: '0.1.0', enrolled: false, managed: false } });
    expect(await registerUnlessManaged('u1')).toEqual({ device: DEVICE });
    expect(server.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /api/v1/me/devices']);
  });
});
