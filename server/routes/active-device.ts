import { ApiError } from '../errors.ts';
import type { AppEnv } from '../http/app-env.ts';

type Device = AppEnv['Variables']['device'];

/** A device with a wipe pending must drop its data, not upload it nor ask for anything. */
export function activeDevice(device: Device): Device {
  if (device.status === 'wipe_pending') {
    throw new ApiError(
      'device_wiped',
      'This device was wiped: drop the cached policy and queued events.',
    );
  }
  return device;
}
