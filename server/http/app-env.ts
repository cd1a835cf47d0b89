import type { DeviceRow, UserView } from '../store/types.ts';

/** What the guards put on the Hono context for the handlers. */
export interface AppEnv {
  Variables: {
    user: UserView;
    sessionTokenHash: string;
    device: DeviceRow;
  };
}
