/** Why a device stopped counting as a trusted browser. */
export type DeviceLostReason = 'revoked' | 'wiped' | 'silent' | 'removed';

export interface DeviceLostEvent {
  deviceId: string;
  userId: string | null;
  reason: DeviceLostReason;
}

interface DeviceEventMap {
  lost: DeviceLostEvent;
}

type Listener<E> = (event: E) => void | Promise<void>;

/**
 * Tells other parts of the server when a device is lost — revoked, wiped, silent past the
 * configured minutes, or its extension removed — so they can act at once (sign the user
 * out of the apps it opened). Emitted by the instance that made the change, after it is
 * stored. A listener that throws (or rejects) is logged and does not stop the others.
 *
 * @example
 * services.deviceEvents.on('lost', ({ deviceId, reason }) => logoutSessionsOf(deviceId, reason));
 */
export class DeviceEvents {
  private readonly listeners: { [K in keyof DeviceEventMap]: Set<Listener<DeviceEventMap[K]>> } = {
    lost: new Set(),
  };

  constructor(private readonly onError: (error: unknown) => void = () => undefined) {}

  /** Subscribes; returns the function that unsubscribes. */
  on<K extends keyof DeviceEventMap>(type: K, listener: Listener<DeviceEventMap[K]>): () => void {
    this.listeners[type].add(listener);
    return () => this.listeners[type].delete(listener);
  }

  /** Calls every listener; resolves once all have settled. */
  async emit<K extends keyof DeviceEventMap>(type: K, event: DeviceEventMap[K]): Promise<void> {
    await Promise.all(
      [...this.listeners[type]].map(async (listener) => {
        try {
          await listener(event);
        } catch (error) {
          this.onError(error);
        }
      }),
    );
  }
}
