/** What the server tells a device over the push channel (docs/api.md, "Push channel"). */
export type PushMessage =
  | { type: 'hello'; version: number }
  | {
      type: 'policy';
      version: number;
      /**
       * The group's signed envelope and its ETag, so a device can verify and apply the
       * new policy without a request of its own (a publish to 10,000 devices is then
       * 10,000 socket writes, not 10,000 fetches). Devices verify it exactly as a fetched
       * one; without it they fetch.
       */
      etag?: string;
      envelope?: unknown;
    }
  /**
   * A signed device command (core/crypto/device-command.ts): wipe, revoke or move. The
   * device acts on it only when it verifies; anything else is a hint to ask
   * `GET /device/commands` (docs/device-trust.md).
   */
  | { type: 'command'; command: unknown }
  /**
   * The device's signed exception list (core/exceptions/exception-list.ts) after an access
   * request was decided: approved exceptions to enforce, and a cue to refresh its requests.
   */
  | { type: 'exceptions'; list: unknown }
  | { type: 'ping' };

/**
 * How services tell devices of a change. The in-process hub implements it; a
 * multi-instance deployment wraps it so every instance's hub hears each notice.
 */
export interface PushNotifier {
  /** A new signed policy for the group's devices. */
  policy(groupId: string, version: number): void;
  /**
   * The device's credential stopped working: send it the signed `revoke` command (when
   * given; JSON of the signed envelope), then close its sockets.
   */
  revoked(deviceId: string, command: string | null): void;
  /** The device must drop its cached policy and queue: send it the signed `wipe` command. */
  wipe(deviceId: string, command: string): void;
  /**
   * The device now belongs to another group (its user moved): send it the signed `move`
   * command, then the group's envelope.
   */
  moved(deviceId: string, groupId: string, version: number, command: string): void;
  /** An access request of the device (or its user) was decided: send its new exception list. */
  exceptions(deviceId: string): void;
  /**
   * Resolves once the notices given so far have left for the other instances (a
   * multi-instance relay): an admin's revoke answers only then, so every instance has
   * been told before the admin sees it done.
   */
  settled?(): Promise<void>;
}
