import { ApiError } from '../errors.ts';
import type { AppEnv } from '../http/app-env.ts';
import type { RouteOptions } from './define-route.ts';

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

/** For a device route: a wiped device is told so before its body is read, whatever it sent. */
export const activeOnly: RouteOptions<false> = {
  before: (c) => void activeDevice(c.get('device')),
};
