import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { createApp } from './app.ts';
import type { Config } from './config.ts';
import { startJobs } from './jobs.ts';
import type { Logger } from './log.ts';
import { Metrics } from './metrics.ts';
import { attachPush } from './push/attach-push.ts';
import { ClusterPush } from './push/cluster-push.ts';
import { PushHub } from './push/push-hub.ts';
import { createServices, type Services } from './service/services.ts';
import { loadSigningKeyFor } from './signing-key.ts';
import { openStore } from './store/open-store.ts';
import { answerDevicePolicy, isPolicyRequest } from './http/device-policy-fast-path.ts';
import { adapterErrorResponse, answerClientError } from './http/adapter-errors.ts';
import type { Store } from './store/store.ts';

export interface RunningServer {
  server: Server;
  port: number;
  services: Services;
  hub: PushHub;
  /** The first-admin setup link, when no admin exists yet. */
  setup: { link: string; expiresAt: string } | null;
  stop(): Promise<void>;
}

/**
 * Opens the store (running migrations), loads or creates the signing key, and listens:
 * the HTTP app plus the WebSocket push channel on the same port. On PostgreSQL, push
 * also travels through the database to and from the other instances.
 */
export async function startServer(
  config: Config,
  log: Logger,
  opts: { heartbeatMs?: number; authTimeoutMs?: number } = {},
): Promise<RunningServer> {
  const store = await openStore(config);
  let wired: Awaited<ReturnType<typeof wire>>;
  try {
    wired = await wire(config, store, log);
  } catch (err) {
    await store.close();
    throw err;
  }
  const { services, hub, cluster } = wired;
  await services.audit.anchor();
  const app = createApp({ services });
  const setup = await services.invites.setupLinkIfNoAdmin();

  const handle = getRequestListener(app.fetch, { errorHandler: adapterErrorResponse });
  const server: Server = createServer((req, res) => {
    if (!isPolicyRequest(req)) return void handle(req, res);
    answerDevicePolicy(req, res, services).then(
      (answered) => {
        if (!answered) void handle(req, res);
      },
      () => void handle(req, res),
    );
  });
  server.on('clientError', answerClientError);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const stopPush = attachPush(server, { hub, services, log, ...opts });
  const stopJobs = startJobs(services);
  services.siem.start();
  const port = (server.address() as AddressInfo).port;
  log.info('listening', {
    host: config.host,
    port,
    origin: config.origin,
    rpId: config.rpId,
    store: config.databaseUrl ? 'postgres' : 'sqlite',
    dataDir: config.dataDir,
  });

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      stopJobs();
      stopPush();
      await services.siem
        .stop()
        .catch((err: unknown) => log.error('siem delivery not stopped', { error: String(err) }));
      await cluster?.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // In-flight requests get a few seconds; then the rest are cut.
        setTimeout(() => server.closeAllConnections(), 5000).unref();
      });
      // The last rows get a signed head before the store closes.
      await services.audit.signer
        .signHead()
        .catch((err: unknown) => log.error('audit head not signed', { error: String(err) }));
      await store.close();
    })());
  return { server, port, services, hub, setup, stop };
}

/** The key, the hub, the services and — on a shared store — the cross-instance relay. */
async function wire(config: Config, store: Store, log: Logger) {
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
  });
  hub.envelopes = (groupId) => services.envelopes.get(groupId);
  await cluster?.start(services.envelopes, services.devices.credentials);
  return { services, hub, cluster };
}
