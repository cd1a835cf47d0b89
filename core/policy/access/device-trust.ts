import type { DeviceTrust } from './types.ts';

/**
 * How far Palisade vouches for a device it knows: `managed` when force-installed by the
 * organisation's browser policy, `enrolled` when paired by a person, `none` once revoked or
 * wiped (it can no longer prove itself). Used where a stored device stands in for a proof,
 * as in the admin's simulator.
 */
export function deviceTrust(device: { status: string; managed: boolean }): DeviceTrust {
  if (device.status !== 'active') return 'none';
  return device.managed ? 'managed' : 'enrolled';
}
