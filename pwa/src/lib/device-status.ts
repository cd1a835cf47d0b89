import type { DeviceStatus } from '../api/types.ts';

/** A device's status in words. */
export const DEVICE_STATUS: Record<DeviceStatus, string> = {
  active: 'Active',
  revoked: 'Revoked',
  wiped: 'Wiped',
  wipe_pending: 'Wipe pending',
};
