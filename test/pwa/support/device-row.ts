import type { Device } from '../../../pwa/src/api/types.ts';

/**
 * A device as the admin's device list returns it: active, managed, enrolled on 1 December,
 * with nothing reported yet; `over` sets what a test is about.
 */
export function deviceRow(over: Partial<Device> & Pick<Device, 'id' | 'name'>): Device {
  return {
    userId: null,
    userName: null,
    groupId: null,
    groupName: null,
    platform: null,
    browser: null,
    extensionVersion: null,
    lastSeenAt: null,
    appliedVersion: null,
    claimedEmail: null,
    status: 'active',
    managed: true,
    enrolledAt: '2026-12-01T00:00:00.000Z',
    ...over,
  };
}
