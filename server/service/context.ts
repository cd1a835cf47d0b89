import type { SigningKeyPair } from '../../core/crypto/envelope.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import type { PushNotifier } from '../push/push-notifier.ts';
import type { Store } from '../store/store.ts';

/** What every service gets. `now` is injectable so tests can move time (expiry, rate windows). */
export interface ServiceContext {
  config: Config;
  store: Store;
  signingKey: SigningKeyPair;
  push: PushNotifier;
  metrics: Metrics;
  log: Logger;
  now: () => number;
}

/** The current time (plus an offset) as the store's ISO string. */
export function isoNow(ctx: Pick<ServiceContext, 'now'>, offsetMs = 0): string {
  return new Date(ctx.now() + offsetMs).toISOString();
}
