import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { buildServer, type BuiltServer } from './build-server.ts';
import type { Config } from './config.ts';
import { startJobs } from './jobs.ts';
import type { Logger } from './log.ts';
import { attachPush } from './push/attach-push.ts';
import type { PushHub } from './push/push-hub.ts';
import type { Services } from './service/services.ts';
import { openStore } from './store/open-store.ts';
import { answerDevicePolicy, isPolicyRequest } from './http/device-policy-fast-path.ts';
import { adapterErrorResponse, answerClientError } from './http/adapter-errors.ts';
import { OidcService } from './oidc/oidc-service.ts';

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
 * The running server, as `main.ts`, the tests and the benchmarks start it: opens the store
 * (running migrations), builds the rest (`buildServer`) and listens — the HTTP app, with
 * the device-policy fast path in front, plus the WebSocket push channel on the same port.
 * On PostgreSQL, push also travels through the database to and from the other instances.
 */
export async function startServer(
  config: Config,
  log: Logger,
  opts: { heartbeatMs?: number; authTimeoutMs?: number; now?: () => number } = {},
): Promise<RunningServer> {
  const store = await openStore(config);
  let built: BuiltServer;
  try {
    built = await buildServer(config, store, log, opts.now ? { now: opts.now } : {});
  } catch (err) {
    await store.close();
    throw err;
  }
  const { app, services, hub, cluster, setup } = built;

  const handle = getRequestListener(app.fetch, { errorHandler: adapterErrorResponse });
  const server: Server = createServer((req, res) => {
    // The OpenID Provider (oidc-provider, a Koa app) answers its own paths.
    if (OidcService.handles(req.url)) {
      return void services.oidc.handle(req, res).catch((err: unknown) => {
        log.error('oidc request failed', { error: String(err) });
        if (!res.headersSent) res.writeHead(500).end();
      });
    }
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
  const { now: _now, ...pushOpts } = opts;
  const stopPush = attachPush(server, { hub, services, log, ...pushOpts });
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
