import type { Hono } from 'hono';
import { createApp } from './app.ts';
import type { Config } from './config.ts';
import type { AppEnv } from './http/app-env.ts';
import type { Logger } from './log.ts';
import { Metrics } from './metrics.ts';
import { ClusterPush } from './push/cluster-push.ts';
import { PushHub } from './push/push-hub.ts';
import { createServices, type Services } from './service/services.ts';
import { loadSigningKeyFor } from './signing-key.ts';
import type { Store } from './store/store.ts';

export interface BuiltServer {
  app: Hono<AppEnv>;
  services: Services;
  hub: PushHub;
  /** The cross-instance relay, on a store several instances share; else null. */
  cluster: ClusterPush | null;
  /** The first-admin setup link, when no admin exists yet. */
  setup: { link: string; expiresAt: string } | null;
}

/**
 * Everything of a running server but its listener, over an open store: the signing key,
 * metrics, the push hub (and on a shared store the relay to the other instances), the
 * services, the audit anchor and the HTTP app. `startServer` listens on what this builds;
 * in-process tests call the app directly. `now` lets tests move the services' clock.
 */
export async function buildServer(
  config: Config,
  store: Store,
  log: Logger,
  opts: { now?: () => number } = {},
): Promise<BuiltServer> {
  const signingKey = await loadSigningKeyFor(store, config.dataDir);
  const metrics = new Metrics();
  const hub = new PushHub(metrics);
  metrics.pushConnections = () => hub.size;
  const cluster = store.broadcast
    ? new ClusterPush({ local: hub, broadcast: store.broadcast, store, log })
    : null;
  const services = createServices({
    config,
    store,
    signingKey,
    push: cluster ?? hub,
    metrics,
    log,
    ...(opts.now ? { now: opts.now } : {}),
  });
  hub.envelopes = (groupId) => services.envelopes.get(groupId);
  hub.deltaTo = (groupId, version) => services.envelopes.deltaTo(groupId, version);
  hub.exceptionLists = async (deviceId) => {
    const device = await services.devices.get(deviceId);
    return services.access.signedExceptions(device);
  };
  await cluster?.start(services.envelopes, services.devices.credentials);
  try {
    await services.audit.anchor();
    const app = createApp({ services });
    const setup = await services.invites.setupLinkIfNoAdmin();
    return { app, services, hub, cluster, setup };
  } catch (err) {
    await cluster?.stop();
    throw err;
  }
}
