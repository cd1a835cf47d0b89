import type { DevicePosture, DeviceTrust } from './types.ts';

/**
 * How far Palisade vouches for a device it knows: `managed` when enrolled from managed
 * storage and not reporting an install other than the admin's (force-installed by the
 * organisation's browser policy), `enrolled` when paired by a person, `none` once revoked
 * or wiped (it can no longer prove itself). The one rule for the device proof, a refresh
 * and the admin's simulator.
 */
export function deviceTrust(
  device: { status: string; managed: boolean },
  posture?: Pick<DevicePosture, 'installType'> | null,
): DeviceTrust {
  if (device.status !== 'active') return 'none';
  return device.managed && (!posture || posture.installType === 'admin') ? 'managed' : 'enrolled';
}
